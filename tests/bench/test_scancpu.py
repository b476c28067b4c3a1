"""The scan floor of bench/scancpu.py (used by `bench scans` too): its parts really do what a scan must
(verify a signed code, admit a fresh credential through the decide statement, commit an INSERT), and
the floor is the control plus exactly those parts beyond its INSERT."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from bench import scancpu, scans
from ticketing.enums import ScanResult
from ticketing.models import Scan


def test_floor_extra_is_the_verify_and_the_decide_beyond_an_insert():
    floor = {
        "verify_ms": 0.1,
        "decide_client_ms": 0.25,
        "insert_client_ms": 0.05,
        "decide_backend_ms": 0.5,
        "insert_backend_ms": 0.2,
    }

    assert scancpu.floor_extra_ms(floor) == pytest.approx(0.1 + 0.2 + 0.3)


def test_floor_codes_are_the_last_ones_and_kept_apart(tmp_path):
    fixtures = tmp_path / "fixtures.json"
    fixtures.write_text(json.dumps({"token": "t", "codes": ["a", "b", "c", "d", "e"]}))

    path = scancpu.floor_codes(fixtures, 2)

    assert json.loads(path.read_text()) == {"codes": ["d", "e"]}
    assert path != fixtures and json.loads(fixtures.read_text())["codes"] == ["a", "b", "c", "d", "e"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # `_floor` commits through a connection of its own
def test_floor_admits_each_fresh_credential_and_commits_each_insert():
    world = scans.gate_world(6)
    with connection.cursor() as cursor:
        cursor.execute(scans.INSERT_TABLE_SQL)
    try:
        floor = scancpu._floor({"codes": world["codes"]})

        assert Scan.objects.filter(result=ScanResult.ADMITTED).count() == 3  # the decide half, all admitted
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM bench_insert")
            assert cursor.fetchone()[0] == 3
        assert set(floor) == {
            "verify_ms", "decide_client_ms", "decide_backend_ms", "insert_client_ms", "insert_backend_ms",
        }  # fmt: skip
        assert all(value >= 0 for value in floor.values()) and floor["verify_ms"] > 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_insert")
