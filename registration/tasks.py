"""Periodic and background jobs of registration: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task


@shared_task
def rosters_lock_due() -> int:
    from registration.services.workflow import rosters_lock_due as lock

    return lock()


@shared_task
def waitlist_expire_due() -> int:
    from registration.services.workflow import waitlist_expire_due as expire

    return expire()


@shared_task
def badge_sheet_render(job_id: int) -> int:
    from registration.services.accreditation import badge_sheet_render as render

    return render(job_id=job_id).pk


@shared_task
def retention_run() -> dict:
    from registration.services.retention import retention_run as run

    return run(dry_run=False).as_dict()
