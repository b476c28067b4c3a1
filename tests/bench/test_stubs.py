"""bench/stubs.py leaves out of its ratios the rounds whose stubs ran out, as bench/scans.py does."""

from __future__ import annotations

import pytest

from bench import stubs


class _Bare:
    def run(self, seconds):
        return 100, [], 0, 1.0  # 100 req/s


def _redeemed(runs_dry_from: int):
    """A stand-in for `_redeem_load`: 30 redemptions/s until the stubs run out in the slice numbered
    `runs_dry_from` (warm-ups not counted), which ends half-way, and 0 after."""
    slices = {"till": -1, "session": -1}  # each load's first call is its warm-up

    def load(_port, _fixtures, _seconds, _codes, *, auth):
        slices[auth] += 1
        number = slices[auth]
        count = 30 if number < runs_dry_from else (15 if number == runs_dry_from else 0)
        return {
            "rate": count / 1.0,
            "count": count,
            "errors": 0,
            "exhausted": number >= runs_dry_from,
            "latencies": [0.01] * count,
            "elapsed": 1.0,
        }

    return load


def test_rounds_that_ran_out_of_stubs_are_left_out_of_the_ratios(monkeypatch):
    monkeypatch.setattr(stubs, "_redeem_load", _redeemed(runs_dry_from=3))

    measured = stubs._measure_rounds(0, {}, iter(()), _Bare())

    assert measured["till"]["ratios"] == [pytest.approx(0.3), pytest.approx(0.3)]
    assert measured["session"]["ratios"] == [pytest.approx(0.3), pytest.approx(0.3)]
    assert measured["till"]["exhausted"]


def test_a_run_whose_every_round_ran_out_gives_no_figures(monkeypatch):
    monkeypatch.setattr(stubs, "_redeem_load", _redeemed(runs_dry_from=1))

    with pytest.raises(RuntimeError, match="ran out of stubs"):
        stubs._measure_rounds(0, {}, iter(()), _Bare())
