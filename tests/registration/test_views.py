"""Every registration page per role: managers reach only their own delegation (others are a 404),
coaches and chaperones only view, organisers of the programme view and reveal, anonymous users log in.
Document numbers never reach a URL, a log record or an email."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail
from django.urls import reverse

from registration.enums import AthleteSex, MembershipRole
from registration.models import Athlete, DelegationMembership, DocumentReveal, Entry
from registration.services.encryption import decrypt_document
from tests.factories import ProgrammeMembershipFactory, UserFactory, login_two_factor, verified, with_totp
from tests.factories.registration import (
    AthleteFactory,
    DelegationFactory,
    EntryFactory,
    GuardianFactory,
    MembershipFactory,
    TeamFactory,
    resident_id,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own = DelegationFactory(name_zh="苏州队")
    other = DelegationFactory(programme=own.programme, name_zh="南京队")
    manager = MembershipFactory(delegation=own, role=MembershipRole.MANAGER).user
    coach = MembershipFactory(delegation=own, role=MembershipRole.COACH).user
    athlete = AthleteFactory(delegation=own, name_latin="SU Athlete")
    GuardianFactory(athlete=athlete)
    foreign = AthleteFactory(delegation=other, name_latin="NJ Athlete")
    team = TeamFactory(delegation=own)
    other_team = TeamFactory(delegation=other)
    other_entry = EntryFactory(team=other_team, athlete=foreign)
    organiser = with_totp(ProgrammeMembershipFactory(programme=own.programme).user)
    return {
        "own": own,
        "other": other,
        "manager": manager,
        "coach": coach,
        "athlete": athlete,
        "foreign": foreign,
        "team": team,
        "other_team": other_team,
        "other_entry": other_entry,
        "organiser": organiser,
    }


def number_of(athlete) -> str:
    return decrypt_document(Athlete.objects.get(pk=athlete.pk).document_number_encrypted)


def pages_of(w, delegation, athlete, team):
    return [
        reverse("registration:delegation-detail", args=[delegation.pk]),
        reverse("registration:athlete-list", args=[delegation.pk]),
        reverse("registration:athlete-detail", args=[athlete.pk]),
        reverse("registration:team-detail", args=[team.pk]),
    ]


def manage_pages_of(delegation, athlete):
    return [
        reverse("registration:membership-invite", args=[delegation.pk]),
        reverse("registration:team-create", args=[delegation.pk]),
        reverse("registration:athlete-create", args=[delegation.pk]),
        reverse("registration:athlete-import", args=[delegation.pk]),
        reverse("registration:athlete-import-template", args=[delegation.pk, "csv"]),
        reverse("registration:athlete-edit", args=[athlete.pk]),
    ]


def test_anonymous_users_are_sent_to_login(client, world):
    for url in [
        reverse("registration:delegation-list"),
        *pages_of(world, world["own"], world["athlete"], world["team"]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_manager_sees_own_roster_with_masked_documents_only(client, world):
    login_two_factor(client, world["manager"])
    number = number_of(world["athlete"])
    response = client.get(reverse("registration:athlete-list", args=[world["own"].pk]))
    body = response.content.decode()
    assert "SU Athlete" in body
    assert world["athlete"].document_masked in body
    assert number not in body
    assert "NJ Athlete" not in body


def test_manager_cannot_read_change_or_detect_another_delegation(client, world):
    login_two_factor(client, world["manager"])
    urls = pages_of(world, world["other"], world["foreign"], world["other_team"]) + manage_pages_of(
        world["other"], world["foreign"]
    )
    for url in urls:
        assert client.get(url).status_code == 404, url
    missing = client.get(reverse("registration:athlete-detail", args=[999999]))
    assert missing.status_code == 404  # same answer as for an existing foreign athlete
    posts = [
        reverse("registration:entry-withdraw", args=[world["other_entry"].pk]),
        reverse("registration:entry-create", args=[world["other_team"].pk]),
        reverse("registration:athlete-edit", args=[world["foreign"].pk]),
    ]
    for url in posts:
        assert client.post(url, {"athlete": world["foreign"].pk}).status_code == 404, url
    world["other_entry"].refresh_from_db()
    assert world["other_entry"].status == "draft"
    delegations = client.get(reverse("registration:delegation-list")).content.decode()
    assert "苏州队" in delegations and "南京队" not in delegations


def test_coach_views_roster_without_documents_and_cannot_manage(client, world):
    login_two_factor(client, world["coach"])
    body = client.get(reverse("registration:athlete-list", args=[world["own"].pk])).content.decode()
    assert "SU Athlete" in body
    assert world["athlete"].document_masked not in body
    detail = client.get(reverse("registration:athlete-detail", args=[world["athlete"].pk])).content.decode()
    assert world["athlete"].document_masked not in detail
    for url in manage_pages_of(world["own"], world["athlete"]):
        assert client.get(url).status_code == 404, url


def test_people_without_a_role_see_nothing(client, world):
    """Gate staff, merchants or any other account: no delegation page at all."""
    login_two_factor(client, UserFactory())
    for url in pages_of(world, world["own"], world["athlete"], world["team"]):
        assert client.get(url).status_code == 404
    assert "SU Athlete" not in client.get(reverse("registration:delegation-list")).content.decode()


def test_organiser_views_programme_delegations_and_reveal_is_logged_once(client, world, caplog):
    login_two_factor(client, world["organiser"])
    number = number_of(world["athlete"])
    assert (
        "SU Athlete"
        in client.get(reverse("registration:athlete-list", args=[world["own"].pk])).content.decode()
    )
    url = reverse("registration:document-reveal", args=[world["athlete"].pk])
    assert number not in url
    page = client.get(url).content.decode()
    assert number not in page
    refused = client.post(url, {"purpose": "verification", "reason": "", "confirm": "on"})
    assert number not in refused.content.decode()
    assert DocumentReveal.objects.count() == 0
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            url, {"purpose": "verification", "reason": "Check at accreditation", "confirm": "on"}
        )
    assert number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    reveal = DocumentReveal.objects.get()
    assert (reveal.revealed_by, reveal.athlete, reveal.reason) == (
        world["organiser"],
        world["athlete"],
        "Check at accreditation",
    )
    assert all(number not in record.getMessage() for record in caplog.records)


def test_nobody_but_the_programme_organiser_can_reveal(client, world, admin_user):
    url = reverse("registration:document-reveal", args=[world["athlete"].pk])
    data = {"purpose": "verification", "reason": "x", "confirm": "on"}
    other_organiser = with_totp(ProgrammeMembershipFactory().user)
    for user in (with_totp(world["manager"]), with_totp(world["coach"]), other_organiser):
        login_two_factor(client, user)
        assert client.post(url, data).status_code == 404
    login_two_factor(client, with_totp(admin_user))
    response = client.post(url, data)
    assert number_of(world["athlete"]) not in response.content.decode()
    assert DocumentReveal.objects.count() == 0


def test_adding_an_athlete_keeps_the_number_out_of_urls_logs_and_storage(client, world, caplog):
    login_two_factor(client, world["manager"])
    number = resident_id(dt.date(2014, 6, 1), AthleteSex.FEMALE, sequence=44)
    data = {
        "family_name_zh": "王",
        "given_name_zh": "小雨",
        "name_latin": "WANG Xiaoyu",
        "sex": "female",
        "birth_date": "2014-06-01",
        "document_type": "resident_id",
        "document_number": number,
        "emergency_contact_name": "王强",
        "emergency_contact_phone": "13700000000",
        "guardian_name": "王强",
        "guardian_relationship": "father",
        "guardian_phone": "13700000000",
    }
    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("registration:athlete-create", args=[world["own"].pk]), data)
        assert response.status_code == 302
        assert number not in response.url
        page = client.get(response.url).content.decode()
    athlete = Athlete.objects.get(name_latin="WANG Xiaoyu")
    assert number not in athlete.document_number_encrypted
    assert athlete.document_masked == number[:6] + "********" + number[-4:]
    assert athlete.document_masked in page and number not in page
    assert athlete.guardians.get().relationship == "father"
    assert all(number not in record.getMessage() for record in caplog.records)
    # Same document again on the same roster: refused, named.
    again = client.post(reverse("registration:athlete-create", args=[world["own"].pk]), data)
    assert "名单中已有持此证件的运动员。" in again.content.decode()  # the site's default language
    assert Athlete.objects.filter(name_latin="WANG Xiaoyu").count() == 1


def test_form_names_both_birth_dates_when_they_disagree(client, world):
    login_two_factor(client, world["manager"])
    number = resident_id(dt.date(2014, 6, 1), AthleteSex.FEMALE)
    response = client.post(
        reverse("registration:athlete-create", args=[world["own"].pk]),
        {
            "name_latin": "X",
            "sex": "female",
            "birth_date": "2014-06-02",
            "document_type": "resident_id",
            "document_number": number,
            "emergency_contact_name": "Y",
            "emergency_contact_phone": "1",
            "guardian_name": "Y",
            "guardian_relationship": "mother",
            "guardian_phone": "1",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert "The ID number gives the birth date 2014-06-01, but the form says 2014-06-02." in body
    assert body.count(number) == 1  # only echoed back in the field being corrected, never in the message


def test_invitation_email_in_recipients_language_and_one_time_accept(
    client, world, django_capture_on_commit_callbacks
):
    login_two_factor(client, world["manager"])
    invitee = verified(UserFactory(email="coach@example.com", preferred_language="en"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registration:membership-invite", args=[world["own"].pk]),
            {"email": "Coach@Example.com", "role": "coach", "language": "zh-hans"},
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["coach@example.com"]
    assert "invites you to join" in message.body  # the invitee's account says English
    link = next(line for line in message.body.splitlines() if "/delegations/invitations/" in line)
    token = link.rsplit("/invitations/", 1)[1].strip("/")
    membership = DelegationMembership.objects.get(invited_email="coach@example.com")
    assert token not in membership.invitation_token_hash
    login_two_factor(client, invitee)
    accept = reverse("registration:invitation-accept", args=[token])
    assert client.post(accept).status_code == 302
    membership.refresh_from_db()
    assert membership.user == invitee and membership.accepted_at and membership.invitation_token_hash == ""
    assert client.post(accept).status_code == 404  # one-time
    body = client.get(reverse("registration:athlete-list", args=[world["own"].pk])).content.decode()
    assert "SU Athlete" in body and world["athlete"].document_masked not in body  # coach view


def test_someone_else_holding_the_link_is_told_and_does_not_join(
    client, world, django_capture_on_commit_callbacks
):
    login_two_factor(client, world["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("registration:membership-invite", args=[world["own"].pk]),
            {"email": "coach@example.com", "role": "manager", "language": "en"},
        )
    link = next(line for line in mail.outbox[0].body.splitlines() if "/delegations/invitations/" in line)
    stranger = verified(UserFactory(email="someone.else@example.net"))
    login_two_factor(client, stranger)
    accept = link[link.index("/delegations/") :].strip()
    page = client.get(accept, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "此邀请发送到了另一个邮箱地址，请使用该地址登录后再接受邀请。" in page
    assert "Accept the invitation" not in page and "接受邀请</button>" not in page
    refused = client.post(accept, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "This invitation was sent to another email address; log in with that address to accept it." in refused
    )
    assert not DelegationMembership.objects.filter(user=stranger).exists()
    assert client.get(reverse("registration:delegation-detail", args=[world["own"].pk])).status_code == 404


def test_unknown_invitee_gets_the_chosen_language(client, world, django_capture_on_commit_callbacks):
    login_two_factor(client, world["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("registration:membership-invite", args=[world["own"].pk]),
            {"email": "new@example.com", "role": "chaperone", "language": "zh-hans"},
        )
    assert "邀请您" in mail.outbox[0].body
    assert all(number_of(world["athlete"]) not in message.body for message in mail.outbox)


def test_manager_creates_delegation_team_and_entry_and_sees_refusals(client, world):
    login_two_factor(client, world["manager"])
    response = client.post(
        reverse("registration:delegation-create"),
        {
            "programme": world["own"].programme.pk,
            "city": world["own"].city.pk,
            "kind": "school",
            "name_zh": "实验小学",
            "name_en": "",
        },
    )
    delegation = world["own"].programme.delegations.get(name_zh="实验小学")
    assert response.url == delegation.get_absolute_url()
    assert delegation.memberships.get().user == world["manager"]
    event = world["team"].event
    response = client.post(
        reverse("registration:team-create", args=[delegation.pk]), {"event": event.pk, "name_zh": "A"}
    )
    team = delegation.teams.get()
    athlete = AthleteFactory(delegation=world["own"])
    # Athlete of another delegation cannot be chosen.
    refused = client.post(reverse("registration:entry-create", args=[team.pk]), {"athlete": athlete.pk})
    assert refused.status_code == 400
    assert not Entry.objects.filter(team=team).exists()
    ok = client.post(reverse("registration:entry-create", args=[world["team"].pk]), {"athlete": athlete.pk})
    assert ok.status_code == 302
    assert Entry.objects.get(team=world["team"]).status == "draft"


@pytest.mark.parametrize("rows", [1, 12])
def test_athlete_list_query_count_is_pinned(client, world, rows, django_assert_num_queries):
    for _ in range(rows - 1):
        athlete = AthleteFactory(delegation=world["own"])
        EntryFactory(team=world["team"], athlete=athlete)
    login_two_factor(client, world["manager"])
    url = reverse("registration:athlete-list", args=[world["own"].pk])
    with django_assert_num_queries(
        9
    ):  # session, user, delegation, role, base nav perms (3), athletes, entries
        response = client.get(url)
    assert response.content.decode().count("/delegations/athletes/") >= rows


@pytest.mark.parametrize("rows", [1, 8])
def test_delegation_list_query_count_is_pinned(client, world, rows, django_assert_num_queries):
    for _ in range(rows - 1):
        MembershipFactory(user=world["manager"], delegation=DelegationFactory())
    login_two_factor(client, world["manager"])
    with django_assert_num_queries(6):  # session, user, base nav perms (3), delegations with counts
        response = client.get(reverse("registration:delegation-list"))
    assert response.content.decode().count('<li class="card">') == rows


def athlete_post(number: str) -> dict:
    return {
        "name_latin": "WANG Xiaoyu",
        "sex": "female",
        "birth_date": "2014-06-02",  # disagrees with the number: the form is re-rendered
        "document_type": "resident_id",
        "document_number": number,
        "emergency_contact_name": "王强",
        "emergency_contact_phone": "13712345678",
        "guardian_name": "王强",
        "guardian_relationship": "father",
        "guardian_phone": "13712345678",
    }


@pytest.mark.parametrize("page", ["registration:athlete-create", "registration:athlete-edit"])
def test_athlete_forms_are_never_cached_and_every_field_is_hidden_from_error_reports(client, world, page):
    from django.views.debug import SafeExceptionReporterFilter

    login_two_factor(client, world["manager"])
    target = world["own"].pk if page.endswith("create") else world["athlete"].pk
    number = resident_id(dt.date(2014, 6, 1), AthleteSex.FEMALE, sequence=71)
    response = client.post(reverse(page, args=[target]), athlete_post(number))
    assert number in response.content.decode()  # echoed back for correction...
    assert (
        "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    )  # ...never cached
    hidden = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert {hidden[name] for name in ("document_number", "guardian_phone", "birth_date", "name_latin")} == {
        SafeExceptionReporterFilter.cleansed_substitute
    }


def test_an_error_inside_the_services_or_the_import_reader_reports_no_personal_data(
    settings, world, monkeypatch
):
    from django.views.debug import ExceptionReporter

    from registration.forms import roster_import as roster_import_forms
    from registration.services import athletes, documents
    from tests.factories.rosters import csv_file, row

    settings.DEBUG = False  # error reports are filtered in production only
    number = resident_id(dt.date(2014, 6, 1), AthleteSex.FEMALE, sequence=72)
    form_data = {**athlete_post(number), "birth_date": "2014-06-01"}
    from registration.forms.athletes import AthleteForm

    form = AthleteForm(form_data)
    assert form.is_valid(), form.errors

    def broken(*args, **kwargs):
        raise RuntimeError("storage down")

    monkeypatch.setattr(documents, "encrypt_document", broken)
    with pytest.raises(RuntimeError) as raised:
        athletes.athlete_create(delegation=world["own"], data=form.athlete_data())
    report = ExceptionReporter(None, RuntimeError, raised.value, raised.tb).get_traceback_text()
    assert "athlete_create" in report and number not in report and "13712345678" not in report

    monkeypatch.setattr(
        roster_import_forms, "_cell_text", lambda cell: broken() if cell == "13800000000" else (cell, False)
    )
    with pytest.raises(RuntimeError) as raised:
        roster_import_forms.read_rows(csv_file([row(1, number=number, birth=dt.date(2014, 6, 1))]))
    report = ExceptionReporter(None, RuntimeError, raised.value, raised.tb).get_traceback_text()
    assert "_rows_of" in report and number not in report


def test_an_organiser_reading_an_athlete_page_is_logged_and_members_are_not(client, world):
    from registration.models import AthleteAccess

    url = reverse("registration:athlete-detail", args=[world["athlete"].pk])
    login_two_factor(client, world["manager"])
    manager_page = client.get(url).content.decode()
    login_two_factor(client, world["coach"])
    client.get(url)
    assert AthleteAccess.objects.count() == 0  # the delegation's own staff: their roster
    login_two_factor(client, world["organiser"])
    organiser_page = client.get(url).content.decode()
    assert "SU Athlete" in organiser_page
    access = AthleteAccess.objects.get()
    assert (access.accessed_by, access.athlete, access.delegation, access.kind) == (
        world["organiser"],
        world["athlete"],
        world["own"],
        "detail",
    )
    assert access.athlete_label == world["athlete"].display_name
    client.get(url)
    assert AthleteAccess.objects.count() == 2  # every read, not only the first
    login_two_factor(client, world["manager"])
    after = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "read by" not in after.lower() and str(world["organiser"]) not in after  # nothing new for managers
    assert "SU Athlete" in manager_page


def test_manager_pages_link_to_checklist_paperwork_and_badges(client):
    from tests.factories.registration import AthleteFactory, MembershipFactory, TeamFactory

    team = TeamFactory()
    athlete = AthleteFactory(delegation=team.delegation)
    manager = MembershipFactory(delegation=team.delegation).user
    login_two_factor(client, manager)
    assert f"/teams/{team.pk}/checklist/" in client.get(f"/teams/{team.pk}/").content.decode()
    assert (
        f"/delegations/{team.delegation.pk}/badges/"
        in client.get(f"/delegations/{team.delegation.pk}/").content.decode()
    )
    assert (
        f"/delegations/athletes/{athlete.pk}/paperwork/"
        in client.get(f"/delegations/athletes/{athlete.pk}/").content.decode()
    )


def test_team_is_named_in_both_languages_and_read_in_the_readers(client, world):
    login_two_factor(client, world["manager"])
    event = world["team"].event
    client.post(
        reverse("registration:team-create", args=[world["own"].pk]),
        {"event": event.pk, "name_zh": "苏州 U12 男子花剑", "name_en": "Suzhou U12 Men's Foil"},
    )
    team = world["own"].teams.get(name_zh="苏州 U12 男子花剑")
    assert team.name_en == "Suzhou U12 Men's Foil"
    english = client.get(team.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(team.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Suzhou U12 Men&#x27;s Foil" in english and "苏州 U12 男子花剑" not in english
    assert "苏州 U12 男子花剑" in chinese
    client.post(
        reverse("registration:team-create", args=[world["own"].pk]),
        {"event": event.pk, "name_zh": "只有中文"},
    )
    only_zh = world["own"].teams.get(name_zh="只有中文")
    assert "只有中文" in client.get(only_zh.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
