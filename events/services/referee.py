"""Referee links: a signed link per pool, piste, court or course that lets whoever holds it enter the
results of exactly those matches, from a phone, without an account.

The link carries its scope, when it was issued and its expiry, signed with Django's signing (HMAC under
SECRET_KEY, salted for this use only), so nothing is stored when one is made and nothing can be
widened: a link for pool 2 cannot touch a bout of pool 3, an expired link changes nothing, and every
result entered through one is logged with the link's label as who entered it. Organisers make links
(`referee_link_make`) and may revoke those of one scope before they expire (`referee_link_revoke`: a
`RefereeLinkRevocation` row refuses every link of that scope issued up to then; links issued later and
other scopes' links keep working). The referee page reads them (`referee_scope_read`, one indexed
look-up for a revocation) and records through `referee_result_record`, which checks the scope and
hands over to the format's own service (which takes its own locks).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.enums import MatchSides, StageKind
from events.errors import EventsError
from events.models import Event, Match, RefereeLinkRevocation, Stage, VenueResource
from events.services import games, races
from events.services.competition import bout_result_record

SALT = "events.referee-link"
DEFAULT_HOURS = 36

logger = logging.getLogger("events.referee")


class RefereeLinkError(EventsError):
    """A link that cannot be used: forged or garbled (`expired` and `revoked` False), past its
    expiry, or revoked by an organiser."""

    def __init__(self, message, *, expired: bool = False, revoked: bool = False):
        self.expired = expired
        self.revoked = revoked
        super().__init__(str(message))

    @property
    def gone(self) -> bool:
        """The link was real but no longer works (the page answers 410, not 404)."""
        return self.expired or self.revoked


@dataclass(frozen=True)
class RefereeScope:
    event_id: int
    stage_id: int | None
    pool: int | None
    resource_id: int | None
    expires_at: dt.datetime
    issued_us: int = 0  # microseconds since the epoch when issued; 0 for links made before revocation

    def revocations(self):
        """The revocations of exactly this scope."""
        return RefereeLinkRevocation.objects.filter(
            event_id=self.event_id, stage_id=self.stage_id, pool=self.pool, resource_id=self.resource_id
        )

    def covers(self, match: Match) -> bool:
        if match.stage.event_id != self.event_id:
            return False
        if self.resource_id is not None:
            return match.resource_id == self.resource_id
        if match.stage_id != self.stage_id:
            return False
        return self.pool is None or match.pool == self.pool

    def matches(self):
        """The matches this link may score, in running order."""
        rows = Match.objects.filter(stage__event_id=self.event_id).select_related("stage", "left", "right")
        if self.resource_id is not None:
            rows = rows.filter(resource_id=self.resource_id)
        else:
            rows = rows.filter(stage_id=self.stage_id)
            if self.pool is not None:
                rows = rows.filter(pool=self.pool)
        return rows.prefetch_related("lanes__competitor").order_by(
            "starts_at", "stage__order", "round", "pool", "sequence"
        )

    @property
    def label(self) -> str:
        if self.resource_id is not None:
            resource = VenueResource.objects.filter(pk=self.resource_id).first()
            return str(resource.name if resource else self.resource_id)
        stage = Stage.objects.filter(pk=self.stage_id).first()
        if stage is not None and stage.kind == StageKind.POOLS and self.pool:
            return str(_("Pool %(number)s") % {"number": self.pool})
        if stage is not None and stage.kind == StageKind.GROUPS and self.pool:
            return str(_("Group %(name)s") % {"name": chr(ord("A") + self.pool - 1)})
        return str(stage.get_kind_display()) if stage else ""


def referee_link_make(
    *,
    event_id: int,
    stage: Stage | None = None,
    pool: int | None = None,
    resource: VenueResource | None = None,
    expires_at: dt.datetime | None = None,
) -> str:
    """A signed token for the referee page: one pool (stage and pool), a whole stage (every race of a
    course), or one piste or court (`resource`: every match of the event placed on it). Expires at
    `expires_at` (default: 36 hours from now)."""
    if (stage is None) == (resource is None):
        raise ValueError("a referee link is for a stage (and pool) or for a resource")
    now = timezone.now()
    expires_at = expires_at or now + dt.timedelta(hours=DEFAULT_HOURS)
    payload = {
        "e": event_id,
        "s": stage.pk if stage else None,
        "p": pool,
        "r": resource.pk if resource else None,
        "x": int(expires_at.timestamp()),
        "i": _microseconds(now),
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def _microseconds(moment: dt.datetime) -> int:
    # Whole microseconds, so a link issued right after a revocation is never taken for an older one.
    return (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


def _scope_of(token: str) -> RefereeScope:
    """The scope a token names, signature checked, expiry and revocation not (yet)."""
    try:
        data = signing.loads(token, salt=SALT)
        return RefereeScope(
            event_id=int(data["e"]),
            stage_id=int(data["s"]) if data["s"] is not None else None,
            pool=int(data["p"]) if data["p"] is not None else None,
            resource_id=int(data["r"]) if data["r"] is not None else None,
            expires_at=dt.datetime.fromtimestamp(int(data["x"]), tz=dt.UTC),
            issued_us=int(data.get("i") or 0),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError) as error:
        raise RefereeLinkError(_("This referee link is not valid.")) from error


def referee_scope_read(token: str, *, now: dt.datetime | None = None) -> RefereeScope:
    """The scope a token grants; `RefereeLinkError` if it was not signed here, has expired, or was
    revoked (a revocation of its scope at or after the moment it was issued)."""
    scope = _scope_of(token)
    if (now or timezone.now()) >= scope.expires_at:
        raise RefereeLinkError(_("This referee link expired: ask the organiser for a new one."), expired=True)
    issued = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=scope.issued_us)
    if scope.revocations().filter(revoked_at__gte=issued).exists():
        raise RefereeLinkError(
            _("This referee link was revoked by the organiser: ask them for a new one."), revoked=True
        )
    return scope


def referee_link_scope_for_event(*, event: Event, token: str) -> RefereeScope:
    """The scope of a link of `event` (signature checked; expired or revoked links included, so an
    organiser can still revoke them). `RefereeLinkError` for a forged link or another event's."""
    scope = _scope_of(token)
    if scope.event_id != event.pk:
        raise RefereeLinkError(_("This referee link is not valid."))
    return scope


