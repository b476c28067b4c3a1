"""Fencing formats (FIE rules): pools, bout orders, pool ranking and the cut, the tableau, team relays."""
