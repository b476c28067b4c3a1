"""Periodic and background jobs of registration: thin wrappers around services.

Tasks are leaves: they import services, and no service imports them. A service queues one after
commit by its name (`celery.current_app.signature("registration.tasks.<name>")`)."""

from __future__ import annotations

from celery import shared_task

from registration.services import accreditation, retention, workflow


@shared_task
def rosters_lock_due() -> int:
    return workflow.rosters_lock_due()


@shared_task
def waitlist_expire_due() -> int:
    return workflow.waitlist_expire_due()


@shared_task
def badge_sheet_render(job_id: int) -> int:
    return accreditation.badge_sheet_render(job_id=job_id).pk


@shared_task
def retention_run() -> dict:
    return retention.retention_run(dry_run=False).as_dict()
