"""Reading settings from the environment, failing start-up with one line that names the variable."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").is_file() and "PYTEST_CURRENT_TEST" not in os.environ:
    environ.Env.read_env(BASE_DIR / ".env")

DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")


def fail(variable: str, problem: str) -> None:
    """Stop start-up with a single line naming the variable (no traceback)."""
    raise SystemExit(f"corridor: configuration error: {variable} {problem}")


def database_from_env(default: str) -> dict:
    raw = env.str("DATABASE_URL", default=default)
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    if scheme not in DATABASE_SCHEMES:
        fail("DATABASE_URL", f"must look like postgres://user@host:5432/name or sqlite:///path (got {raw!r})")
    try:
        config = environ.Env.db_url_config(raw)
    except Exception as exc:  # django-environ raises several types for bad URLs
        fail("DATABASE_URL", f"is malformed: {exc}")
    if not config.get("NAME"):
        fail("DATABASE_URL", "names no database")
    if config["ENGINE"].endswith("postgresql") and not config.get("HOST"):
        fail("DATABASE_URL", "names no host")
    return config


def required(variable: str, *, when: bool, default: str = "") -> str:
    value = os.environ.get(variable, "")
    if when and not value:
        fail(variable, "must be set when DJANGO_DEBUG is off")
    return value or default


def as_bool(variable: str, default: bool) -> bool:
    raw = os.environ.get(variable)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    fail(variable, f"must be true or false (got {raw!r})")
    return default


def csv(variable: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(variable, default).split(",") if item.strip()]


def running_tests() -> bool:
    return "pytest" in sys.modules
