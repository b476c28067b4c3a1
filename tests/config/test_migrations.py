"""Every model change has its migration: a model edited without one would migrate nowhere in
production while the tests (which build tables from migrations) pass on the old schema."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_its_migration():
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exit_:  # --check exits 1 when a migration would be written
        pytest.fail(f"makemigrations --check found model changes without a migration (exit {exit_.code})")