def referee_link_revoke(*, event: Event, token: str, user) -> RefereeLinkRevocation:
    """Revoke every link of the scope `token` names (its pool, stage or piste) issued until now, for
    a lost phone or a referee replaced. Links of other scopes, and links issued afterwards (the
    organiser page makes a new one at once), keep working. Records and logs who revoked it and when.
    Nothing is locked: a revocation only adds a row, and two at once both refuse the same links."""
    scope = referee_link_scope_for_event(event=event, token=token)
    with transaction.atomic():
        revocation = RefereeLinkRevocation.objects.create(
            event=event,
            stage_id=scope.stage_id,
            pool=scope.pool,
            resource_id=scope.resource_id,
            label=scope.label[:120],
            revoked_by=user if user is not None and user.is_authenticated else None,
        )
    # The log names the scope and the organiser's id, never the token (a bearer secret).
    logger.info(
        "referee link revoked",
        extra={
            "event_id": event.pk,
            "stage_id": scope.stage_id,
            "pool": scope.pool,
            "resource_id": scope.resource_id,
            "revoked_by": revocation.revoked_by_id,
            "revoked_at": revocation.revoked_at.isoformat(),
        },
    )
    return revocation


def referee_result_record(*, scope: RefereeScope, match: Match, data: dict) -> Match:
    """Record a result through a referee link: only for a match inside the link's scope (anything else
    is `Match.DoesNotExist`, so the page answers 404 and nothing changes). `data` is what the
    format's form parsed. The result log names the link as who entered it."""
    if not scope.covers(match):
        raise Match.DoesNotExist
    via = str(_("referee link: %(label)s") % {"label": scope.label})
    if match.sides == MatchSides.LANES:
        return races.race_result_record(match=match, finishes=data["finishes"], user=None, via=via)
    if match.stage.kind in (StageKind.POOLS, StageKind.TABLEAU):
        winner = {"left": match.left, "right": match.right}.get(data.get("priority") or "")
        return bout_result_record(
            match=match,
            left_score=data["left_score"],
            right_score=data["right_score"],
            winner=winner,
            user=None,
            via=via,
        )
    return games.game_result_record(
        match=match,
        home_score=data.get("left_score") or 0,
        away_score=data.get("right_score") or 0,
        winner=data.get("winner") or None,
        relays=data.get("relays"),
        user=None,
        via=via,
    )
