"""Run every benchmark module and print one table: `make bench` (or `python -m bench [name ...]`).

Benchmarks report ratios against a baseline measured in the same run, so the figures mean
something on any machine. They talk only to 127.0.0.1 and bound their own time.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import platform
import sys
import time
from pathlib import Path

MODULES = ["commits", "orders", "scans", "stubs", "pdf", "imports", "draws", "schedule", "seed"]
# Not in the default run: `python -m bench opening` (the opening load test, about ten minutes) runs when named.
# Nor `python -m bench stubs_cpu` (where a counter redemption's CPU goes, in-process; about two minutes).


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(names: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    rows = []
    for name in names or MODULES:
        spec = importlib.util.find_spec(f"bench.{name}")
        if spec is None:
            print(f"(skipping {name}: no bench/{name}.py)", file=sys.stderr)
            continue
        started = time.monotonic()
        module_rows = importlib.import_module(f"bench.{name}").main()
        for row in module_rows:
            row.setdefault("module", name)
        rows.extend(module_rows)
        print(f"bench/{name}.py finished in {time.monotonic() - started:.1f}s", file=sys.stderr)
    print(f"\nCorridor benchmarks, {time.strftime('%Y-%m-%d')}, {machine()}\n")
    widths = [max(len(str(row.get(key, ""))) for row in [*rows, HEADER]) for key in KEYS]
    for row in [HEADER, {key: "-" * width for key, width in zip(KEYS, widths, strict=True)}, *rows]:
        print(
            "| "
            + " | ".join(str(row.get(key, "")).ljust(width) for key, width in zip(KEYS, widths, strict=True))
            + " |"
        )
    return 0


KEYS = ["benchmark", "value", "unit", "note"]
HEADER = {"benchmark": "benchmark", "value": "value", "unit": "unit", "note": "note"}

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
