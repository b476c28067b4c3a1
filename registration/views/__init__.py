"""Registration views, one module per audience: manager, roster_import, paperwork, guardian (public
consent links), workflow, organiser, accreditation."""
