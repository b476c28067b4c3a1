"""The eligibility slice of the demo season: rules on every demo event (fencing by birth-year band, sex
and technical grade, the basketball camp, dragon-boat divisions, the league trips, football friendlies, table tennis),
placed relative to the demo's today like the rest of the season, and the demo's own synthetic
athletes brought in line with them (a database seeded by an older demo may hold a fencer born in
the wrong year or of the wrong sex for the event: they are corrected, never withdrawn).
Idempotent: rules are keyed on the event; a second run finds nothing to correct.
"""

from __future__ import annotations

import datetime as dt

from events.demodata.season import TEAM_EVENT, demo_today
from events.models import Event, Programme
from registration.enums import AgeRuleKind, AthleteGrade, AthleteSex, DocumentType, SexAllowed
from registration.models import Athlete, Entry, EventEligibility
from registration.selectors.eligibility import Rule, entries_refusals

ANY = SexAllowed.ANY


def rules_by_slug(year: int) -> dict[str, dict]:
    """Each demo event's rules for a season whose today falls in `year`."""
    band = AgeRuleKind.BIRTH_YEAR_WINDOW
    on_date = AgeRuleKind.AGE_ON_DATE
    # A youth invitational: no fencer graded above second grade (运动员技术等级).
    fencing = {
        "sex_allowed": SexAllowed.FROM_CATEGORY,
        "roster_max": 8,
        "max_events_per_athlete": 3,
        "max_grade": AthleteGrade.GRADE_2,
    }
    rules: dict[str, dict] = {}
    for weapon in ("foil", "epee", "sabre"):
        for sex in ("men", "women"):
            rules[f"fencing-u12-{sex}-{weapon}"] = {
                **fencing, "age_rule": band, "min_birth_year": year - 11, "max_birth_year": year - 10,
            }  # fmt: skip
            # U14 lets a U12 fencer play up one group (two birth years).
            rules[f"fencing-u14-{sex}-{weapon}"] = {
                **fencing, "age_rule": band, "min_birth_year": year - 13, "max_birth_year": year - 12,
                "allow_playing_up": True, "playing_up_groups": 1, "group_span_years": 2,
            }  # fmt: skip
    # The épée team event: the individual event's band, a team of three fencers and one reserve (FIE).
    rules[TEAM_EVENT] = {**rules["fencing-u14-men-epee"], "roster_min": 3, "roster_max": 4}
    rules["basketball-camp-shanghai-kunming"] = {
        "age_rule": band, "min_birth_year": year - 14, "max_birth_year": year - 10, "sex_allowed": ANY,
        "roster_min": 5, "roster_max": 12, "max_events_per_athlete": 2,
    }  # fmt: skip
    rules["youth-football-nanjing"] = {
        "age_rule": band, "min_birth_year": year - 14, "max_birth_year": year - 10, "sex_allowed": ANY,
        "roster_min": 11, "roster_max": 23,
    }  # fmt: skip
    adults_crew = {"age_rule": on_date, "min_age": 16, "sex_allowed": ANY, "roster_min": 12, "roster_max": 26}
    for slug in ("city", "community", "international", "yangzhou-invitational"):
        rules[f"dragon-boat-{slug}"] = adults_crew
    rules["dragon-boat-school"] = {**adults_crew, "min_age": 12, "max_age": 18}
    for city in ("nantong", "zhenjiang", "taizhou"):
        # Spectator trips: children travel from 6 with their delegation's chaperones.
        rules[f"jiangsu-league-{city}"] = {"age_rule": on_date, "min_age": 6, "sex_allowed": ANY}
    rules["table-tennis-carnival"] = {
        "age_rule": on_date, "min_age": 7, "max_age": 17, "sex_allowed": ANY, "max_events_per_athlete": 2,
        "max_grade": AthleteGrade.GRADE_2,
    }  # fmt: skip
    return rules


def seed() -> str:
    programme = Programme.objects.filter(slug="corridor-2027").first()
    if programme is None:
        return "skipped (no demo programme)"
    wanted = rules_by_slug(demo_today().year)
    events = {e.slug: e for e in Event.objects.filter(programme=programme)}
    saved = 0
    for slug, values in wanted.items():
        event = events.get(slug)
        if event is None:
            continue
        full = {field: None for field in ("min_birth_year", "max_birth_year", "min_age", "max_age")}
        full |= {
            "roster_min": None,
            "roster_max": None,
            "max_events_per_athlete": None,
            "allow_playing_up": False,
        }
        full |= {"min_grade": "", "max_grade": ""}
        EventEligibility.objects.update_or_create(event=event, defaults={**full, **values})
        saved += 1
    corrected = _align_demo_athletes(programme)
    without = sorted(set(events) - set(wanted))
    extra = f"; events without rules: {', '.join(without)}" if without else ""
    return f"rules on {saved} events, {corrected} demo athletes corrected{extra}"


def _align_demo_athletes(programme: Programme) -> int:
    """Give the demo's synthetic fencers refused by the rules a birth date, sex and grade that fit."""
    entries = list(
        Entry.objects.filter(event__programme=programme, athlete__document_type=DocumentType.DEMO)
        .select_related("athlete", "event", "team")
        .order_by("pk")
    )
    refused = entries_refusals(entries)
    rules = {r.event_id: r for r in EventEligibility.objects.filter(event__programme=programme)}
    changed = []
    for entry in entries:
        codes = {refusal.rule for refusal in refused.get(entry.pk, [])}
        athlete, event_rules = entry.athlete, rules.get(entry.event_id)
        if Rule.SEX in codes:
            athlete.sex = AthleteSex.FEMALE if athlete.sex == AthleteSex.MALE else AthleteSex.MALE
        if Rule.AGE in codes and event_rules and event_rules.min_birth_year:
            # A day of the band's first year that depends only on the athlete: the same on every run.
            athlete.birth_date = dt.date(event_rules.min_birth_year, 1, 1) + dt.timedelta(
                days=athlete.pk % 365
            )
        if Rule.GRADE in codes:
            athlete.grade = AthleteGrade.NONE
        if codes & {Rule.SEX, Rule.AGE, Rule.GRADE}:
            changed.append(athlete)
    Athlete.objects.bulk_update(changed, ["sex", "birth_date", "grade"])
    return len(changed)
