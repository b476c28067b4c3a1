"""Registration write paths, one module per sub-domain. Import the module, e.g. `services.athletes`."""
