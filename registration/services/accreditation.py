"""Accreditation badges on ticketing's signed credentials (same codes, same gate scanner as tickets)
and badge sheets: A6 badges, four to an A4 page, rendered by a Celery task with progress counts.

A badge shows the holder's name, role, delegation and zones: never a document number or birth date.
An athlete's badge shows the athlete's photo only while the photo consent the athlete's age band
needs is current (docs/architecture.md#childrens-data); otherwise, and for coaches and chaperones, a "no photo" box.
"""

from __future__ import annotations

import logging

from celery import current_app
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from registration.enums import AthleteAccessKind, EntryStatus, MembershipRole
from registration.errors import BadgeError
from registration.models import (
    Badge,
    BadgeRole,
    BadgeSheetJob,
    BadgeSheetState,
    Delegation,
    DelegationMembership,
    Entry,
)
from registration.selectors.accreditation import (
    _window,
    badge_label,
    badge_photo,
    badges_for_delegation,
    badges_for_sheet,
    zones_for,
)
from registration.services.athletes import athletes_access_log
from ticketing.enums import CredentialKind, CredentialState
from ticketing.rendering.pdf import CredentialCard, render_credential_cards, zone_names
from ticketing.services.credentials import credential_issue, credential_set_state, credentials_relabel
from ticketing.signing import credential_code

BADGE_STATUSES = (EntryStatus.APPROVED, EntryStatus.LOCKED)
PROGRESS_EVERY = 25
BADGE_SHEET_TASK = "registration.tasks.badge_sheet_render"
STAFF_ROLES = {MembershipRole.COACH: BadgeRole.COACH, MembershipRole.CHAPERONE: BadgeRole.CHAPERONE}

logger = logging.getLogger(__name__)


# --- selectors ---------------------------------------------------------------------------------


# --- services ----------------------------------------------------------------------------------


def _issue(
    *, delegation_id: int, event, role: str, label: str, entry=None, membership=None, zones_cache
) -> Badge:

    valid_from, valid_until = _window(event)
    key = (event.pk, role)
    if key not in zones_cache:
        zones_cache[key] = zones_for(event, role)
    credential = credential_issue(
        kind=CredentialKind.BADGE,
        event=event,
        valid_from=valid_from,
        valid_until=valid_until,
        zones=zones_cache[key],
        allows_reentry=True,
        holder_label=label,
    )
    return Badge.objects.create(
        credential=credential,
        delegation_id=delegation_id,
        event=event,
        role=role,
        entry=entry,
        membership=membership,
        holder_label=label,
    )


def badges_issue(*, delegation: Delegation) -> int:
    """Issue the missing badges: one per approved or locked entry, and one per coach and chaperone
    for each event the delegation has approved entries in. Idempotent. Locks the delegation row."""
    zones_cache: dict = {}
    issued = 0
    with transaction.atomic():
        Delegation.objects.select_for_update().filter(pk=delegation.pk).first()
        entries = (
            Entry.objects.filter(team__delegation=delegation, status__in=BADGE_STATUSES)
            .exclude(Exists(Badge.objects.filter(entry=OuterRef("pk"), revoked_at__isnull=True)))
            .select_related("athlete", "event")
            .order_by("pk")
        )
        events = {}
        for entry in entries:
            _issue(
                delegation_id=delegation.pk,
                event=entry.event,
                role=BadgeRole.ATHLETE,
                label=badge_label(entry.athlete),
                entry=entry,
                zones_cache=zones_cache,
            )
            issued += 1
        for event_entry in Entry.objects.filter(
            team__delegation=delegation, status__in=BADGE_STATUSES
        ).select_related("event"):
            events[event_entry.event_id] = event_entry.event
        staff = DelegationMembership.objects.filter(
            delegation=delegation, role__in=list(STAFF_ROLES), accepted_at__isnull=False
        ).select_related("user")
        for membership in staff:
            have = set(
                Badge.objects.filter(membership=membership, revoked_at__isnull=True).values_list(
                    "event_id", flat=True
                )
            )
            for event_id, event in sorted(events.items()):
                if event_id in have:
                    continue
                _issue(
                    delegation_id=delegation.pk,
                    event=event,
                    role=STAFF_ROLES[membership.role],
                    label=str(membership.user)[:120],
                    membership=membership,
                    zones_cache=zones_cache,
                )
                issued += 1
    return issued


def badges_revoke_for_entry(*, entry: Entry, reason: str = "") -> int:
    """Revoke the entry's live badges: the gate refuses their codes from now on."""

    with transaction.atomic():
        badges = list(
            Badge.objects.select_for_update().filter(entry=entry, revoked_at__isnull=True).order_by("pk")
        )
        now = timezone.now()
        for badge in badges:
            credential_set_state(
                credential=badge.credential, state=CredentialState.REVOKED, reason=reason[:200]
            )
            badge.revoked_at = now
            badge.save(update_fields=["revoked_at"])
    return len(badges)


def badge_sheet_job_create(*, user, delegation: Delegation) -> BadgeSheetJob:
    """Issue missing badges, then queue the sheet rendering (on commit); the page polls the job."""
    badges_issue(delegation=delegation)
    with transaction.atomic():
        job = BadgeSheetJob.objects.create(
            delegation=delegation,
            programme_id=delegation.programme_id,
            requested_by=user,
            total=badges_for_delegation(delegation).count(),
        )
        # By name: tasks are leaves (registration.tasks imports this module, never the reverse).
        render = current_app.signature(BADGE_SHEET_TASK, kwargs={"job_id": job.pk})
        transaction.on_commit(render.delay)
    return job


