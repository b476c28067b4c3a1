"""Celery tasks of events: sending mail for every app (see events/mail.py) and solving schedules."""

from __future__ import annotations

import smtplib

from celery import shared_task

from events.mail import MAIL_TASK, mail_deliver
from events.services.schedule_solve import SOLVE_TASK, solve_job_run


@shared_task(
    name=MAIL_TASK,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def mail_send(sealed: str) -> None:
    """Send one sealed message; a mail server that fails or cannot be reached is retried with backoff."""
    mail_deliver(sealed=sealed)


@shared_task(name=SOLVE_TASK)
def schedule_solve(job_id: int) -> None:
    """Solve a programme's schedule in the background (the page polls the job's progress)."""
    solve_job_run(job_id=job_id)
