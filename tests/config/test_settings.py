"""Start-up refuses bad configuration with one line naming the variable; production settings pass check --deploy."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks

from tests.config.production import PRODUCTION, run_manage


def test_check_deploy_passes_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "postgres//nohost"),
        ("DATABASE_URL", "mysql://root@localhost/db"),
        ("DATABASE_URL", "postgres:///"),
        ("REDIS_URL", "localhost:6379"),
        ("DJANGO_DEBUG", "maybe"),
    ],
)
def test_malformed_variable_stops_startup_with_one_line_naming_it(variable, value):
    result = run_manage("check", env={**PRODUCTION, variable: value})
    assert result.returncode != 0
    lines = [line for line in result.stderr.strip().splitlines() if line]
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "variable",
    [
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "CREDENTIAL_SIGNING_KEYS",
        "FIELD_ENCRYPTION_KEYS",
        "DOCUMENT_HASH_KEY",
        "REDIS_URL",
    ],
)
def test_missing_production_secret_stops_startup_naming_it(variable):
    env = {**PRODUCTION}
    env.pop(variable)
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert variable in result.stderr


def test_demo_payments_are_refused_in_production():
    result = run_manage("check", env={**PRODUCTION, "PAYMENT_DEMO_ENABLED": "true"})
    assert result.returncode != 0
    assert "PAYMENT_DEMO_ENABLED" in result.stderr


def test_production_logs_are_one_json_object_per_line():
    script = "import logging; logging.getLogger('corridor.test').warning('hello %s', 'world')"
    result = run_manage("shell", "--no-imports", "-c", script, env=PRODUCTION)
    import json

    records = [json.loads(line) for line in result.stderr.strip().splitlines()]
    assert records[-1]["message"] == "hello world"
    assert records[-1]["level"] == "WARNING"
    assert records[-1]["logger"] == "corridor.test"


def test_production_without_a_shared_cache_says_why():
    env = {**PRODUCTION}
    env.pop("REDIS_URL")
    result = run_manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr
    assert "every worker process must share one cache" in result.stderr


def test_deploy_check_refuses_a_per_process_cache(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    errors = run_checks(include_deployment_checks=True)
    shared = [error for error in errors if error.id == "corridor.E001"]
    assert len(shared) == 1
    assert "REDIS_URL" in shared[0].hint
    assert "import previews" in shared[0].hint

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}
    }
    assert not [error for error in run_checks(include_deployment_checks=True) if error.id == "corridor.E001"]
