"""Regenerate and compile one app's translation catalogue: `python -m config.messages <app|config>`.

Runs makemessages from the project root (running it inside an app folder would let that app's
rules.py shadow the `rules` library) and ignores every other top-level folder, so each app's
strings land in its own `<app>/locale` and nobody else's catalogue is touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ["config", "events", "ticketing", "registration", "tourism"]
LANGUAGES = ["zh_Hans"]


def main(target: str) -> None:
    if target not in TARGETS:
        raise SystemExit(f"usage: python -m config.messages {{{','.join(TARGETS)}}}")
    (ROOT / target / "locale").mkdir(exist_ok=True)
    ignored = [p.name for p in ROOT.iterdir() if p.is_dir() and p.name != target]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    for domain in ("django", "djangojs"):
        command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "-d", domain]
        command += [f"--locale={language}" for language in LANGUAGES]
        # makemessages ignores a folder name at any depth, so config/templates/<app>/ overrides are
        # skipped too: keep their text in config/templates/compose/.
        command += [f"--ignore={name}" for name in ignored]
        subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - fixed command
    compile_catalogues(target)


def compile_catalogues(target: str) -> None:
    # An app inside an app (tourism/exchange) keeps its own locale folder; makemessages files its
    # strings there because that folder is the nearest to them.
    for po in (ROOT / target).glob("**/locale/*/LC_MESSAGES/*.po"):
        subprocess.run(["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], check=True)  # noqa: S603,S607


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
