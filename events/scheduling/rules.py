"""The rules a schedule is checked against: codes, severities and the reason shown to people.

Each violation carries a stable code (for the grid and tests), a severity and its parameters; the
bilingual reason is rendered in the active language when it is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext, gettext_lazy


class Severity(StrEnum):
    BLOCKS_SCHEDULING = "blocks_scheduling"  # the move or schedule is refused
    BLOCKS_PUBLISHING = "blocks_publishing"  # may be saved as a draft, not published
    WARNING = "warning"  # allowed; the organiser is told


class Rule(StrEnum):
    RESOURCE_OVERLAP = "resource_overlap"
    ATHLETE_OVERLAP = "athlete_overlap"
    REST = "rest"
    TRAVEL = "travel"
    VENUE_HOURS = "venue_hours"
    RESOURCE_NOT_ALLOWED = "resource_not_allowed"
    AGE_DAILY_LIMIT = "age_daily_limit"
    AGE_HOURS = "age_hours"
    DAILY_LIMIT = "daily_limit"
    DEPENDENCY = "dependency"
    EARLIEST = "earliest"
    LATEST = "latest"
    SLOT_GRID = "slot_grid"
    PIN = "pin"
    FROZEN = "frozen"
    UNKNOWN = "unknown"
    UNPLACED = "unplaced"
    TEAM_VENUES = "team_venues"
    VENUE_BALANCE = "venue_balance"


SEVERITY: dict[Rule, Severity] = {
    Rule.RESOURCE_OVERLAP: Severity.BLOCKS_SCHEDULING,
    Rule.ATHLETE_OVERLAP: Severity.BLOCKS_SCHEDULING,
    Rule.REST: Severity.BLOCKS_SCHEDULING,
    Rule.TRAVEL: Severity.BLOCKS_SCHEDULING,
    Rule.VENUE_HOURS: Severity.BLOCKS_SCHEDULING,
    Rule.RESOURCE_NOT_ALLOWED: Severity.BLOCKS_SCHEDULING,
    Rule.AGE_DAILY_LIMIT: Severity.BLOCKS_SCHEDULING,
    Rule.AGE_HOURS: Severity.BLOCKS_SCHEDULING,
    Rule.DAILY_LIMIT: Severity.BLOCKS_SCHEDULING,
    Rule.DEPENDENCY: Severity.BLOCKS_SCHEDULING,
    Rule.EARLIEST: Severity.BLOCKS_SCHEDULING,
    Rule.LATEST: Severity.BLOCKS_SCHEDULING,
    Rule.SLOT_GRID: Severity.BLOCKS_SCHEDULING,
    Rule.PIN: Severity.BLOCKS_SCHEDULING,
    Rule.FROZEN: Severity.BLOCKS_SCHEDULING,
    Rule.UNKNOWN: Severity.BLOCKS_SCHEDULING,
    Rule.UNPLACED: Severity.BLOCKS_PUBLISHING,
    Rule.TEAM_VENUES: Severity.WARNING,
    Rule.VENUE_BALANCE: Severity.WARNING,
}

# Short names of the rules, for "binding rules" lists.
TITLES = {
    Rule.RESOURCE_OVERLAP: gettext_lazy("resource already in use"),
    Rule.ATHLETE_OVERLAP: gettext_lazy("athlete in two places at once"),
    Rule.REST: gettext_lazy("minimum rest"),
    Rule.TRAVEL: gettext_lazy("travel time between venues"),
    Rule.VENUE_HOURS: gettext_lazy("venue opening hours"),
    Rule.RESOURCE_NOT_ALLOWED: gettext_lazy("resource not allowed for this match"),
    Rule.AGE_DAILY_LIMIT: gettext_lazy("children's matches per day"),
    Rule.AGE_HOURS: gettext_lazy("children's earliest and latest start"),
    Rule.DAILY_LIMIT: gettext_lazy("matches per day"),
    Rule.DEPENDENCY: gettext_lazy("results needed first"),
    Rule.EARLIEST: gettext_lazy("earliest start"),
    Rule.LATEST: gettext_lazy("latest finish"),
    Rule.SLOT_GRID: gettext_lazy("time slots"),
    Rule.PIN: gettext_lazy("pinned placement"),
    Rule.FROZEN: gettext_lazy("freeze horizon"),
    Rule.UNKNOWN: gettext_lazy("unknown match or resource"),
    Rule.UNPLACED: gettext_lazy("match not placed"),
    Rule.TEAM_VENUES: gettext_lazy("one venue per team per day"),
    Rule.VENUE_BALANCE: gettext_lazy("balanced venues"),
}


def _reason(rule: Rule, params: dict) -> str:
    # One gettext call per message, so each is a whole sentence for the translators.
    if rule is Rule.RESOURCE_OVERLAP:
        return gettext("%(resource)s is already in use by another match at that time.") % params
    if rule is Rule.ATHLETE_OVERLAP:
        return gettext("%(who)s would be in two matches at once.") % params
    if rule is Rule.REST:
        return gettext("%(who)s needs at least %(minutes)s minutes of rest between matches.") % params
    if rule is Rule.TRAVEL:
        return gettext("%(who)s needs %(minutes)s minutes to travel between these venues.") % params
    if rule is Rule.VENUE_HOURS:
        return gettext("%(resource)s is not open for the whole match.") % params
    if rule is Rule.RESOURCE_NOT_ALLOWED:
        return gettext("This match cannot be played on %(resource)s.") % params
    if rule is Rule.AGE_DAILY_LIMIT:
        return gettext("%(who)s may play at most %(limit)s matches a day in age band %(band)s.") % params
    if rule is Rule.AGE_HOURS:
        return gettext("Age band %(band)s may only start between %(earliest)s and %(latest)s.") % params
    if rule is Rule.DAILY_LIMIT:
        return gettext("%(who)s may play at most %(limit)s matches a day.") % params
    if rule is Rule.DEPENDENCY:
        return gettext("This match needs the result of %(needed)s, plus %(minutes)s minutes.") % params
    if rule is Rule.EARLIEST:
        return gettext("This match cannot start before %(time)s.") % params
    if rule is Rule.LATEST:
        return gettext("This match must finish by %(time)s.") % params
    if rule is Rule.SLOT_GRID:
        return gettext("Matches start only at the time slots of the grid.") % params
    if rule is Rule.PIN:
        return gettext("This match is pinned to %(resource)s at %(time)s.") % params
    if rule is Rule.FROZEN:
        return gettext("Nothing before %(time)s may move.") % params
    if rule is Rule.UNKNOWN:
        return gettext("Unknown match or resource: %(what)s.") % params
    if rule is Rule.UNPLACED:
        # The rule names are rendered now, in the reader's language.
        return gettext("This match has no place yet; binding rules: %(rules)s.") % {
            "rules": rules_titles(params.get("binding", ()))
        }
    if rule is Rule.TEAM_VENUES:
        return gettext("%(who)s plays at %(count)s venues on one day.") % params
    return gettext("The busiest venue has %(difference)s more matches than the quietest.") % params


@dataclass(frozen=True)
class Violation:
    """One broken rule: what, how bad, and which matches and people it involves."""

    rule: Rule
    matches: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.rule]

    @property
    def code(self) -> str:
        return self.rule.value

    @property
    def reason(self) -> str:
        """The explanation in the active language."""
        return _reason(self.rule, self.params)

    @property
    def title(self) -> str:
        return str(TITLES[self.rule])


def clock(minute: int) -> str:
    """`d2 09:30`-style label of a problem minute (day numbers start at 1 for people)."""
    day, rest = divmod(minute, 1440)
    return f"D{day + 1} {rest // 60:02d}:{rest % 60:02d}"


def rules_titles(rules: tuple[Rule, ...] | list[Rule]) -> str:
    return gettext("; ").join(str(TITLES[rule]) for rule in rules)
