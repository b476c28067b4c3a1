"""Write paths of dragon-boat racing: draw every race of the progression (heats, repechages, semi-finals,
finals from the data tables in `events.competition.dragonboat.tables`) and record race results.

Races of later rounds exist from the start, their lanes holding placeholders ("the second-fastest heat
winner", "the third-fastest of the other crews of the heats") worked out from the same table the
engine uses. After every result the pure engine (`progression_run`) is run again on every finished
race and each lane is brought in line with it: a round whose feeders are all finished gets its crews,
lanes filled from the centre; a correction that changes who qualifies clears the later results it
invalidates (logged), and those lanes go back to placeholders until the engine can fill them again.

Locks: `races_generate` the `Event` row; `race_result_record` the `Stage` row, then the `Match` row
(a result moves crews into later races of the stage).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from events.competition.dragonboat.progression import (
    Finish,
    progression_for,
    progression_run,
    round_draw,
    time_check,
)
from events.competition.dragonboat.tables import Progression
from events.competition.errors import DrawError, ResultError
from events.enums import CompetitorStatus, Discipline, LaneStatus, MatchSides, MatchStatus, StageKind
from events.models import Competitor, Event, Lane, Match, Stage
from events.selectors.results import stage_progression
from events.services.competition import result_log, snapshot


def _placeholders(progression: Progression, first_sizes: list[int]) -> dict[str, list[str]]:
    """Per later round, its qualifiers best first as placeholder codes, in the order the engine ranks
    them: per feeding round (tables list feeders first), its places in order (fastest first among
    equal places), then the fastest of the rest (or of one place's finishers). `first_sizes` lists the
    crews in each first race."""
    sizes = {progression.rounds[0].name: first_sizes}
    codes_for: dict[str, list[str]] = {}
    for spec in progression.rounds:
        if spec.name not in sizes:
            races = round_draw(progression, spec.name, codes_for.get(spec.name, []))
            sizes[spec.name] = [len(r.lanes) for r in races]
        counts = sizes[spec.name]
        left = sum(counts)
        fast_sent = 0  # "fast" codes number on across the round's advances (final 1st-4th, minor 5th-8th)
        for adv in spec.advance:
            first, last = adv.places
            codes = [
                f"rank:{spec.name}:{place}:{k}"
                for place in (range(first, last + 1) if first else ())
                for k in range(1, sum(1 for n in counts if n >= place) + 1)
            ]
            left -= len(codes)
            if adv.fastest_place:
                # The fastest among one place's finishers: "1st fastest of the crews placed 8th".
                placed = sum(1 for n in counts if n >= adv.fastest_place)
                fastest = max(0, min(adv.fastest, placed, left))
                codes += [f"rank:{spec.name}:{adv.fastest_place}:{j}" for j in range(1, fastest + 1)]
            else:
                fastest = max(0, min(adv.fastest, left))
                codes += [f"fast:{spec.name}:{fast_sent + j}" for j in range(1, fastest + 1)]
                fast_sent += fastest
            left -= fastest
            codes_for.setdefault(adv.to, []).extend(codes)
    return codes_for


def races_generate(*, event: Event, lanes: int, course_record_ms: int | None = None) -> Stage:
    """Draw a dragon-boat event: the progression for its active crews on `lanes` lanes, every race of
    every round (first-round lanes from the seeding, centre lanes to the best seeds; later rounds with
    placeholders). `course_record_ms` guards results (a time faster than half of it is refused). A
    draw made before is made again while no race has a result. Locks the event row."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.discipline != Discipline.DRAGON_BOAT:
            raise DrawError(
                "not_races", _("only a dragon-boat event has races"), _("choose a dragon-boat event")
            )
        old = list(Stage.objects.filter(event=event))
        if Match.objects.filter(stage__in=old, status=MatchStatus.DONE).exists():
            raise DrawError(
                "races_started",
                _("the races cannot be drawn again: results have been entered"),
                _("correct the results instead, or clear them first"),
            )
        Lane.objects.filter(match__stage__in=old).delete()
        Match.objects.filter(stage__in=old).delete()
        Stage.objects.filter(pk__in=[s.pk for s in old]).delete()
        seeds = [
            str(pk)
            for pk in Competitor.objects.filter(event=event, status=CompetitorStatus.ACTIVE)
            .order_by("seed", "pk")
            .values_list("pk", flat=True)
        ]
        progression = progression_for(len(seeds), lanes)
        stage = Stage.objects.create(
            event=event,
            kind=StageKind.RACES,
            order=1,
            settings={
                "lanes": lanes,
                "crews": len(seeds),
                "course_record_ms": course_record_ms,
                "seeds": [int(k) for k in seeds],
                "source": progression.source.citation(),
            },
        )
        first = progression.rounds[0]
        drawn = round_draw(progression, first.name, seeds)
        holders = _placeholders(progression, [len(r.lanes) for r in drawn])
        sequence = 0
        for number, spec in enumerate(progression.rounds, start=1):
            races = drawn if spec is first else round_draw(progression, spec.name, holders.get(spec.name, []))
            for race in races:
                sequence += 1
                match = Match.objects.create(
                    stage=stage,
                    code=race.code,
                    round=number,
                    sequence=sequence,
                    sides=MatchSides.LANES,
                    detail={"round": spec.name},
                )
                Lane.objects.bulk_create(
                    Lane(
                        match=match,
                        lane=lane,
                        competitor_id=int(key) if spec is first else None,
                        source="" if spec is first else key,
                    )
                    for lane, key in race.lanes
                )
        return stage


def race_result_record(
    *, match: Match, finishes: dict[int, tuple[int | None, str]], user, via: str = ""
) -> Match:
    """Record (or correct) a race: for each lane with a crew, (time in ms, finish status). A finished
    crew needs a time; no time may be faster than half the course record. Places follow the times
    (did not finish and did not start last). Later races are then drawn or corrected. Locks the stage
    row, then the match row."""
    with transaction.atomic():
        stage = Stage.objects.select_for_update().get(pk=match.stage_id)
        match = Match.objects.select_for_update().get(pk=match.pk)
        lanes = list(match.lanes.order_by("lane"))
        crewed = [ln for ln in lanes if ln.competitor_id]
        if not crewed or len(crewed) != len(lanes):
            raise ResultError(
                "not_ready",
                _("race %(race)s cannot have a result yet: its crews are not all known"),
                _("enter the results of the races before it first"),
                race=match.code,
            )
        missing = [ln.lane for ln in crewed if ln.lane not in finishes]
        if missing:
            raise ResultError(
                "missing",
                _("race %(race)s has no result for lane %(lanes)s"),
                _("enter every crew's time, or mark it did not finish"),
                race=match.code,
                lanes=", ".join(map(str, missing)),
            )
        record = stage.settings.get("course_record_ms")
        for ln in crewed:
            time_ms, status = finishes[ln.lane]
            if status not in LaneStatus.values:
                raise ResultError(
                    "finish", _("unknown finish"), _("choose finished, did not finish or did not start")
                )
            if status == LaneStatus.FINISHED:
                if time_ms is None:
                    raise ResultError(
                        "no_time",
                        _("lane %(lane)s finished but has no time"),
                        _("enter the time, or mark it did not finish"),
                        lane=ln.lane,
                    )
                time_check(time_ms, course_record_ms=record)
        before = snapshot(match)
        ordered = sorted(
            crewed,
            key=lambda ln: (finishes[ln.lane][1] != LaneStatus.FINISHED, finishes[ln.lane][0] or 0, ln.lane),
        )
        for place, ln in enumerate(ordered, start=1):
            time_ms, status = finishes[ln.lane]
            ln.time_ms = time_ms if status == LaneStatus.FINISHED else None
            ln.status = status
            ln.place = place
        Lane.objects.bulk_update(crewed, ["time_ms", "status", "place"])
        match.status = MatchStatus.DONE
        match.save(update_fields=["status", "updated_at"])
        result_log(match=match, before=before, user=user, via=via)
        _races_follow(stage=stage, user=user, via=via)
        match.refresh_from_db()
        return match


def _races_follow(*, stage: Stage, user, via: str) -> None:
    """Fill (or correct) every later race from the finished ones, through the pure engine.

    A finished race counts only while its crews are still the ones the engine sends to it, checked
    round by round (a corrected heat can send another crew to a repechage that was already raced:
    that repechage's result no longer stands)."""
    progression = stage_progression(stage=stage)
    matches = list(stage.matches.prefetch_related("lanes").order_by("sequence"))
    seeds = [str(pk) for pk in stage.settings["seeds"]]
    crews = {m.code: {str(ln.competitor_id) for ln in m.lanes.all() if ln.competitor_id} for m in matches}

    def finishes(codes: set[str]) -> list[Finish]:
        return [
            Finish(m.code, str(ln.competitor_id), ln.time_ms if ln.status == LaneStatus.FINISHED else None)
            for m in matches
            if m.code in codes
            for ln in m.lanes.all()
            if ln.competitor_id
        ]

    standing: set[str] = set()
    for spec in progression.rounds:
        drawn = {
            race.code: set(race.crews) for race in progression_run(progression, seeds, finishes(standing))
        }
        for m in matches:
            if (
                m.detail.get("round") == spec.name
                and m.status == MatchStatus.DONE
                and drawn.get(m.code) == crews[m.code]
            ):
                standing.add(m.code)
    drawn_lanes = {
        race.code: dict(race.lanes) for race in progression_run(progression, seeds, finishes(standing))
    }
    for match in matches:
        if match.code in standing or match.detail.get("round") == progression.rounds[0].name:
            continue
        target = drawn_lanes.get(match.code, {})
        lanes = list(match.lanes.all())
        wanted = {ln.lane: (int(target[ln.lane]) if ln.lane in target else None) for ln in lanes}
        had_result = match.status == MatchStatus.DONE
        if not had_result and all(wanted[ln.lane] == ln.competitor_id for ln in lanes):
            continue
        before = snapshot(match)
        for ln in lanes:
            ln.competitor_id = wanted[ln.lane]
            ln.time_ms, ln.status, ln.place = None, "", None
        # Two lanes may swap crews: clear them first so the one-crew-per-race constraint holds midway.
        Lane.objects.filter(pk__in=[ln.pk for ln in lanes]).update(competitor=None)
        Lane.objects.bulk_update(lanes, ["competitor", "time_ms", "status", "place"])
        if had_result:
            match.status = MatchStatus.SCHEDULED
            match.save(update_fields=["status", "updated_at"])
            result_log(match=match, before=before, user=user, via=via)
