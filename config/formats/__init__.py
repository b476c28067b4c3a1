"""Date formats that read the same on every page (FORMAT_MODULE_PATH); Django's own defaults apply
to anything not set here."""
