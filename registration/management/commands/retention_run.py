"""Delete or anonymise registration data past its purpose; `--dry-run` only counts."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from registration.services.retention import retention_run


class Command(BaseCommand):
    help = (
        "Apply registration retention rules (photos, health data, anonymisation). --dry-run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report counts only; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        report = retention_run(dry_run=dry_run)
        prefix = "Would change" if dry_run else "Changed"
        self.stdout.write(
            f"{prefix}: {report.photos_removed} photos removed, {report.health_records_deleted} health records "
            f"deleted, {report.athletes_anonymised} athletes anonymised."
        )
