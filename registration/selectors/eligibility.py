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
from registration.enums import AgeRuleKind, AthleteSex, EntryStatus, SexAllowed
from registration.models import Athlete, Entry, EventEligibility, Team

# Entries that hold a place on a roster and count towards events-per-athlete.
INACTIVE_STATUSES = (EntryStatus.WITHDRAWN,)
ROSTER_EXCLUDED_STATUSES = (EntryStatus.WITHDRAWN, EntryStatus.WAITLISTED)


class Rule:
    AGE = "age"
    SEX = "sex"
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


def roster_count(team: Team) -> int:
    return team.entries.exclude(status__in=ROSTER_EXCLUDED_STATUSES).count()


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
        other_team = existing.team
        refusals.append(
            _both(
                Rule.ONE_TEAM_PER_EVENT,
                # The team's name is read inside, so each language gets its own.
                lambda: _("already entered in this event for team %(team)s") % {"team": other_team.name},
            )
        )
    if rules is None:
        rules = EventEligibility.objects.filter(event_id=team.event_id).first()
    if rules is None:
        return refusals

    for refusal in (age_refusal(athlete, team, rules), sex_refusal(athlete, team, rules)):
        if refusal is not None:
            refusals.append(refusal)

    if rules.roster_max is not None:
        count = roster_count(team)
        if count >= rules.roster_max:
            params = {"count": count, "max": rules.roster_max}
            refusals.append(
                _both(
                    Rule.ROSTER_MAX,
                    lambda: _("the team already has %(count)s athletes; the maximum is %(max)s") % params,
                )
            )
    if rules.max_events_per_athlete is not None:
        count = (
            Entry.objects.filter(athlete=athlete, event__programme_id=team.event.programme_id)
            .exclude(status__in=INACTIVE_STATUSES)
            .exclude(event_id=team.event_id)
            .count()
        )
        if count >= rules.max_events_per_athlete:
            params = {"count": count, "max": rules.max_events_per_athlete}
            refusals.append(
                _both(
                    Rule.EVENTS_PER_ATHLETE,
                    lambda: _("already entered in %(count)s events; at most %(max)s per athlete") % params,
                )
            )
    return refusals


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
