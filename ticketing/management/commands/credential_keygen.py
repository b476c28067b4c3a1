"""Print a new Ed25519 signing key line for CREDENTIAL_SIGNING_KEYS (put it first to rotate)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from ticketing.signing import generate_key_line


class Command(BaseCommand):
    help = 'Print a new "kid:base64url-private-key" line for CREDENTIAL_SIGNING_KEYS (newest first).'

    def add_arguments(self, parser):
        parser.add_argument(
            "--kid", help="Key id (default: k + today's date). Keep it short, letters and digits."
        )

    def handle(self, *args, kid=None, **options):
        self.stdout.write(generate_key_line(kid or timezone.localdate().strftime("k%Y%m%d")))
