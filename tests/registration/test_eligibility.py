"""The eligibility engine and entry services: every refusal names its rule, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from events.enums import EventCategory
from registration.enums import AgeRuleKind, AthleteSex, EntryStatus, SexAllowed
from registration.errors import EntryRefusedError
from registration.models import Entry
from registration.selectors.eligibility import Rule, evaluate_entry, roster_checklist
from registration.services.entries import entry_create
from registration.services.workflow import entry_withdraw
from tests.factories.registration import (
    AthleteFactory,
    EntryFactory,
    EventEligibilityFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2027, 3, 1, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def u12_team():
    team = TeamFactory(event__age_group="U12")
    EventEligibilityFactory(event=team.event, min_birth_year=2015, max_birth_year=2016)
    return team


def rules_of(refusals):
    return [refusal.rule for refusal in refusals]


def test_birth_year_window_refusal_names_rule_and_reason_in_both_languages(u12_team):
    athlete = AthleteFactory(delegation=u12_team.delegation, birth_date=dt.date(2011, 3, 2))
    [refusal] = evaluate_entry(athlete=athlete, team=u12_team)
    assert refusal.rule == Rule.AGE
    assert refusal.message_en == "born 2011-03-02; U12 requires a birth year from 2015 to 2016"
    assert refusal.message_zh == "出生于 2011-03-02；U12 要求出生年份在 2015 至 2016 年之间"


def test_open_ended_window_reads_like_the_issue(u12_team):
    u12_team.event.eligibility.max_birth_year = None
    u12_team.event.eligibility.min_birth_year = 2014
    u12_team.event.eligibility.save()
    athlete = AthleteFactory(delegation=u12_team.delegation, birth_date=dt.date(2011, 3, 2))
    [refusal] = evaluate_entry(athlete=athlete, team=u12_team)
    assert refusal.message_en == "born 2011-03-02; U12 requires 2014 or later"


def test_playing_up_is_an_organiser_setting(u12_team):
    young = AthleteFactory(delegation=u12_team.delegation, birth_date=dt.date(2018, 1, 5))
    [refusal] = evaluate_entry(athlete=young, team=u12_team)
    assert refusal.message_en.endswith("(playing up is not allowed)")
    rules = u12_team.event.eligibility
    rules.allow_playing_up, rules.playing_up_groups, rules.group_span_years = True, 1, 2
    rules.save()
    assert evaluate_entry(athlete=young, team=u12_team) == []
    too_young = AthleteFactory(delegation=u12_team.delegation, birth_date=dt.date(2019, 1, 5))
    assert rules_of(evaluate_entry(athlete=too_young, team=u12_team)) == [Rule.AGE]


def test_age_on_a_date():
    team = TeamFactory(event__age_group="U14")
    EventEligibilityFactory(
        event=team.event,
        age_rule=AgeRuleKind.AGE_ON_DATE,
        min_birth_year=None,
        max_birth_year=None,
        max_age=13,
        reference_date=dt.date(2027, 5, 1),
    )
    turns_14_after = AthleteFactory(delegation=team.delegation, birth_date=dt.date(2013, 5, 2))
    turns_14_before = AthleteFactory(delegation=team.delegation, birth_date=dt.date(2013, 4, 30))
    assert evaluate_entry(athlete=turns_14_after, team=team) == []
    [refusal] = evaluate_entry(athlete=turns_14_before, team=team)
    assert refusal.message_en == "born 2013-04-30, aged 14 on 2027-05-01; U14 requires age 13 or under"
    assert refusal.message_zh == "出生于 2013-04-30，2027-05-01 时 14 岁；U14 要求不超过 13 岁"


def test_season_cutoff_uses_the_cutoff_in_the_event_year():
    team = TeamFactory(event__age_group="U10")
    EventEligibilityFactory(
        event=team.event,
        age_rule=AgeRuleKind.SEASON_CUTOFF,
        min_birth_year=None,
        max_birth_year=None,
        min_age=8,
        max_age=9,
        cutoff_month=9,
        cutoff_day=1,
    )
    nine_on_cutoff = AthleteFactory(delegation=team.delegation, birth_date=dt.date(2018, 9, 1))
    ten_on_cutoff = AthleteFactory(delegation=team.delegation, birth_date=dt.date(2017, 8, 31))
    assert evaluate_entry(athlete=nine_on_cutoff, team=team) == []
    assert rules_of(evaluate_entry(athlete=ten_on_cutoff, team=team)) == [Rule.AGE]


def test_sex_from_the_event_category_and_explicit():
    team = TeamFactory(event__category=EventCategory.WOMEN)
    EventEligibilityFactory(
        event=team.event, min_birth_year=None, max_birth_year=None, age_rule=AgeRuleKind.NONE
    )
    boy = AthleteFactory(delegation=team.delegation, sex=AthleteSex.MALE)
    [refusal] = evaluate_entry(athlete=boy, team=team)
    assert refusal.rule == Rule.SEX
    assert refusal.message_en == f"Male athlete; {team.event.name_en} is for women and girls only"
    assert refusal.message_zh == f"男运动员；{team.event.name_zh} 仅限女子参加"
    team.event.eligibility.sex_allowed = SexAllowed.ANY
    team.event.eligibility.save()
    assert evaluate_entry(athlete=boy, team=team) == []


def test_roster_max_blocks_and_roster_min_is_a_checklist_item(u12_team):
    rules = u12_team.event.eligibility
    rules.roster_min, rules.roster_max = 3, 2
    rules.roster_min = 2
    rules.save()
    first = AthleteFactory(delegation=u12_team.delegation, birth_date=dt.date(2015, 6, 1))
    entry_create(team=u12_team, athlete=first)
    [item] = roster_checklist(u12_team)
    assert not item.blocking
    assert item.message_en == "the team has 1 athletes; at least 2 are needed to submit"
    entry_create(
        team=u12_team, athlete=AthleteFactory(delegation=u12_team.delegation, birth_date=dt.date(2015, 7, 1))
    )
    assert roster_checklist(u12_team) == []
    third = AthleteFactory(delegation=u12_team.delegation, birth_date=dt.date(2015, 8, 1))
    with pytest.raises(EntryRefusedError) as refused:
        entry_create(team=u12_team, athlete=third)
    assert rules_of(refused.value.refusals) == [Rule.ROSTER_MAX]
    assert refused.value.refusals[0].message_zh == "该队已有 2 名运动员，最多 2 名"


def test_events_per_athlete_counts_across_the_programme(u12_team):
    u12_team.event.eligibility.max_events_per_athlete = 1
    u12_team.event.eligibility.save()
    athlete = AthleteFactory(delegation=u12_team.delegation, birth_date=dt.date(2015, 6, 1))
    other_team = TeamFactory(delegation=u12_team.delegation)
    EntryFactory(team=other_team, athlete=athlete)
    with pytest.raises(EntryRefusedError) as refused:
        entry_create(team=u12_team, athlete=athlete)
    assert refused.value.refusals[0].message_en == "already entered in 1 events; at most 1 per athlete"


def test_one_team_per_event_per_athlete_and_withdrawal_frees_it(u12_team):
    athlete = AthleteFactory(delegation=u12_team.delegation, birth_date=dt.date(2015, 6, 1))
    second_team = TeamFactory(delegation=u12_team.delegation, event=u12_team.event, name_zh="B")
    entry = entry_create(team=u12_team, athlete=athlete)
    assert entry.status == EntryStatus.DRAFT
    with pytest.raises(EntryRefusedError) as refused:
        entry_create(team=second_team, athlete=athlete)
    assert refused.value.refusals[0].rule == Rule.ONE_TEAM_PER_EVENT
    assert u12_team.name_en in refused.value.refusals[0].message_en  # each language names the team in it
    assert u12_team.name_zh in refused.value.refusals[0].message_zh
    entry_withdraw(entry=entry, user=None)
    moved = entry_create(team=second_team, athlete=athlete)
    assert Entry.objects.filter(athlete=athlete).count() == 2
    assert moved.team == second_team


def test_athlete_from_another_delegation_is_refused(u12_team):
    stranger = AthleteFactory(birth_date=dt.date(2015, 6, 1))
    assert rules_of(evaluate_entry(athlete=stranger, team=u12_team)) == [Rule.DELEGATION]


def test_every_failing_rule_is_reported_at_once():
    team = TeamFactory(event__category=EventCategory.MEN, event__age_group="U12")
    EventEligibilityFactory(event=team.event, min_birth_year=2015, max_birth_year=2016)
    girl = AthleteFactory(delegation=team.delegation, sex=AthleteSex.FEMALE, birth_date=dt.date(2011, 3, 2))
    assert rules_of(evaluate_entry(athlete=girl, team=team)) == [Rule.AGE, Rule.SEX]
