"""Registration forms, one module per sub-domain."""
