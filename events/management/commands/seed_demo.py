"""Load the demo season. Each app contributes its slice in `<app>/demo.py` (or `<app>/services/demo.py`
where the app keeps its writes in a services package), lower apps first.

Idempotent: every row is keyed on a natural key (slug, code, email), so running it twice changes nothing.
"""

from __future__ import annotations

import importlib
import logging
import time
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

APP_ORDER = ["events", "ticketing", "registration", "tourism", "exchange"]


def demo_modules() -> list[str]:
    """`<app>/demo.py` or `<app>/services/demo.py`, then `<app>/demo_*.py` and `<app>/services/demo_*.py`
    (alphabetical), app by app up the chain."""
    names = []
    for label in APP_ORDER:
        if not any(config.label == label for config in apps.get_app_configs()):
            continue
        config = apps.get_app_config(label)
        # Modules by the app's import path: the exchange app (label "exchange") is tourism.exchange.
        folder, package = Path(config.path), config.name
        if (folder / "demo.py").is_file():
            names.append(f"{package}.demo")
        elif (folder / "services" / "demo.py").is_file():
            names.append(f"{package}.services.demo")
        names.extend(f"{package}.{path.stem}" for path in sorted(folder.glob("demo_*.py")))
        names.extend(f"{package}.services.{path.stem}" for path in sorted(folder.glob("services/demo_*.py")))
    return names


class Command(BaseCommand):
    help = "Load (or refresh) the demo season: cities, venues, events, sessions and each app's demo data."

    def handle(self, *args, **options):
        started = time.monotonic()
        modules = [importlib.import_module(name) for name in demo_modules()]
        # Eager demo tasks would log a line each: the summary below is what someone running it reads.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        # Demo orders and invitations would email made-up people: seeding sends nothing.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            for module in modules:
                with transaction.atomic():
                    summary = module.seed()
                self.stdout.write(f"  {module.__name__}: {summary}")
        for module in modules:
            announce = getattr(module, "announce", None)
            if announce:
                self.stdout.write(announce())
        self.stdout.write(self.style.SUCCESS(f"Demo season ready in {time.monotonic() - started:.1f}s."))
