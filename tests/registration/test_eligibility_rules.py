"""The organiser's eligibility rules (registration/services/eligibility.py, forms/eligibility.py,
views/eligibility.py): the preview before saving, saving re-checks entries already made (flagged in
the review queue and at approval, never withdrawn), reads of the listed names are logged; and the
team manager's entry form lists eligible athletes first with the engine's reasons for the others."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from registration.enums import AgeRuleKind, AthleteAccessKind, AthleteSex, EntryStatus, SexAllowed
from registration.errors import EligibilityRulesError, EntryNotReadyError
from registration.forms.delegations import EntryForm
from registration.forms.eligibility import EligibilityForm
from registration.models import AthleteAccess, Entry, EventEligibility
from registration.selectors.eligibility import eligibility_preview
from registration.services import workflow
from registration.services.eligibility import EligibilityData, eligibility_save
from tests.factories import ProgrammeMembershipFactory, login_two_factor, verified, with_totp
from tests.factories.registration import (
    AthleteFactory,
    EntryFactory,
    EventEligibilityFactory,
    MembershipFactory,
    TeamFactory,
    complete_paperwork,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

U12 = {
    "age_rule": AgeRuleKind.BIRTH_YEAR_WINDOW,
    "sex_allowed": SexAllowed.MALE,
    "min_birth_year": 2015,
    "max_birth_year": 2016,
}


@pytest.fixture
def team():
    return TeamFactory(name="Shanghai U12")


def _entry(team, name, birth, sex=AthleteSex.MALE, status=EntryStatus.APPROVED):
    athlete = AthleteFactory(delegation=team.delegation, name_latin=name, birth_date=birth, sex=sex)
    return EntryFactory(team=team, athlete=athlete, status=status)


@pytest.fixture
def entries(team):
    return {
        "fits": _entry(team, "FITS Boy", dt.date(2015, 5, 1)),
        "old": _entry(team, "OLD Boy", dt.date(2013, 2, 1)),
        "girl": _entry(team, "GIRL Born2013", dt.date(2013, 6, 1), sex=AthleteSex.FEMALE),
        "gone": _entry(team, "GONE Boy", dt.date(2012, 1, 1), status=EntryStatus.WITHDRAWN),
    }


@pytest.fixture
def organiser(client, team):
    user = with_totp(verified(ProgrammeMembershipFactory(programme=team.delegation.programme).user))
    login_two_factor(client, user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return user


def test_preview_counts_the_entries_the_rules_would_refuse(team, entries):
    refused = eligibility_preview(team.event, EligibilityData(**U12).as_rules(team.event))
    names = [entry.athlete.name_latin for entry, _reasons in refused]
    assert names == ["GIRL Born2013", "OLD Boy"]  # the withdrawn entry is not counted
    girl_reasons = [r.message_en for r in refused[0][1]]
    assert any("born 2013-06-01" in r for r in girl_reasons) and any(
        "men and boys only" in r for r in girl_reasons
    )
    assert not EventEligibility.objects.filter(event=team.event).exists()  # a preview saves nothing


def test_save_keeps_entries_and_flags_them_for_review_and_approval(team, entries):
    rules, refused = eligibility_save(event=team.event, data=EligibilityData(**U12))
    assert rules.min_birth_year == 2015 and len(refused) == 2
    assert Entry.objects.get(pk=entries["old"].pk).status == EntryStatus.APPROVED  # nothing withdrawn
    submitted = _entry(team, "LATE Boy", dt.date(2014, 1, 1), status=EntryStatus.SUBMITTED)
    complete_paperwork(submitted.athlete)
    with pytest.raises(EntryNotReadyError, match="requires a birth year from 2015 to 2016"):
        workflow.entry_approve(entry=submitted, user=None)


def test_saving_again_updates_the_one_row(team, entries):
    eligibility_save(event=team.event, data=EligibilityData(**U12))
    _rules, refused = eligibility_save(
        event=team.event,
        data=EligibilityData(**{**U12, "min_birth_year": 2012, "sex_allowed": SexAllowed.ANY}),
    )
    assert EventEligibility.objects.filter(event=team.event).count() == 1
    assert refused == []


def test_contradicting_rules_are_refused_by_the_service(team):
    with pytest.raises(EligibilityRulesError):
        eligibility_save(event=team.event, data=EligibilityData(**{**U12, "min_birth_year": 2017}))
    assert not EventEligibility.objects.filter(event=team.event).exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The latest birth year cannot be before the earliest."),
        ("zh-hans", "最晚出生年份不能早于最早出生年份。"),
    ],
)
def test_form_explains_bad_input_in_both_languages(language, message):
    with translation.override(language):
        form = EligibilityForm(
            {"age_rule": AgeRuleKind.BIRTH_YEAR_WINDOW, "sex_allowed": SexAllowed.ANY, "min_birth_year": 2016,
             "max_birth_year": 2015, "playing_up_groups": 1, "group_span_years": 2}
        )  # fmt: skip
        assert not form.is_valid()
        assert form.errors["max_birth_year"] == [message]


def test_form_needs_a_bound_for_the_rule_it_names():
    form = EligibilityForm(
        {
            "age_rule": AgeRuleKind.SEASON_CUTOFF,
            "sex_allowed": SexAllowed.ANY,
            "playing_up_groups": 1,
            "group_span_years": 2,
        }
    )
    assert not form.is_valid()
    assert set(form.errors) == {"min_age", "cutoff_month"}


def _post(client, team, action, **values):
    data = {"playing_up_groups": 1, "group_span_years": 2, **U12, **values, action: "1"}
    return client.post(reverse("registration:eligibility", args=[team.event.slug]), data)


def test_page_previews_then_saves_and_logs_the_names_it_shows(client, organiser, team, entries):
    page = _post(client, team, "preview")
    html = page.content.decode()
    assert "These 2 entries would become ineligible" in html
    assert "GIRL Born2013" in html and "OLD Boy" in html and "FITS Boy" not in html
    assert not EventEligibility.objects.filter(event=team.event).exists()
    logged = set(
        AthleteAccess.objects.filter(accessed_by=organiser, kind=AthleteAccessKind.ROSTER).values_list(
            "athlete_id", flat=True
        )
    )
    assert logged == {entries["old"].athlete_id, entries["girl"].athlete_id}
    response = _post(client, team, "save")
    assert response.status_code == 302
    assert EventEligibility.objects.get(event=team.event).max_birth_year == 2016
    follow = client.get(response["Location"]).content.decode()
    assert "2 entries are now ineligible and flagged in the review queue" in follow


def test_bad_rules_on_the_page_answer_400_and_save_nothing(client, organiser, team):
    response = _post(client, team, "save", min_birth_year=2020)
    assert response.status_code == 400
    assert "The latest birth year cannot be before the earliest." in response.content.decode()
    assert not EventEligibility.objects.filter(event=team.event).exists()


def test_review_queue_flags_the_ineligible_entry(client, organiser, team, entries):
    EventEligibility.objects.create(event=team.event, **U12)
    html = client.get(
        reverse("registration:review-queue", args=[team.delegation.programme_id])
    ).content.decode()
    assert "born 2013-06-01; " in html and "is for men and boys only" in html


def test_entry_form_lists_eligible_athletes_first_and_says_why_not(team):
    EventEligibilityFactory(event=team.event, **{k: v for k, v in U12.items()})
    young = AthleteFactory(delegation=team.delegation, name_latin="ZZ Young", birth_date=dt.date(2016, 1, 1))
    girl = AthleteFactory(
        delegation=team.delegation,
        name_latin="AA Girl",
        birth_date=dt.date(2013, 6, 1),
        sex=AthleteSex.FEMALE,
    )
    entered = _entry(team, "MM Entered", dt.date(2015, 3, 3))
    form = EntryForm(team=team)
    groups = form.fields["athlete"].choices[1:]
    (eligible_label, eligible), (other_label, others) = groups
    assert (str(eligible_label), [pk for pk, _ in eligible]) == ("Eligible", [young.pk])
    assert str(other_label) == "Not eligible"
    labels = dict(others)
    assert "born 2013-06-01" in labels[girl.pk] and "men and boys only" in labels[girl.pk]
    assert "already entered in this event for team Shanghai U12" in labels[entered.athlete_id]
    with translation.override("zh-hans"):
        reasons = {c.athlete.pk: c.reasons for c in EntryForm(team=team).ineligible}
    assert "仅限男子参加" in reasons[girl.pk]


def test_team_page_shows_the_reasons_to_its_manager(client, team):
    EventEligibilityFactory(event=team.event, **U12)
    AthleteFactory(
        delegation=team.delegation,
        name_latin="AA Girl",
        birth_date=dt.date(2013, 6, 1),
        sex=AthleteSex.FEMALE,
    )
    manager = verified(MembershipFactory(delegation=team.delegation).user)
    client.force_login(manager)
    html = client.get(
        reverse("registration:team-detail", args=[team.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Why 1 athlete cannot be entered" in html and "AA Girl" in html and "men and boys only" in html


@pytest.mark.parametrize("count", [1, 8])
def test_entry_form_query_count_is_flat(team, django_assert_num_queries, count):
    EventEligibilityFactory(event=team.event, **{**U12, "max_events_per_athlete": 2, "roster_max": 20})
    for index in range(count):
        AthleteFactory(delegation=team.delegation, birth_date=dt.date(2015, 1, 1 + index))
    with django_assert_num_queries(4):
        EntryForm(team=team)


def test_technical_grade_caps_and_floors_are_rules_like_the_others(team):
    from registration.enums import AthleteGrade
    from registration.selectors.eligibility import evaluate_entry

    graded = AthleteFactory(
        delegation=team.delegation, birth_date=dt.date(2015, 1, 1), grade=AthleteGrade.GRADE_1
    )
    plain = AthleteFactory(delegation=team.delegation, birth_date=dt.date(2015, 1, 1))
    EventEligibility.objects.create(event=team.event, **U12, max_grade=AthleteGrade.GRADE_2)
    [refusal] = evaluate_entry(athlete=graded, team=team)
    assert (
        refusal.message_en
        == "graded First-grade athlete; this event allows no grade above Second-grade athlete"
    )
    assert evaluate_entry(athlete=plain, team=team) == []
    rules = EligibilityData(**U12, min_grade=AthleteGrade.GRADE_3).as_rules(team.event)
    EntryFactory(team=team, athlete=plain, status=EntryStatus.SUBMITTED)
    [(entry, [reason])] = eligibility_preview(team.event, rules)
    assert entry.athlete == plain and "requires at least Third-grade athlete" in reason.message_en


def test_grade_bounds_must_be_in_order():
    form = EligibilityForm(
        {"age_rule": AgeRuleKind.NONE, "sex_allowed": SexAllowed.ANY, "playing_up_groups": 1, "group_span_years": 2,
         "min_grade": "grade_1", "max_grade": "grade_3"}
    )  # fmt: skip
    assert not form.is_valid()
    assert form.errors["max_grade"] == ["The highest grade cannot be below the lowest."]


def test_manager_records_an_athletes_grade(client, team):
    from registration.enums import AthleteGrade
    from registration.forms.athletes import AthleteForm
    from registration.services.athletes import athlete_update

    athlete = AthleteFactory(delegation=team.delegation)
    initial = AthleteForm.initial_for(athlete)
    assert initial["grade"] == AthleteGrade.NONE
    form = AthleteForm(
        {
            **initial,
            "grade": AthleteGrade.GRADE_2,
            "guardian_name": "王芳",
            "guardian_relationship": "mother",
            "guardian_phone": "139",
        },
        initial=initial,
        editing=True,
    )
    assert form.is_valid(), form.errors
    assert form.athlete_data().grade == AthleteGrade.GRADE_2
    athlete_update(athlete=athlete, data=form.athlete_data())
    athlete.refresh_from_db()
    assert athlete.grade == AthleteGrade.GRADE_2
