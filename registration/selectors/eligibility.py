"""The eligibility engine: may this athlete be entered in this team's event?

`evaluate_entry` returns every refusal (not just the first), each naming its rule and the reason in
English and Chinese, e.g. "born 2011-03-02; U12 requires 2014 or later". The rules are data on
`EventEligibility`; nothing here knows what "U12" means. `roster_checklist` reports what a team
still lacks for submission (the roster minimum), which does not block adding athletes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from events.enums import EventCategory
from registration.enums import GRADE_ORDER, AgeRuleKind, AthleteGrade, AthleteSex, EntryStatus, SexAllowed
from registration.models import Athlete, Entry, EventEligibility, Team

# Entries that hold a place on a roster and count towards events-per-athlete.
INACTIVE_STATUSES = (EntryStatus.WITHDRAWN,)
ROSTER_EXCLUDED_STATUSES = (EntryStatus.WITHDRAWN, EntryStatus.WAITLISTED)


class Rule:
    AGE = "age"
    SEX = "sex"
    GRADE = "grade"
    ROSTER_MAX = "roster_max"
    ROSTER_MIN = "roster_min"
    EVENTS_PER_ATHLETE = "events_per_athlete"
    ONE_TEAM_PER_EVENT = "one_team_per_event"
    DELEGATION = "delegation"


@dataclass(frozen=True)
class Refusal:
    rule: str
    message_en: str
    message_zh: str
    blocking: bool = True

    @property
    def message(self) -> str:
        return self.message_zh if translation.get_language() == "zh-hans" else self.message_en

    def __str__(self) -> str:
        return self.message


def _both(rule: str, build, *, blocking: bool = True) -> Refusal:
    """Render one message in both languages; `build` calls gettext under each."""
    with translation.override("en"):
        english = build()
    with translation.override("zh-hans"):
        chinese = build()
    return Refusal(rule=rule, message_en=english, message_zh=chinese, blocking=blocking)


def age_on(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _group_label(team: Team) -> str:
    return team.event.age_group or team.event.name


def _playing_up_years(rules: EventEligibility) -> int:
    return rules.playing_up_groups * rules.group_span_years if rules.allow_playing_up else 0


def _birth_year_refusal(athlete: Athlete, rules: EventEligibility, group: str) -> Refusal | None:
    year = athlete.birth_date.year
    latest = rules.max_birth_year + _playing_up_years(rules) if rules.max_birth_year else None
    too_old = rules.min_birth_year is not None and year < rules.min_birth_year
    too_young = latest is not None and year > latest
    if not (too_old or too_young):
        return None
    params = {
        "birth": athlete.birth_date.isoformat(),
        "group": group,
        "min": rules.min_birth_year,
        "max": latest,
    }

    def build() -> str:
        if rules.min_birth_year and latest:
            text = _("born %(birth)s; %(group)s requires a birth year from %(min)s to %(max)s") % params
        elif rules.min_birth_year:
            text = _("born %(birth)s; %(group)s requires %(min)s or later") % params
        else:
            text = _("born %(birth)s; %(group)s requires %(max)s or earlier") % params
        if too_young and not rules.allow_playing_up:
            text += _(" (playing up is not allowed)")
        return text

    return _both(Rule.AGE, build)


def _age_refusal(athlete: Athlete, rules: EventEligibility, group: str, on: dt.date) -> Refusal | None:
    age = age_on(athlete.birth_date, on)
    youngest = rules.min_age - _playing_up_years(rules) if rules.min_age is not None else None
    too_young = youngest is not None and age < youngest
    too_old = rules.max_age is not None and age > rules.max_age
    if not (too_old or too_young):
        return None
    params = {
        "birth": athlete.birth_date.isoformat(),
        "age": age,
        "date": on.isoformat(),
        "group": group,
        "min": youngest,
        "max": rules.max_age,
    }

    def build() -> str:
        if youngest is not None and rules.max_age is not None:
            text = _("born %(birth)s, aged %(age)s on %(date)s; %(group)s requires ages %(min)s to %(max)s")
        elif youngest is not None:
            text = _("born %(birth)s, aged %(age)s on %(date)s; %(group)s requires age %(min)s or over")
        else:
            text = _("born %(birth)s, aged %(age)s on %(date)s; %(group)s requires age %(max)s or under")
        text = text % params
        if too_young and not rules.allow_playing_up:
            text += _(" (playing up is not allowed)")
        return text

    return _both(Rule.AGE, build)


def season_cutoff_date(rules: EventEligibility, team: Team) -> dt.date:
    """The cut-off in the event's year (29 February falls back to the 28th)."""
    year = team.event.start_date.year
    day = rules.cutoff_day
    while True:
        try:
            return dt.date(year, rules.cutoff_month, day)
        except ValueError:
            day -= 1


