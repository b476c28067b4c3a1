"""Ticketing write paths, one module per sub-domain. Import from the module, e.g. `services.credentials`."""
