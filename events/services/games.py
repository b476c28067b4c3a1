"""Write paths of team competitions: round robins (Berger tables), groups then knockout with
cross-overs, single elimination with placement matches, and fencing team matches (the nine-bout relay).

The stage's `settings["rules"]` names how a game is scored and a group's ties are broken (FIBA, FIFA,
UEFA, ITTF; `fencing_team` for the relay), so a basketball draw is refused and a football group draw
counts. Knockout sides not known yet name their source ("group:A1", "winner:M3", "loser:M3"); after
every result `_knockout_follow` resolves them again from the results, so a correction flows through
everything that depended on it (a later result whose sides changed is cleared, and logged).

Locks: `games_generate` locks the `Event` row (as the fencing draws do). `game_result_record` locks
the event's `Stage` rows in primary-key order, then the `Match` row: a result moves teams into later
matches of another stage, so one event's results are recorded one after the other.
`team_lineup_set` takes the same locks in the same order, so an order is never saved into a match
that a correction is rewriting from a copy read before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from events.competition import brackets, roundrobin, standings
from events.competition.errors import DrawError, ResultError
from events.competition.fencing.team import TeamMatchResult, lineup_check, team_match_check
from events.enums import CompetitorKind, CompetitorStatus, Discipline, GameRules, MatchStatus, StageKind
from events.models import Competitor, Event, Match, Stage
from events.selectors.results import group_places
from events.services.competition import result_log, snapshot


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _clear_unstarted(event: Event) -> None:
    stages = list(Stage.objects.filter(event=event))
    if Match.objects.filter(stage__in=stages, status=MatchStatus.DONE).exists():
        raise DrawError(
            "games_started",
            _("the draw cannot be made again: results have been entered"),
            _("correct the results instead, or clear them first"),
        )
    Match.objects.filter(stage__in=stages).delete()
    Stage.objects.filter(pk__in=[s.pk for s in stages]).delete()


def games_generate(
    *, event: Event, rules: str, groups: int = 0, cycles: int = 1, knockout: bool = True, places: int = 4
) -> list[Stage]:
    """Draw an event's games from its active competitors in seed order.

    `groups` 0: single elimination (`places` played for: 2 a final, 4 adds third place, more adds the
    placement matches). `groups` 1 or more: round robins by the Berger tables (`cycles` 2: home and
    away), dealt in serpentine order; with `knockout`, the top two of each group go on to cross-overs
    (A1 v B2, B1 v A2), so `groups` must then be 2, 4, 8... A draw made before is made again while
    no game has a result. Locks the event row."""
    if rules not in GameRules.values:
        raise DrawError("rules", _("unknown rules for the games"), _("choose one of the listed rules"))
    with transaction.atomic():
        event = _lock_event(event)
        _clear_unstarted(event)
        active = Competitor.objects.filter(event=event, status=CompetitorStatus.ACTIVE).order_by("seed", "pk")
        seeds = [str(pk) for pk in active.values_list("pk", flat=True)]
        if rules == GameRules.FENCING_TEAM and event.discipline != Discipline.FENCING:
            raise DrawError(
                "team_sport",
                _("the fencing team relay is for fencing events"),
                _("choose the rules of this event's sport"),
            )
        if rules == GameRules.FENCING_TEAM and groups:
            raise DrawError(
                "team_groups",
                _("fencing team matches are drawn as a direct-elimination table"),
                _("choose no groups"),
            )
        if rules == GameRules.FENCING_TEAM and active.exclude(kind=CompetitorKind.TEAM).exists():
            raise DrawError(
                "team_entries",
                _("a team relay is drawn between teams, and this event's entries include single fencers"),
                _("enter the event's teams, or draw pools for an individual event"),
            )
        made: list[Stage] = []
        order = 1
        if groups:
            made.append(_groups_create(event, seeds, rules=rules, groups=groups, cycles=cycles))
            order = 2
        if not groups:
            bracket = brackets.single_elimination(seeds, places=places)
        elif knockout:
            bracket = brackets.crossover(groups, places=places)
        else:
            return made
        made.append(_knockout_create(event, bracket, rules=rules, order=order, places=places))
        return made


def _groups_create(event: Event, seeds: list[str], *, rules: str, groups: int, cycles: int) -> Stage:
    if groups > 1 and len(seeds) < 2 * groups:
        raise DrawError(
            "groups",
            _("%(count)s entries cannot fill %(groups)s groups of at least 2"),
            _("use fewer groups or add entries"),
            count=len(seeds),
            groups=groups,
        )
    dealt = brackets.groups_draw(seeds, groups) if groups > 1 else {"A": list(seeds)}
    stage = Stage.objects.create(
        event=event,
        kind=StageKind.GROUPS,
        order=1,
        settings={
            "rules": rules,
            "cycles": cycles,
            "source": roundrobin.SOURCE,
            "rules_source": standings.RULES[rules].source,
            "groups": [{"name": name, "entries": [int(k) for k in keys]} for name, keys in dealt.items()],
        },
    )
    rows = []
    for number, (name, keys) in enumerate(dealt.items(), start=1):
        pairings = [p for p in roundrobin.round_robin(keys, cycles=cycles) if not p.bye]
        for sequence, pairing in enumerate(pairings, start=1):
            rows.append(
                Match(
                    stage=stage,
                    code=f"{name}{sequence:02d}",
                    round=pairing.round,
                    pool=number,
                    sequence=sequence,
                    left_id=int(pairing.home),
                    right_id=int(pairing.away),
                )
            )
    Match.objects.bulk_create(rows)
    return stage


def _source(side: brackets.Side) -> str:
    if side.winner_of:
        return f"winner:{side.winner_of}"
    if side.loser_of:
        return f"loser:{side.loser_of}"
    if side.group_place:
        return f"group:{side.group_place}"
    return ""


def _knockout_create(
    event: Event, bracket: list[brackets.Match], *, rules: str, order: int, places: int
) -> Stage:
    stage = Stage.objects.create(
        event=event,
        kind=StageKind.KNOCKOUT,
        order=order,
        settings={"rules": rules, "places": places},
    )
    per_round: dict[int, int] = {}
    rows = []
    for m in bracket:
        per_round[m.round] = per_round.get(m.round, 0) + 1
        rows.append(
            Match(
                stage=stage,
                code=m.code,
                round=m.round,
                sequence=per_round[m.round],
                left_id=int(m.home.entry) if m.home.entry else None,
                right_id=int(m.away.entry) if m.away.entry else None,
                left_source=_source(m.home),
                right_source=_source(m.away),
                detail={"places": list(m.places)},
            )
        )
    Match.objects.bulk_create(rows)
    return stage


def _relays_check(relays: tuple[list[int], list[int]] | None, winner: str | None) -> str:
    """The winning side, "a" (home) or "b" (away); `winner` names the team that won on priority at
    equal touches, as "home"/"away" (the forms) or "a"/"b"."""
    if relays is None:
        raise ResultError(
            "relays",
            _("a team match has one to nine relays, both teams scored"),
            _("enter both scores for each relay"),
        )
    side = {"home": "a", "away": "b"}.get(winner or "", winner or None)
    return team_match_check(TeamMatchResult(tuple(relays[0]), tuple(relays[1]), side))


def game_result_record(
    *,
    match: Match,
    home_score: int,
    away_score: int,
    user,
    via: str = "",
    winner: str | None = None,
    relays: tuple[list[int], list[int]] | None = None,
) -> Match:
    """Record (or correct) a game's result and log it with who and when, then carry it through.

    Scores are checked against the stage's rules: a draw in basketball or table tennis is refused; a
    drawn knockout game in football needs `winner` ("home" or "away", after penalties). A fencing
    team match takes `relays` (the running scores after each relay, home then away) and its final
    score is the last relay's. Group results then fill the knockout's group places once a group is
    complete; knockout results fill later rounds; a correction clears the later results whose sides
    changed. Locks the event's stages in primary-key order, then the match.
    """
    with transaction.atomic():
        stages = {
            s.pk: s
            for s in Stage.objects.select_for_update().filter(event_id=match.stage.event_id).order_by("pk")
        }
        match = Match.objects.select_for_update().get(pk=match.pk)
        stage = stages[match.stage_id]
        if match.left_id is None or match.right_id is None:
            raise ResultError(
                "not_ready",
                _("game %(label)s cannot be scored yet: both sides must be known"),
                _("enter the results of the games before it first"),
                label=match.code,
            )
        rules = stage.settings.get("rules", GameRules.FIBA)
        detail = dict(match.detail)
        if rules == GameRules.FENCING_TEAM:
            side = _relays_check(relays, winner)
            home_score, away_score = relays[0][-1], relays[1][-1]  # type: ignore[index]
            detail["relays"] = [list(relays[0]), list(relays[1])]  # type: ignore[index]
            winner_id = match.left_id if side == "a" else match.right_id
        else:
            standings.game_check(
                standings.Game(str(match.left_id), str(match.right_id), home_score, away_score),
                standings.RULES[rules],
            )
            winner_id = _winner(match, stage, home_score, away_score, winner)
        before = snapshot(match)
        match.left_score, match.right_score, match.winner_id = home_score, away_score, winner_id
        match.status, match.detail = MatchStatus.DONE, detail
        match.save(update_fields=["left_score", "right_score", "winner", "status", "detail", "updated_at"])
        result_log(match=match, before=before, user=user, via=via)
        _knockout_follow(stages=list(stages.values()), user=user, via=via)
        match.refresh_from_db()
        return match


def _winner(match: Match, stage: Stage, home: int, away: int, winner: str | None) -> int | None:
    if home != away:
        return match.left_id if home > away else match.right_id
    if stage.kind == StageKind.GROUPS:
        return None
    if winner not in ("home", "away"):
        raise ResultError(
            "knockout_draw",
            _("a knockout game needs a winner"),
            _("mark who won on penalties"),
        )
    return match.left_id if winner == "home" else match.right_id


def _loser(match: Match) -> int | None:
    if match.winner_id is None:
        return None
    return match.right_id if match.winner_id == match.left_id else match.left_id


def _knockout_follow(*, stages: list[Stage], user, via: str) -> None:
    """Bring every knockout side in line with the results it comes from; clear a result whose sides
    changed (logged), which in turn empties the matches after it."""
    knockout = next((s for s in stages if s.kind == StageKind.KNOCKOUT), None)
    if knockout is None:
        return
    groups = next((s for s in stages if s.kind == StageKind.GROUPS), None)
    places = group_places(stage=groups) if groups is not None else {}
    done: dict[str, Match] = {}
    for match in knockout.matches.order_by("round", "sequence"):
        left = _resolve(match.left_source, match.left_id, places, done)
        right = _resolve(match.right_source, match.right_id, places, done)
        if (left, right) != (match.left_id, match.right_id):
            before = snapshot(match)
            had_result = match.status == MatchStatus.DONE
            match.left_id, match.right_id = left, right
            kept = _lineups_kept(match.detail, match)  # a team no longer in it takes its order away
            lineup_left = kept.get("lineup") != match.detail.get("lineup")
            match.detail = kept
            if had_result:
                match.left_score = match.right_score = match.winner_id = None
                match.status = MatchStatus.SCHEDULED
                match.detail = {k: v for k, v in match.detail.items() if k != "relays"}
            match.save(
                update_fields=[
                    "left",
                    "right",
                    "left_score",
                    "right_score",
                    "winner",
                    "status",
                    "detail",
                    "updated_at",
                ]
            )
            if had_result or lineup_left:
                result_log(match=match, before=before, user=user, via=via)
        done[match.code] = match


def _lineups_kept(detail: dict, match: Match) -> dict:
    """`detail` with only the line-ups of the teams now in the match (keyed by competitor id)."""
    lineups = detail.get("lineup")
    if not lineups:
        return detail
    sides = {str(match.left_id), str(match.right_id)}
    kept = {team: order for team, order in lineups.items() if team in sides}
    rest = {k: v for k, v in detail.items() if k != "lineup"}
    return {**rest, "lineup": kept} if kept else rest


def team_lineup_set(*, match: Match, team: Competitor, order: Sequence[str], user, via: str = "") -> Match:
    """Record (or change) a team's order for a relay match: its three fencers in positions 1-2-3 (the
    home team) or 4-5-6 (away), checked against the team's members as registration last synced them,
    and logged with who and when as a result is. Kept under the team's id in `detail["lineup"]`, so a
    team that leaves the match (a corrected earlier result) takes its order with it, logged too. An
    order may be corrected after the relays are recorded (it is logged like any correction). Locks the
    event's stages in primary-key order, then the match, as `game_result_record` does (whose
    `_knockout_follow` rewrites later matches' detail), then reads the team, so the order is checked
    against the sides the match has now."""
    with transaction.atomic():
        list(Stage.objects.select_for_update().filter(event_id=match.stage.event_id).order_by("pk"))
        match = Match.objects.select_for_update().select_related("stage").get(pk=match.pk)
        if match.stage.settings.get("rules") != GameRules.FENCING_TEAM:
            raise ResultError(
                "not_relay",
                _("only a fencing team match has a line-up"),
                _("open the match from its team event"),
            )
        if team.pk not in (match.left_id, match.right_id):
            raise ResultError(
                "not_in_match",
                _("%(team)s does not fence in %(label)s"),
                _("choose one of the match's two teams"),
                team=team.display_name,
                label=match.code,
            )
        team = Competitor.objects.get(pk=team.pk)
        chosen = lineup_check(order, team.members)
        before = snapshot(match)
        lineups = _lineups_kept(match.detail, match).get("lineup", {})
        match.detail = {**match.detail, "lineup": {**lineups, str(team.pk): list(chosen)}}
        match.save(update_fields=["detail", "updated_at"])
        result_log(match=match, before=before, user=user, via=via)
        return match


def _resolve(source: str, current: int | None, places: dict[str, int], done: dict[str, Match]) -> int | None:
    if not source:
        return current
    kind, _sep, ref = source.partition(":")
    if kind == "group":
        return places.get(ref)
    earlier = done.get(ref)
    if earlier is None or earlier.status != MatchStatus.DONE:
        return None
    return earlier.winner_id if kind == "winner" else _loser(earlier)