def age_refusal(athlete: Athlete, team: Team, rules: EventEligibility) -> Refusal | None:
    group = _group_label(team)
    if rules.age_rule == AgeRuleKind.BIRTH_YEAR_WINDOW:
        return _birth_year_refusal(athlete, rules, group)
    if rules.age_rule == AgeRuleKind.AGE_ON_DATE:
        return _age_refusal(athlete, rules, group, rules.reference_date or team.event.start_date)
    if rules.age_rule == AgeRuleKind.SEASON_CUTOFF:
        return _age_refusal(athlete, rules, group, season_cutoff_date(rules, team))
    return None


def _allowed_sexes(rules: EventEligibility, team: Team) -> set[str]:
    if rules.sex_allowed == SexAllowed.MALE:
        return {AthleteSex.MALE}
    if rules.sex_allowed == SexAllowed.FEMALE:
        return {AthleteSex.FEMALE}
    if rules.sex_allowed == SexAllowed.FROM_CATEGORY:
        if team.event.category == EventCategory.MEN:
            return {AthleteSex.MALE}
        if team.event.category == EventCategory.WOMEN:
            return {AthleteSex.FEMALE}
    return {AthleteSex.MALE, AthleteSex.FEMALE}


def sex_refusal(athlete: Athlete, team: Team, rules: EventEligibility) -> Refusal | None:
    allowed = _allowed_sexes(rules, team)
    if athlete.sex in allowed:
        return None
    event = team.event

    def build() -> str:
        params = {"event": event.name, "sex": AthleteSex(athlete.sex).label}
        if allowed == {AthleteSex.MALE}:
            return _("%(sex)s athlete; %(event)s is for men and boys only") % params
        return _("%(sex)s athlete; %(event)s is for women and girls only") % params

    return _both(Rule.SEX, build)


def grade_refusal(athlete: Athlete, rules: EventEligibility) -> Refusal | None:
    """The athlete's technical grade against the event's lowest and highest allowed grade."""
    rank = GRADE_ORDER.get(athlete.grade, 0)
    too_low = bool(rules.min_grade) and rank < GRADE_ORDER[rules.min_grade]
    too_high = bool(rules.max_grade) and rank > GRADE_ORDER[rules.max_grade]
    if not (too_low or too_high):
        return None

    def build() -> str:
        params = {
            "grade": AthleteGrade(athlete.grade).label,
            "limit": AthleteGrade(rules.max_grade if too_high else rules.min_grade).label,
        }
        if too_high:
            return _("graded %(grade)s; this event allows no grade above %(limit)s") % params
        return _("graded %(grade)s; this event requires at least %(limit)s") % params

    return _both(Rule.GRADE, build)


def roster_count(team: Team) -> int:
    return team.entries.exclude(status__in=ROSTER_EXCLUDED_STATUSES).count()


def _one_team_refusal(team_name: str) -> Refusal:
    return _both(
        Rule.ONE_TEAM_PER_EVENT,
        lambda: _("already entered in this event for team %(team)s") % {"team": team_name},
    )


def _roster_max_refusal(count: int, rules: EventEligibility) -> Refusal | None:
    if rules.roster_max is None or count < rules.roster_max:
        return None
    params = {"count": count, "max": rules.roster_max}
    return _both(
        Rule.ROSTER_MAX,
        lambda: _("the team already has %(count)s athletes; the maximum is %(max)s") % params,
    )


