"""Programmes, cities, venues, events and sessions: the catalogue everything else hangs from."""
