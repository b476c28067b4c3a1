"""Re-encrypt every stored document number under the newest FIELD_ENCRYPTION_KEYS key."""

from django.core.management.base import BaseCommand

from registration.services.documents import document_keys_rotate


class Command(BaseCommand):
    help = "Re-encrypt athletes' document numbers with the newest key (first in FIELD_ENCRYPTION_KEYS)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the rows to rotate; change nothing."
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, dry_run: bool, batch_size: int, **options):
        result = document_keys_rotate(dry_run=dry_run, batch_size=batch_size)
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        self.stdout.write(f"{verb} {result.rotated} of {result.total} document numbers")