def _events_refusal(count: int, rules: EventEligibility) -> Refusal | None:
    """`count`: the athlete's active entries in the programme's other events."""
    if rules.max_events_per_athlete is None or count < rules.max_events_per_athlete:
        return None
    params = {"count": count, "max": rules.max_events_per_athlete}
    return _both(
        Rule.EVENTS_PER_ATHLETE,
        lambda: _("already entered in %(count)s events; at most %(max)s per athlete") % params,
    )


def _person_refusals(
    athlete: Athlete, team: Team, rules: EventEligibility, other_events: int
) -> list[Refusal]:
    """The rules about the athlete: age, sex, technical grade, events per athlete (not the roster's size)."""
    found = (
        age_refusal(athlete, team, rules),
        sex_refusal(athlete, team, rules),
        grade_refusal(athlete, rules),
        _events_refusal(other_events, rules),
    )
    return [refusal for refusal in found if refusal is not None]


def evaluate_entry(*, athlete: Athlete, team: Team, rules: EventEligibility | None = None) -> list[Refusal]:
    """Every reason this athlete cannot join this team's event now. An empty list means yes.

    `rules` defaults to the event's EventEligibility; without one only the structural rules apply
    (same delegation, one team per event per athlete).
    """
    refusals: list[Refusal] = []
    if athlete.delegation_id != team.delegation_id:
        refusals.append(_both(Rule.DELEGATION, lambda: _("the athlete is on another delegation's roster")))
    existing = (
        Entry.objects.filter(athlete=athlete, event_id=team.event_id)
        .exclude(status__in=INACTIVE_STATUSES)
        .select_related("team")
        .first()
    )
    if existing is not None:
        refusals.append(_one_team_refusal(existing.team.name))
    if rules is None:
        rules = EventEligibility.objects.filter(event_id=team.event_id).first()
    if rules is None:
        return refusals
    other_events = 0
    if rules.max_events_per_athlete is not None:
        other_events = (
            Entry.objects.filter(athlete=athlete, event__programme_id=team.event.programme_id)
            .exclude(status__in=INACTIVE_STATUSES)
            .exclude(event_id=team.event_id)
            .count()
        )
    refusals.extend(_person_refusals(athlete, team, rules, other_events))
    roster = _roster_max_refusal(roster_count(team), rules) if rules.roster_max is not None else None
    if roster is not None:
        refusals.append(roster)
    return refusals


def _active_entries_by_athlete(athlete_ids, programme_id: int) -> dict[int, list[tuple[int, str]]]:
    """(event id, team name) of every active entry of these athletes in the programme: one statement."""
    found: dict[int, list[tuple[int, str]]] = {}
    rows = (
        Entry.objects.filter(athlete_id__in=list(athlete_ids), event__programme_id=programme_id)
        .exclude(status__in=INACTIVE_STATUSES)
        .values_list("athlete_id", "event_id", "team__name")
    )
    for athlete_id, event_id, team_name in rows:
        found.setdefault(athlete_id, []).append((event_id, team_name))
    return found


@dataclass(frozen=True)
class Candidate:
    """An athlete of the delegation as the entry form offers them: eligible, or why not."""

    athlete: Athlete
    refusals: list[Refusal]

    @property
    def eligible(self) -> bool:
        return not self.refusals

    @property
    def reasons(self) -> str:
        return "; ".join(refusal.message for refusal in self.refusals)


