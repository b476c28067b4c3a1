"""Load the demo season. Each app contributes its slice in `<app>/demo.py`, lower apps first.

Idempotent: every row is keyed on a natural key (slug, code, email), so running it twice changes nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

APP_ORDER = ["events", "ticketing", "registration", "tourism"]


class Command(BaseCommand):
    help = "Load (or refresh) the demo season: cities, venues, events, sessions and each app's demo data."

    def handle(self, *args, **options):
        started = time.monotonic()
        for label in APP_ORDER:
            if not apps.is_installed(label) or importlib.util.find_spec(f"{label}.demo") is None:
                continue
            module = importlib.import_module(f"{label}.demo")
            with transaction.atomic():
                summary = module.seed()
            self.stdout.write(f"  {label}: {summary}")
        for label in APP_ORDER:
            if importlib.util.find_spec(f"{label}.demo") is not None:
                announce = getattr(importlib.import_module(f"{label}.demo"), "announce", None)
                if announce:
                    self.stdout.write(announce())
        self.stdout.write(self.style.SUCCESS(f"Demo season ready in {time.monotonic() - started:.1f}s."))
