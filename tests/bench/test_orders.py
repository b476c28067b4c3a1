"""bench/orders.py gives no figures from a load that oversold or had a failed request."""

from __future__ import annotations

import pytest

from bench import orders


def test_a_clean_load_passes():
    orders._clean("round 1, one hot quota", {"oversold": 0, "errors": 0})
    orders._clean("round 1, bare INSERT", {"errors": 0})


@pytest.mark.parametrize(
    ("run", "message"),
    [
        ({"oversold": 3, "errors": 0}, "oversold 3, 0 errors"),
        ({"oversold": 0, "errors": 250}, "oversold 0, 250 errors"),
        ({"errors": 900}, "oversold 0, 900 errors"),  # the bare INSERT load
    ],
)
def test_an_oversold_or_failing_load_stops_the_run(run, message):
    with pytest.raises(RuntimeError, match=message):
        orders._clean("round 2, one hot quota", run)
