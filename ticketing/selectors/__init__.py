"""Ticketing read paths, one module per sub-domain. Import from the module, e.g. `selectors.checkin`."""