def badge_card(badge: Badge, *, delegation_name: str, photo: bytes | None = None, zone_cache=None):
    """The card of one badge. Zones print by name in the active language (入口A、4号剑道), never as codes;
    `zone_cache` (a dict) lets a sheet look each venue's names up once, not once per badge."""
    start, end = badge.event.start_date, badge.event.end_date
    dates = start.isoformat() if start == end else f"{start.isoformat()} – {end.isoformat()}"
    codes = tuple(badge.credential.zones or ())
    cache = {} if zone_cache is None else zone_cache
    key = (badge.event.venue_id, codes)
    if key not in cache:
        cache[key] = zone_names(codes, venue_ids=[badge.event.venue_id]) if codes else (_("all"),)
    return CredentialCard(
        code=credential_code(badge.credential),
        title=badge.event.name,
        subtitle=badge.get_role_display(),
        kind_label=_("Accreditation badge"),
        holder=badge.holder_label,
        lines=(delegation_name, dates),
        zones=cache[key],
        manual_code=badge.credential.short_code_display,  # typed at the gate when the QR will not scan
        footer="Corridor",
        accent={BadgeRole.ATHLETE: "#1f4e8c", BadgeRole.COACH: "#8c1f3a", BadgeRole.CHAPERONE: "#2f7a3a"}[
            badge.role
        ],
        photo=photo,
    )


def badge_sheet_render(*, job_id: int) -> BadgeSheetJob:
    """Build every card (the signed codes), counting progress on the job row, then render the PDF.
    Each progress update is its own small transaction so the polling page sees it."""

    job = BadgeSheetJob.objects.select_related("delegation").get(pk=job_id)
    BadgeSheetJob.objects.filter(pk=job.pk).update(state=BadgeSheetState.RUNNING, done=0)
    try:
        badges = list(badges_for_sheet(job.delegation))
        name = job.delegation.name
        cards = []
        zone_cache: dict = {}
        for index, badge in enumerate(badges, start=1):
            cards.append(
                badge_card(badge, delegation_name=name, photo=badge_photo(badge), zone_cache=zone_cache)
            )
            if index % PROGRESS_EVERY == 0:
                BadgeSheetJob.objects.filter(pk=job.pk).update(done=index * 9 // 10)
        pdf = render_credential_cards(cards, "a6-on-a4", title=_("Accreditation badges"))
        job.refresh_from_db()
        job.file.save(f"badges-{job.pk}.pdf", ContentFile(pdf), save=False)
        job.total = len(badges)
        job.done = len(badges)
        job.state = BadgeSheetState.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "total", "done", "state", "finished_at"])
    except Exception as error:
        if job.file:  # written, but the row could not take it (deleted meanwhile): no copy stays on disk
            job.file.delete(save=False)
        BadgeSheetJob.objects.filter(pk=job.pk).update(
            state=BadgeSheetState.FAILED, error=type(error).__name__, finished_at=timezone.now()
        )
        raise
    return job


def badge_sheets_discard(*, delegation_ids) -> int:
    """Delete the badge sheets made for these delegations (rows now, files once the transaction
    commits). A sheet is a copy of the children's names and photos as they were: when a child is
    anonymised, a photo is removed or photo consent is withdrawn, the copy goes too, and a manager
    who needs one makes a new sheet from the roster as it is now."""
    jobs = list(BadgeSheetJob.objects.filter(delegation_id__in=list(delegation_ids)))
    if not jobs:
        return 0
    files = [job.file.name for job in jobs if job.file]
    BadgeSheetJob.objects.filter(pk__in=[job.pk for job in jobs]).delete()
    storage = BadgeSheetJob._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return len(jobs)


def badges_relabel(*, athlete) -> None:
    """Print the athlete's name as it is now on their badges and the badges' gate credentials (after
    anonymisation: the anonymous name, so neither a scan answer nor an export shows the old one)."""
    label = badge_label(athlete)
    badges = Badge.objects.filter(entry__athlete=athlete)
    credentials_relabel(
        credential_ids=list(badges.values_list("credential_id", flat=True)), holder_label=label
    )
    badges.update(holder_label=label)


def badges_holders_read(*, credential_ids, user, single: bool = False) -> int:
    """ticketing's holders-read hook: an export (or, `single`, one credential's page) named the
    holders of these credentials; record one access per athlete whose badge is among them (coaches'
    and chaperones' badges are adults')."""
    athletes = [
        badge.entry.athlete
        for badge in Badge.objects.filter(
            credential_id__in=credential_ids, entry__isnull=False
        ).select_related("entry__athlete")
    ]
    kind = AthleteAccessKind.DETAIL if single else AthleteAccessKind.EXPORT
    return athletes_access_log(athletes=athletes, user=user, kind=kind)


def badge_sheet_ensure_no_badges(delegation: Delegation) -> None:
    if not badges_for_delegation(delegation).exists():
        raise BadgeError(_("No approved entries yet: there are no badges to print."))
