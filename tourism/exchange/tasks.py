"""Periodic jobs of the exchange programme: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from tourism.exchange.services import rollcalls


@shared_task
def rollcalls_alert_due() -> int:
    return rollcalls.rollcalls_alert_due()
