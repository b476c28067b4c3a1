"""Print the current two-factor code of a demo account (development only: refuses when DEBUG is off)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.demo import current_totp_code


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account, so the demo organiser can log in."

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", default=settings.CORRIDOR_DEMO_ORGANISER_EMAIL)

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp only runs with DJANGO_DEBUG on.")
        code = current_totp_code(email)
        if code is None:
            raise CommandError(f"{email} has no authenticator app set up.")
        self.stdout.write(code)
