"""Write paths of competitions: draw the pools, record results, draw the tableau and carry winners on.

Each service is one transaction. Refusals are the formats' own `DrawError` / `ResultError`
(events.competition.errors): a code, the reason and what would fix it, in both languages. Rankings
are never stored: selectors derive them from the matches, so a corrected result flows through.

Locks: `pools_generate` and `tableau_generate` lock the `Event` row (as `session_create` does), so two
organisers cannot draw one event twice at once. `bout_result_record` locks the `Stage` row, then the
`Match` row: results of one tableau are recorded one after the other, since a result moves fencers
into later bouts.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from events.competition.errors import DrawError, ResultError
from events.competition.fencing.pools import Fencer, pools_draw
from events.competition.fencing.ranking import PoolBout, bout_check, pool_cut
from events.competition.fencing.tableau import DEResult, Tableau, tableau_bouts, tableau_draw, tableau_record
from events.enums import CompetitorStatus, Discipline, MatchSides, MatchStatus, StageKind
from events.models import Competitor, Event, Match, ResultChange, Stage
from events.selectors.competition import overall_ranking

POOL_TOUCHES = 5
TABLEAU_TOUCHES = 15


def _lock_event(event: Event) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.discipline != Discipline.FENCING:
        raise DrawError(
            "not_fencing",
            _("only a fencing event has pools and a tableau"),
            _("choose a fencing event"),
        )
    return event


def _has_results(stage: Stage) -> bool:
    return stage.matches.filter(status=MatchStatus.DONE).exists()


def pools_generate(*, event: Event, max_size: int = 7) -> Stage:
    """Draw the pools of a fencing event from its active competitors and store them with the official
    order of bouts. Pools drawn before are drawn again while no bout has a result (the tableau goes
    with them); after that the draw is refused. Locks the event row."""
    with transaction.atomic():
        event = _lock_event(event)
        existing = list(Stage.objects.filter(event=event).order_by("order"))
        if any(_has_results(stage) for stage in existing):
            raise DrawError(
                "pools_started",
                _("the pools cannot be drawn again: results have been entered"),
                _("correct the results instead, or clear them first"),
            )
        competitors = list(
            Competitor.objects.filter(event=event, status=CompetitorStatus.ACTIVE).order_by("seed", "pk")
        )
        fencers = [
            Fencer(key=str(c.pk), seed=c.seed, club=c.club_zh or c.club_en, city=c.city_zh)
            for c in competitors
        ]
        draw = pools_draw(fencers, max_size=max_size)
        for stage in existing:
            stage.matches.all().delete()
            stage.delete()
        stage = Stage.objects.create(
            event=event,
            kind=StageKind.POOLS,
            order=1,
            settings={
                "touches": POOL_TOUCHES,
                "max_size": max_size,
                "source": draw.pools[0].order.source,
                "pools": [
                    {
                        "number": p.number,
                        "table": p.order.table,
                        "positions": [int(k) for k in p.order.positions],
                    }
                    for p in draw.pools
                ],
                "unseparated": [list(u) for u in draw.unseparated],
            },
        )
        Match.objects.bulk_create(
            Match(
                stage=stage,
                code=f"P{pool.number}-{sequence:02d}",
                round=1,
                pool=pool.number,
                sequence=sequence,
                left_id=int(left),
                right_id=int(right),
            )
            for pool in draw.pools
            for sequence, (left, right) in enumerate(pool.order.bouts, start=1)
        )
        return stage


def snapshot(match: Match) -> dict:
    """A match's result as the result log keeps it (a race: every lane's crew, time and finish)."""
    if match.sides == MatchSides.LANES:
        return {
            "status": match.status,
            "lanes": [
                [ln.lane, ln.competitor_id, ln.time_ms, ln.status] for ln in match.lanes.order_by("lane")
            ],
        }
    data = {
        "left": match.left_id,
        "right": match.right_id,
        "left_score": match.left_score,
        "right_score": match.right_score,
        "winner": match.winner_id,
        "status": match.status,
    }
    if match.detail.get("relays"):
        data["relays"] = match.detail["relays"]
    if match.detail.get("lineup"):
        data["lineup"] = match.detail["lineup"]
    return data


def result_log(*, match: Match, before: dict, user, via: str = "") -> ResultChange:
    """Record one result change: who (an account, or the referee link it came `via`), when, before, after."""
    return ResultChange.objects.create(
        match=match, changed_by=user, via=via[:80], before=before, after=snapshot(match)
    )


def bout_result_record(
    *, match: Match, left_score: int, right_score: int, user, winner: Competitor | None = None, via: str = ""
) -> Match:
    """Record (or correct) the result of a bout and log the change with who and when.

    Pool bouts are fought to 5 touches, tableau bouts to 15; a score that cannot be is refused with
    the reason. `winner` is needed only for equal touches (won on priority). A tableau result moves
    the winner into the next bout; a correction that changes the winner clears the later results
    that depended on it. A pool correction after the tableau was drawn redraws a tableau with no
    results, and is refused once the tableau has started. Locks the stage row, then the match row.
    """
    with transaction.atomic():
        stage = Stage.objects.select_for_update().get(pk=match.stage_id)
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.left_id is None or match.right_id is None:
            raise ResultError(
                "not_ready",
                _("bout %(label)s cannot be scored yet: both fencers must be known"),
                _("enter the results of the bouts before it first"),
                label=match.code,
            )
        winner_key = str(winner.pk) if winner is not None else None
        if stage.kind == StageKind.POOLS:
            bout = PoolBout(str(match.left_id), str(match.right_id), left_score, right_score, winner_key)
            bout_check(bout, touches=stage.touches)
            tableau_stage = Stage.objects.filter(event_id=stage.event_id, kind=StageKind.TABLEAU).first()
            if tableau_stage is not None and _has_results(tableau_stage):
                raise ResultError(
                    "tableau_started",
                    _("the pools cannot change any more: the tableau has results"),
                    _("clear the tableau's results first"),
                )
            _write(match, left_score, right_score, int(bout.victor), user, via)
            if tableau_stage is not None:
                _tableau_redraw(stage=stage, tableau_stage=tableau_stage)
            return match
        _tableau_result(stage, match, left_score, right_score, winner_key, user, via)
        match.refresh_from_db()
        return match


def _write(
    match: Match, left_score: int | None, right_score: int | None, winner_id: int | None, user, via: str = ""
) -> None:
    before = snapshot(match)
    match.left_score, match.right_score, match.winner_id = left_score, right_score, winner_id
    match.status = MatchStatus.DONE if winner_id and left_score is not None else match.status
    match.save(update_fields=["left_score", "right_score", "winner", "status", "updated_at"])
    result_log(match=match, before=before, user=user, via=via)


def _tableau_of(stage: Stage, matches: list[Match]) -> Tableau:
    results = tuple(
        DEResult(m.round, m.sequence - 1, m.left_score, m.right_score, str(m.winner_id))
        for m in matches
        if m.status == MatchStatus.DONE
    )
    return Tableau(
        size=stage.settings["size"],
        seeds=tuple(str(pk) for pk in stage.settings["seeds"]),
        results=results,
        touches=stage.touches,
    )


def _tableau_result(stage, match, left_score, right_score, winner_key, user, via) -> None:
    matches = list(stage.matches.order_by("-round", "sequence"))
    tableau = tableau_record(
        _tableau_of(stage, matches),
        table=match.round,
        index=match.sequence - 1,
        top_score=left_score,
        bottom_score=right_score,
        winner=winner_key,
    )
    _tableau_sync(stage, matches, tableau, user, via)


def _tableau_sync(stage: Stage, matches: list[Match], tableau: Tableau, user, via: str = "") -> None:
    """Bring every stored tableau bout in line with the pure tableau: who fences, scores, winners."""
    by_place = {(m.round, m.sequence - 1): m for m in matches}
    for bout in tableau_bouts(tableau):
        match = by_place[(bout.table, bout.index)]
        left = int(bout.top) if bout.top else None
        right = int(bout.bottom) if bout.bottom else None
        winner = int(bout.winner) if bout.winner else None
        if bout.bye:
            status = MatchStatus.WALKOVER
        elif winner is not None:
            status = MatchStatus.DONE
        else:
            status = MatchStatus.SCHEDULED
        target = (left, right, bout.top_score, bout.bottom_score, winner, status)
        current = (
            match.left_id,
            match.right_id,
            match.left_score,
            match.right_score,
            match.winner_id,
            match.status,
        )
        if target == current:
            continue
        before = snapshot(match)
        (
            match.left_id,
            match.right_id,
            match.left_score,
            match.right_score,
            match.winner_id,
            match.status,
        ) = target
        match.save(
            update_fields=["left", "right", "left_score", "right_score", "winner", "status", "updated_at"]
        )
        if before["left_score"] is not None or match.left_score is not None:
            result_log(match=match, before=before, user=user, via=via)


def tableau_generate(*, event: Event, cut_percent: int | None = None) -> Stage:
    """Draw the direct-elimination tableau from the ranking after the pools (all pool bouts fenced),
    through the cut (`cut_percent`, None: everybody), with byes to the top seeds. A tableau drawn
    before is drawn again while it has no result. Locks the event row."""
    with transaction.atomic():
        event = _lock_event(event)
        pools = Stage.objects.filter(event=event, kind=StageKind.POOLS).first()
        if pools is None:
            raise DrawError(
                "no_pools",
                _("the tableau follows the pools, and there are no pools yet"),
                _("draw the pools first"),
            )
        matches = list(pools.matches.all())
        competitors = {c.pk: c for c in Competitor.objects.filter(event=event)}
        gone = {pk for pk, c in competitors.items() if not c.is_active}
        waiting = [
            m
            for m in matches
            if m.status not in (MatchStatus.DONE, MatchStatus.WALKOVER, MatchStatus.WITHDRAWN)
            and m.left_id not in gone
            and m.right_id not in gone
        ]
        if waiting:
            raise DrawError(
                "pools_unfinished",
                _("%(count)s pool bouts have no result yet"),
                _("enter every pool result before drawing the tableau"),
                count=len(waiting),
            )
        old = Stage.objects.filter(event=event, kind=StageKind.TABLEAU).first()
        if old is not None:
            if _has_results(old):
                raise DrawError(
                    "tableau_started",
                    _("the tableau cannot be drawn again: it has results"),
                    _("correct the tableau's results instead"),
                )
            old.matches.all().delete()
            old.delete()
        ranking = overall_ranking(stage=pools, competitors=competitors, matches=matches)
        qualifiers = pool_cut(ranking, percent=cut_percent) if cut_percent else ranking
        return _tableau_create(
            event=event, pools=pools, seeds=[s.key for s in qualifiers], cut_percent=cut_percent
        )


def _tableau_create(*, event: Event, pools: Stage, seeds: list[str], cut_percent: int | None) -> Stage:
    tableau = tableau_draw(seeds, touches=TABLEAU_TOUCHES)
    stage = Stage.objects.create(
        event=event,
        kind=StageKind.TABLEAU,
        order=pools.order + 1,
        settings={
            "touches": TABLEAU_TOUCHES,
            "size": tableau.size,
            "seeds": [int(k) for k in tableau.seeds],
            "cut_percent": cut_percent,
        },
    )
    rows = []
    for bout in tableau_bouts(tableau):
        sources = [f"winner:T{t}-{i + 1}" for t, i in bout.feeds] if bout.feeds else ["", ""]
        rows.append(
            Match(
                stage=stage,
                code=bout.label,
                round=bout.table,
                sequence=bout.index + 1,
                left_id=int(bout.top) if bout.top else None,
                right_id=int(bout.bottom) if bout.bottom else None,
                left_source=sources[0],
                right_source=sources[1],
                winner_id=int(bout.winner) if bout.winner else None,
                status=MatchStatus.WALKOVER if bout.bye else MatchStatus.SCHEDULED,
            )
        )
    Match.objects.bulk_create(rows)
    return stage


def _tableau_redraw(*, stage: Stage, tableau_stage: Stage) -> None:
    """A pool correction changes the ranking: the tableau (still without results) follows it."""
    ranking = overall_ranking(stage=stage)
    cut_percent = tableau_stage.settings.get("cut_percent")
    qualifiers = pool_cut(ranking, percent=cut_percent) if cut_percent else ranking
    tableau_stage.matches.all().delete()
    tableau_stage.delete()
    _tableau_create(
        event=stage.event, pools=stage, seeds=[s.key for s in qualifiers], cut_percent=cut_percent
    )
