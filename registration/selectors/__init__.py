"""Registration read paths, one module per sub-domain. Import the module, e.g. `selectors.athletes`."""
