"""The competition slice of the demo season: every demo fencing event's approved entries become
competitors and every event has its pools drawn. Yesterday's U12 men's foil has most pool results in
(the last pool half way, so the sheet shows both); yesterday's other foil events are fenced through
to the final (the tableau and the medal table have real results); today's épée has the first bouts
of each pool in; tomorrow's sabre is not drawn yet. Runs after registration's own slice (it needs the
entries). Idempotent: pools and tableaux are drawn once, and a bout already scored is left as it is.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.contrib.auth import get_user_model

from events.enums import Discipline, MatchStatus, StageKind
from events.models import Event, Programme, Stage
from events.services.competition import bout_result_record, pools_generate, tableau_generate
from registration.services.competitors import competitors_sync

POOLS_EVENT = "fencing-u12-men-foil"


def seed() -> str:
    programme = Programme.objects.filter(slug="corridor-2027").first()
    if programme is None:
        return "skipped (no demo programme)"
    events = list(
        Event.objects.filter(programme=programme, discipline=Discipline.FENCING, entries__isnull=False)
        .distinct()
        .order_by("start_date", "slug")
    )
    synced = 0
    for event in events:
        competitors_sync(event=event)
        synced += event.competitors.count()
    organiser = get_user_model().objects.filter(email=settings.CORRIDOR_DEMO_ORGANISER_EMAIL).first()
    scored = 0
    for event in events:
        stage = Stage.objects.filter(event=event, kind=StageKind.POOLS).first()
        # Tomorrow's sabre stays undrawn: every drawn match is placed by the schedule slice.
        if stage is None and event.weapon != "sabre" and event.competitors.count() >= 4:
            stage = pools_generate(event=event, max_size=6)
        if stage is None:
            continue
        if event.slug == POOLS_EVENT:
            scored += _fence_pools(stage, organiser, leave_last_half=True)
        elif event.weapon == "foil":
            scored += _fence_pools(stage, organiser)
            scored += _fence_tableau(event, organiser)
        elif event.weapon == "epee":
            scored += _fence_pools(stage, organiser, first=3)
    return f"{synced} competitors; pools drawn in {len(events)} events, {scored} bouts scored now"


def _bout_scores(rng: random.Random, match, touches: int) -> tuple[int, int]:
    loser = rng.randrange(touches)
    favourite = match.left.seed < match.right.seed
    left_wins = rng.random() < (0.7 if favourite else 0.3)
    return (touches, loser) if left_wins else (loser, touches)


def _fence_pools(stage: Stage, organiser, *, leave_last_half: bool = False, first: int | None = None) -> int:
    rng = random.Random(f"{stage.event.slug}-pools")  # noqa: S311 - made-up scores, not security
    pools = [p["number"] for p in stage.settings["pools"]]
    matches = list(stage.matches.select_related("left", "right").order_by("pool", "sequence"))
    half = sum(1 for m in matches if m.pool == pools[-1]) // 2
    scored = 0
    for match in matches:
        if leave_last_half and match.pool == pools[-1] and match.sequence > half:
            continue
        if first is not None and match.sequence > first:
            continue
        # Drawn before the skip below, so a second run draws the same scores for the same bouts.
        left, right = _bout_scores(rng, match, 5)
        if match.status != MatchStatus.SCHEDULED:
            continue
        bout_result_record(match=match, left_score=left, right_score=right, user=organiser)
        scored += 1
    return scored


def _fence_tableau(event: Event, organiser) -> int:
    """Draw the tableau once every pool bout is in, then fence it table by table to the final."""
    tableau = Stage.objects.filter(event=event, kind=StageKind.TABLEAU).first()
    if tableau is None:
        tableau = tableau_generate(event=event)
    rng = random.Random(f"{event.slug}-tableau")  # noqa: S311 - made-up scores, not security
    scored = 0
    for table in sorted({m.round for m in tableau.matches.all()}, reverse=True):
        for match in tableau.matches.filter(round=table).select_related("left", "right").order_by("sequence"):
            if match.status != MatchStatus.SCHEDULED or match.left is None or match.right is None:
                continue
            left, right = _bout_scores(rng, match, 15)
            bout_result_record(match=match, left_score=left, right_score=right, user=organiser)
            scored += 1
    return scored