def candidates_for_team(team: Team) -> list[Candidate]:
    """Every athlete of the team's delegation, those the engine accepts first, each with the engine's
    reasons for the others. The same rules as `evaluate_entry`, in four statements for any roster."""
    athletes = list(
        Athlete.objects.filter(delegation_id=team.delegation_id, anonymised_at__isnull=True).only(
            "pk",
            "delegation_id",
            "family_name_zh",
            "given_name_zh",
            "name_latin",
            "sex",
            "birth_date",
            "grade",
        )
    )
    rules = EventEligibility.objects.filter(event_id=team.event_id).first()
    entries = _active_entries_by_athlete((a.pk for a in athletes), team.event.programme_id)
    roster = (
        _roster_max_refusal(roster_count(team), rules) if rules and rules.roster_max is not None else None
    )
    candidates = []
    for athlete in athletes:
        mine = entries.get(athlete.pk, [])
        refusals = [_one_team_refusal(name) for event_id, name in mine if event_id == team.event_id][:1]
        if rules is not None:
            other_events = sum(1 for event_id, _name in mine if event_id != team.event_id)
            refusals.extend(_person_refusals(athlete, team, rules, other_events))
            if roster is not None:
                refusals.append(roster)
        candidates.append(Candidate(athlete=athlete, refusals=refusals))
    return sorted(candidates, key=lambda c: not c.eligible)


def entries_refusals(
    entries: list[Entry], *, rules: EventEligibility | None = None
) -> dict[int, list[Refusal]]:
    """For entries already made: what the rules about the person (age, sex, events per athlete) refuse,
    by entry id (eligible entries are left out). `rules` replaces every event's own rules (a preview
    of unsaved rules for one event); otherwise each event's saved rules apply. Entries need
    `event`, `team` and `athlete` loaded. One or two statements whatever the number of entries."""
    entries = [e for e in entries if e.status not in INACTIVE_STATUSES]
    if not entries:
        return {}
    if rules is None:
        by_event = {
            r.event_id: r for r in EventEligibility.objects.filter(event_id__in={e.event_id for e in entries})
        }
    else:
        by_event = dict.fromkeys({e.event_id for e in entries}, rules)
    for entry in entries:
        # One event object for both paths (an entry's event is its team's), so no query per entry.
        entry.team.event = entry.event
    refused: dict[int, list[Refusal]] = {}
    programmes = {e.event.programme_id for e in entries}
    if not any(r.max_events_per_athlete is not None for r in by_event.values()):
        programmes = set()  # no events-per-athlete limit: the other entries do not matter
    active: dict[int, list[tuple[int, str]]] = {}
    for programme_id in programmes:
        for athlete_id, rows in _active_entries_by_athlete(
            {e.athlete_id for e in entries}, programme_id
        ).items():
            active.setdefault(athlete_id, []).extend(rows)
    for entry in entries:
        event_rules = by_event.get(entry.event_id)
        if event_rules is None:
            continue
        other_events = sum(
            1 for event_id, _name in active.get(entry.athlete_id, []) if event_id != entry.event_id
        )
        found = _person_refusals(entry.athlete, entry.team, event_rules, other_events)
        if found:
            refused[entry.pk] = found
    return refused


def roster_checklist(team: Team, rules: EventEligibility | None = None) -> list[Refusal]:
    """What the team still lacks before it can be submitted (non-blocking for adding athletes)."""
    if rules is None:
        rules = EventEligibility.objects.filter(event_id=team.event_id).first()
    if rules is None or rules.roster_min is None:
        return []
    count = roster_count(team)
    if count >= rules.roster_min:
        return []
    params = {"count": count, "min": rules.roster_min}
    return [
        _both(
            Rule.ROSTER_MIN,
            lambda: _("the team has %(count)s athletes; at least %(min)s are needed to submit") % params,
            blocking=False,
        )
    ]


def eligibility_preview(event, rules: EventEligibility) -> list[tuple[Entry, list[Refusal]]]:
    """The event's active entries that `rules` (saved or not) would refuse, by athlete name, each with
    its reasons: what the organiser sees before saving. Three statements."""
    entries = list(
        Entry.objects.filter(event=event)
        .exclude(status__in=INACTIVE_STATUSES)
        .select_related("athlete", "event", "team__delegation")
        .defer("athlete__document_number_encrypted")
    )
    refused = entries_refusals(entries, rules=rules)
    found = [(entry, refused[entry.pk]) for entry in entries if entry.pk in refused]
    return sorted(found, key=lambda pair: (pair[0].athlete.name_latin, pair[0].pk))
