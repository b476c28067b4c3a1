"""The exchange tests' world: `camp` (tests/factories/exchange.py `exchange_camp`), in English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tests.factories.exchange import START, Camp, exchange_camp


@pytest.fixture
def camp(db) -> Camp:
    return exchange_camp()


@pytest.fixture(autouse=True)
def english():
    """Service messages are read in English here; the pages' Chinese is checked by the journey."""
    with translation.override("en"):
        yield


@pytest.fixture
def start() -> dt.datetime:
    return START
