"""Competitions in the database: an event's stages, its competitors, their matches and every result change.

The draws and rankings themselves are pure functions in `events.competition`; these rows store what
was drawn and what was fenced (played, raced), so rankings are always derived from the matches.
Competitors carry opaque person keys (set by registration), never a name or a document number as a
key, so the schedule builder sees every athlete in every event without `events` importing registration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.enums import CompetitorKind, CompetitorStatus, LaneStatus, MatchSides, MatchStatus, StageKind
from events.i18n import BilingualMixin
from events.models.catalogue import Event, VenueResource

__all__ = ["Competitor", "Lane", "Match", "ResultChange", "Stage"]


class Stage(models.Model):
    """One stage of an event's competition (the pools, the tableau), in `order`.

    `settings` holds what the stage was drawn with: `touches`, `max_size`, `cut_percent`, and for pools
    the sheet of each pool (`pools`: number, bout-order table, competitor ids by sheet position).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="stages", verbose_name=_("event"))
    kind = models.CharField(_("kind"), max_length=20, choices=StageKind)
    order = models.PositiveSmallIntegerField(pgettext_lazy("sequence", "order"))
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "order"], name="stage_order_unique_in_event"),
            models.CheckConstraint(condition=Q(order__gte=1), name="stage_order_positive"),
            models.CheckConstraint(condition=Q(kind__in=StageKind.values), name="stage_kind_valid"),
        ]
        ordering = ["event", "order"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return f"{self.event} · {self.get_kind_display()}"

    @property
    def touches(self) -> int:
        return int(self.settings.get("touches", 5 if self.kind == StageKind.POOLS else 15))


class Competitor(BilingualMixin, models.Model):
    """An entry in an event's draw: a fencer, a crew or a team, with the opaque keys of its people.

    `key` identifies the entry for the app that syncs it (unique in the event); `person_keys` lists
    the people in it, the same key for the same person in every event, so a schedule can check that
    nobody is in two places at once. Names are the public ones: name and delegation, nothing else;
    a team's `members` maps its person keys to its people's public names, for its line-up.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="competitors", verbose_name=_("event")
    )
    key = models.CharField(_("key"), max_length=64)
    kind = models.CharField(_("kind"), max_length=10, choices=CompetitorKind, default=CompetitorKind.FENCER)
    display_name = models.CharField(_("name"), max_length=200)
    club_zh = models.CharField(_("delegation or club (Chinese)"), max_length=120, blank=True)
    club_en = models.CharField(_("delegation or club (English)"), max_length=120, blank=True)
    city_zh = models.CharField(_("city (Chinese)"), max_length=50, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=50, blank=True)
    seed = models.PositiveIntegerField(_("seed"))
    person_keys = models.JSONField(_("person keys"), default=list, blank=True)
    # A team's people: person key -> the public name its sheets show (the relay line-up), nothing else.
    members = models.JSONField(_("members"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CompetitorStatus, default=CompetitorStatus.ACTIVE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="competitor_key_unique_in_event"),
            models.CheckConstraint(condition=Q(seed__gte=1), name="competitor_seed_positive"),
            models.CheckConstraint(
                condition=Q(status__in=CompetitorStatus.values), name="competitor_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=CompetitorKind.values), name="competitor_kind_valid"),
        ]
        ordering = ["event", "seed", "pk"]
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")

    def __str__(self) -> str:
        return self.display_name

    @property
    def club(self) -> str:
        return self.localized("club")

    @property
    def city(self) -> str:
        return self.localized("city")

    @property
    def is_active(self) -> bool:
        return self.status == CompetitorStatus.ACTIVE


class Match(models.Model):
    """A bout, game or race of a stage; a side not known yet names where it comes from.

    Pools: `pool` is the pool number, `sequence` the bout's place in the official order. Tableau:
    `round` is the table (16 for the table of 16, 2 for the final), `sequence` the bout from the top.
    Groups: `pool` is the group (1 = A), `round` the Berger round. Knockout: `round` from the first.
    `left_source` / `right_source` say what fills an empty side ("winner:T16-3", "loser:M5",
    "group:A1"). A race (`sides` = lanes) has its crews in `lanes` and no left or right; `detail`
    holds what a result needs beyond two scores (a team relay's running scores).
    """

    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="matches", verbose_name=_("stage")
    )
    code = models.CharField(_("code"), max_length=20)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    pool = models.PositiveSmallIntegerField(_("pool"), null=True, blank=True)
    sequence = models.PositiveSmallIntegerField(pgettext_lazy("sequence", "order"))
    left = models.ForeignKey(
        Competitor, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("left")
    )
    right = models.ForeignKey(
        Competitor, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("right")
    )
    left_source = models.CharField(_("left comes from"), max_length=40, blank=True)
    right_source = models.CharField(_("right comes from"), max_length=40, blank=True)
    left_score = models.PositiveSmallIntegerField(_("left score"), null=True, blank=True)
    right_score = models.PositiveSmallIntegerField(_("right score"), null=True, blank=True)
    winner = models.ForeignKey(
        Competitor,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("winner"),
    )
    status = models.CharField(_("status"), max_length=10, choices=MatchStatus, default=MatchStatus.SCHEDULED)
    sides = models.CharField(_("sides"), max_length=5, choices=MatchSides, default=MatchSides.TWO)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    resource = models.ForeignKey(
        VenueResource,
        on_delete=models.SET_NULL,
        related_name="matches",
        null=True,
        blank=True,
        verbose_name=_("piste, court or lane"),
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stage", "code"], name="match_code_unique_in_stage"),
            models.CheckConstraint(
                condition=(Q(left_score__isnull=True) | Q(left_score__gte=0))
                & (Q(right_score__isnull=True) | Q(right_score__gte=0)),
                name="match_scores_not_negative",
            ),
            models.CheckConstraint(condition=Q(status__in=MatchStatus.values), name="match_status_valid"),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(right__isnull=True) | ~Q(left=F("right")),
                name="match_sides_differ",
            ),
            models.CheckConstraint(
                condition=Q(winner__isnull=True) | Q(winner=F("left")) | Q(winner=F("right")),
                name="match_winner_is_a_side",
            ),
            models.CheckConstraint(
                condition=~Q(status=MatchStatus.DONE)
                | Q(sides=MatchSides.LANES)
                | (
                    Q(left_score__isnull=False, right_score__isnull=False)
                    & (Q(winner__isnull=False) | Q(left_score=F("right_score")))
                ),
                # A drawn football group game is done without a winner; any other result names one.
                name="match_done_has_scores_and_winner",
            ),
            models.CheckConstraint(
                condition=Q(sides=MatchSides.TWO) | Q(left__isnull=True, right__isnull=True),
                name="match_race_has_no_sides",
            ),
            models.CheckConstraint(condition=Q(sides__in=MatchSides.values), name="match_sides_valid"),
        ]
        indexes = [models.Index(fields=["stage", "pool", "sequence"])]
        ordering = ["stage", "round", "pool", "sequence"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")

    def __str__(self) -> str:
        return f"{self.stage} · {self.code}"

    @property
    def has_result(self) -> bool:
        return self.status in (MatchStatus.DONE, MatchStatus.WALKOVER)


class Lane(models.Model):
    """A crew's lane in a race, its time and its place; a lane not filled yet names who will fill it
    (`source`: "rank:heat:1:2", the second-fastest heat winner; "fast:heat:3", the third-fastest of
    the other crews of the heats)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="lanes", verbose_name=_("race"))
    lane = models.PositiveSmallIntegerField(_("lane"))
    competitor = models.ForeignKey(
        Competitor, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("crew")
    )
    source = models.CharField(_("comes from"), max_length=40, blank=True)
    time_ms = models.PositiveIntegerField(_("time (ms)"), null=True, blank=True)
    status = models.CharField(_("finish"), max_length=10, choices=LaneStatus, blank=True)
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["match", "lane"], name="lane_unique_in_race"),
            models.UniqueConstraint(
                fields=["match", "competitor"],
                condition=Q(competitor__isnull=False),
                name="lane_crew_once_in_race",
            ),
            models.CheckConstraint(condition=Q(lane__gte=1), name="lane_number_positive"),
            models.CheckConstraint(
                condition=Q(status="") | Q(status__in=LaneStatus.values), name="lane_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=LaneStatus.FINISHED) | Q(time_ms__gt=0), name="lane_finished_has_time"
            ),
        ]
        ordering = ["match", "lane"]
        verbose_name = _("lane")
        verbose_name_plural = _("lanes")

    def __str__(self) -> str:
        return f"{self.match} · {self.lane}"

    @property
    def time_text(self) -> str:
        """The time in seconds as timing boards show it ("125.31")."""
        return f"{self.time_ms / 1000:.2f}" if self.time_ms else ""


class ResultChange(models.Model):
    """Every result entered or corrected: who (an account, or `via` a referee link), when, and the
    match's result before and after."""

    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, related_name="changes", verbose_name=_("match")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    via = models.CharField(_("entered through"), max_length=80, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("result change")
        verbose_name_plural = _("result changes")

    def __str__(self) -> str:
        return f"{self.match} · {self.changed_at:%Y-%m-%d %H:%M}"
