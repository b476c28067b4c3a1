"""Referee links: a signed link per pool, piste, court or course that lets whoever holds it enter the
results of exactly those matches, from a phone, without an account.

The link carries its scope and its expiry, signed with Django's signing (HMAC under SECRET_KEY, salted
for this use only), so nothing is stored and nothing can be widened: a link for pool 2 cannot touch a
bout of pool 3, an expired link changes nothing, and every result entered through one is logged with
the link's label as who entered it. Organisers make links (`referee_link_make`); the referee page reads
them (`referee_scope_read`) and records through `referee_result_record`, which checks the scope and
hands over to the format's own service (which takes its own locks).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.enums import MatchSides, StageKind
from events.errors import EventsError
from events.models import Match, Stage, VenueResource
from events.services import games, races
from events.services.competition import bout_result_record

SALT = "events.referee-link"
DEFAULT_HOURS = 36


class RefereeLinkError(EventsError):
    """A link that cannot be used: forged or garbled (`expired` False), or past its expiry."""

    def __init__(self, message, *, expired: bool = False):
        self.expired = expired
        super().__init__(str(message))


@dataclass(frozen=True)
class RefereeScope:
    event_id: int
    stage_id: int | None
    pool: int | None
    resource_id: int | None
    expires_at: dt.datetime

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
    expires_at = expires_at or timezone.now() + dt.timedelta(hours=DEFAULT_HOURS)
    payload = {
        "e": event_id,
        "s": stage.pk if stage else None,
        "p": pool,
        "r": resource.pk if resource else None,
        "x": int(expires_at.timestamp()),
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def referee_scope_read(token: str, *, now: dt.datetime | None = None) -> RefereeScope:
    """The scope a token grants; `RefereeLinkError` if it was not signed here or has expired."""
    try:
        data = signing.loads(token, salt=SALT)
        scope = RefereeScope(
            event_id=int(data["e"]),
            stage_id=int(data["s"]) if data["s"] is not None else None,
            pool=int(data["p"]) if data["p"] is not None else None,
            resource_id=int(data["r"]) if data["r"] is not None else None,
            expires_at=dt.datetime.fromtimestamp(int(data["x"]), tz=dt.UTC),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise RefereeLinkError(_("This referee link is not valid.")) from error
    if (now or timezone.now()) >= scope.expires_at:
        raise RefereeLinkError(_("This referee link expired: ask the organiser for a new one."), expired=True)
    return scope


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
