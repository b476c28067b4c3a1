"""Every admin change page of every registered model, opened and saved as every role.

Superusers may change what each class allows; an organiser reaches only rows of their own programme
(with the powers listed below); an organiser of another programme, a team manager and a spectator
reach nothing. The expectations are written out here, not read back from the admin classes.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.html import escape

from events.enums import MatchStatus, StageKind
from events.models import (
    AgeBandLimit,
    City,
    Competitor,
    Event,
    Match,
    Programme,
    ResultChange,
    ScheduleSettings,
    ScheduleVersion,
    Session,
    Stage,
    TravelTime,
    Venue,
)
from registration.models import (
    Badge,
    BadgeSheetJob,
    Consent,
    ConsentRulesText,
    EntryTransition,
    EventFee,
    EventRegistrationSettings,
    FeeCharge,
    SubstitutionRequest,
    User,
    WaitlistPlace,
)
from tests.factories import (
    CityFactory,
    ProgrammeMembershipFactory,
    UserFactory,
    login_two_factor,
    verified,
    with_totp,
)
from tests.factories.checkin import CredentialFactory, GateStaffAssignmentFactory, device_with_token
from tests.factories.competition import CompetitorFactory
from tests.factories.exchange import SlotFactory
from tests.factories.registration import (
    AthleteFactory,
    ConsentFactory,
    ConsentRulesTextFactory,
    EntryFactory,
    EventFeeFactory,
    EventRegistrationSettingsFactory,
    MembershipFactory,
)
from tests.html_forms import form_values
from ticketing.models import CheckInState, Credential, GateDevice, GateStaffAssignment, Scan
from tourism.exchange.models import AgeBandRatio, Experience
from tourism.models import Merchant

pytestmark = pytest.mark.django_db

# What an organiser of the object's programme may do; every other registered model they may only view,
# unless it is listed as superusers' only.
ORGANISER_CHANGES = {
    Programme,
    Event,
    Session,
    EventRegistrationSettings,
    EventFee,
    GateDevice,
    ScheduleSettings,
    TravelTime,
    AgeBandLimit,
    Experience,
    AgeBandRatio,
}
# allauth's and Django's own admins keep Django's model permissions, which no organiser is given.
SUPERUSERS_ONLY = {User, ConsentRulesText, Merchant, EmailAddress, Group, Authenticator}
SHARED = {City, Venue}  # reference data: every organiser views, superusers change
# Records: not even a superuser edits them (results change only through the services, which log them).
NEVER_CHANGED = {Scan, Consent, EntryTransition, Competitor, Match, ResultChange, ScheduleVersion}


def build_world():
    """One object of every registered model, all in one programme."""
    entry = EntryFactory()
    team, athlete, event = entry.team, entry.athlete, entry.event
    programme = event.programme
    credential = CredentialFactory(session__event=event)
    session = credential.session
    manager = MembershipFactory(delegation=team.delegation).user
    replacement = AthleteFactory(delegation=team.delegation)
    device, _token = device_with_token(event, gates=["gate-a"])
    scan = Scan.objects.create(
        event=event,
        credential=credential,
        code_hash="0" * 64,
        direction="entry",
        result="admitted",
        gate_code="north",
        scanned_at=timezone.now(),
        nonce="admin-test-1",
    )
    badge_credential = CredentialFactory(kind="badge", session=None, event=event, allows_reentry=True)
    stage = Stage.objects.create(event=event, kind=StageKind.POOLS, order=1)
    left, right = CompetitorFactory(event=event), CompetitorFactory(event=event)
    bout = Match.objects.create(
        stage=stage, code="P1-01", pool=1, sequence=1, left=left, right=right, status=MatchStatus.SCHEDULED
    )
    objects = {
        City: event.host_city,
        Venue: event.venue,
        Programme: programme,
        Event: event,
        Session: session,
        Credential: credential,
        GateStaffAssignment: GateStaffAssignmentFactory(event=event),
        GateDevice: device,
        Scan: scan,
        CheckInState: CheckInState.objects.create(credential=credential, event=event, inside=True, entries=1),
        User: UserFactory(),
        EmailAddress: verified(manager).emailaddress_set.get(),
        Group: Group.objects.create(name="volunteers"),
        Authenticator: used(with_totp(UserFactory()).authenticator_set.get()),
        ConsentRulesText: ConsentRulesTextFactory(),
        Consent: ConsentFactory(athlete=athlete),
        EventRegistrationSettings: EventRegistrationSettingsFactory(event=event),
        EventFee: EventFeeFactory(event=event),
        EntryTransition: EntryTransition.objects.create(
            entry=entry, from_status="draft", to_status="submitted"
        ),
        SubstitutionRequest: SubstitutionRequest.objects.create(
            entry=entry, replacement=replacement, reason="injury", requested_by=manager
        ),
        WaitlistPlace: WaitlistPlace.objects.create(entry=entry, event=event, queued_at=timezone.now()),
        FeeCharge: FeeCharge.objects.create(team=team, athlete=athlete, part="full", amount_fen=5000),
        Badge: Badge.objects.create(
            credential=badge_credential,
            delegation=team.delegation,
            event=event,
            role="athlete",
            entry=entry,
            holder_label="Li",
        ),
        BadgeSheetJob: BadgeSheetJob.objects.create(
            delegation=team.delegation, programme=programme, requested_by=manager
        ),
        Competitor: left,
        Match: bout,
        ResultChange: ResultChange.objects.create(match=bout, before={}, after={"left_score": 5}),
        ScheduleSettings: ScheduleSettings.objects.create(programme=programme),
        TravelTime: TravelTime.objects.create(
            programme=programme, from_city=event.host_city, to_city=CityFactory(), minutes=90
        ),
        AgeBandLimit: AgeBandLimit.objects.create(programme=programme, band="U12", max_matches_per_day=6),
        ScheduleVersion: ScheduleVersion.objects.create(programme=programme, number=1, placements=[]),
        Merchant: Merchant.objects.create(
            slug="tea", name_zh="茶", name_en="Tea", city=CityFactory(), category="restaurant"
        ),
        Experience: SlotFactory(experience__programme=programme, experience__venue=event.venue).experience,
        AgeBandRatio: AgeBandRatio.objects.create(programme=programme, under_age=12, children_per_adult=8),
    }
    return programme, manager, objects


def used(authenticator):
    authenticator.record_usage()  # allauth's admin form requires a last-used time
    return authenticator


def form_data(html: str) -> dict[str, list[str]]:
    data = form_values(html)
    data["_save"] = ["Save"]
    return data


def expectation(role: str, model) -> str:
    """'change' (saved), 'view' (page shown, save refused), 'none' (as if it did not exist), 'login'."""
    if role in {"manager", "spectator"}:
        return "login"
    if role == "superuser":
        return "view" if model in NEVER_CHANGED else "change"
    if model in SUPERUSERS_ONLY:
        return "none"
    if model in SHARED:
        return "view"
    if role == "own_organiser":
        return "change" if model in ORGANISER_CHANGES else "view"
    return "none"


def test_every_registered_model_is_covered():
    _programme, _manager, objects = build_world()
    assert set(admin.site._registry) == set(objects)


def change_url(obj) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def test_every_change_page_answers_each_role_as_its_powers_say(client):
    programme, manager, objects = build_world()
    users = {
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "own_organiser": ProgrammeMembershipFactory(programme=programme, user__is_staff=True).user,
        "other_organiser": ProgrammeMembershipFactory(user__is_staff=True).user,
        "manager": manager,
        "spectator": UserFactory(),
    }
    for role, user in users.items():
        login_two_factor(client, user)
        for model, obj in objects.items():
            expected = expectation(role, model)
            url = change_url(obj)
            page = client.get(url)
            where = f"{role} {model.__name__}: expected {expected}"
            if expected == "login":
                assert page.status_code == 302 and page["Location"].startswith("/admin/login/"), where
                continue
            if expected == "none":
                # 403, or the admin's "does not exist" redirect: either way nothing of the object.
                assert page.status_code == 403 or page["Location"] == "/admin/", where
                assert client.post(url, {"_save": "Save"}).status_code in {302, 403}, where
                continue
            assert page.status_code == 200, where
            assert escape(str(obj)) in page.content.decode(), where
            saved = client.post(url, form_data(page.content.decode()))
            if expected == "change":
                assert saved.status_code == 302, (
                    where,
                    saved.context and saved.context["adminform"].form.errors,
                )
                assert saved["Location"] == f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/", where
            else:
                assert saved.status_code == 403, where
        client.logout()


def full_form(client, obj, **changes) -> dict[str, list[str]]:
    """The change form a superuser sees, with some fields changed: a complete, valid save."""
    login_two_factor(client, UserFactory(is_staff=True, is_superuser=True))
    data = form_data(client.get(change_url(obj)).content.decode())
    client.logout()
    return {**data, **{name: [value] for name, value in changes.items()}}


def test_organiser_of_another_programme_cannot_rename_an_event_or_change_a_venue(client):
    _programme, _manager, objects = build_world()
    event, venue = objects[Event], objects[Venue]
    rename_event = full_form(client, event, name_en="Renamed")
    rename_venue = full_form(client, venue, name_en="Renamed")
    login_two_factor(client, ProgrammeMembershipFactory(user__is_staff=True).user)

    client.post(change_url(event), rename_event)
    client.post(change_url(venue), rename_venue)
    event.refresh_from_db()
    venue.refresh_from_db()
    assert event.name_en != "Renamed"
    assert venue.name_en != "Renamed"
    assert event.name_zh not in client.get("/admin/events/event/").content.decode()


def test_organiser_cannot_revoke_another_programmes_devices(client):
    _programme, _manager, objects = build_world()
    device = objects[GateDevice]
    login_two_factor(client, ProgrammeMembershipFactory(user__is_staff=True).user)
    client.post(
        "/admin/ticketing/gatedevice/",
        {"action": "revoke_devices", "_selected_action": [device.pk], "index": 0},
    )
    device.refresh_from_db()
    assert device.revoked_at is None


def test_holders_are_neither_listed_nor_searched_and_a_holders_page_is_a_recorded_read(client):
    """A badge's holder is often a child: no list shows holders, a search by name finds nothing (the
    name would sit in the URL), the admin's log names no one, and opening a child's badge or its
    credential records the read."""
    from registration.models import AthleteAccess

    programme, _manager, objects = build_world()
    badge = objects[Badge]
    Badge.objects.filter(pk=badge.pk).update(holder_label="Wang Xiaoming")
    Credential.objects.filter(pk=badge.credential_id).update(holder_label="Wang Xiaoming")
    organiser = ProgrammeMembershipFactory(programme=programme, user__is_staff=True).user
    login_two_factor(client, organiser)
    for listing in ("/admin/registration/badge/", "/admin/ticketing/credential/"):
        assert "Wang Xiaoming" not in client.get(listing).content.decode()
        searched = client.get(listing, {"q": "Wang"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Wang Xiaoming" not in searched and "0 results" in searched
        # Nor by a lookup on the field in the URL, which Django allows on a model's own fields.
        filtered = client.get(listing, {"holder_label__istartswith": "Wang"}, HTTP_ACCEPT_LANGUAGE="en")
        assert "Wang Xiaoming" not in filtered.content.decode()
        assert filtered.status_code == 400  # DisallowedModelAdminLookup: refused, nothing listed
    assert not AthleteAccess.objects.exists()
    assert "Wang Xiaoming" in client.get(change_url(badge)).content.decode()
    assert "Wang Xiaoming" in client.get(change_url(badge.credential)).content.decode()
    reads = list(AthleteAccess.objects.values_list("accessed_by", "athlete", "kind"))
    assert reads == [(organiser.pk, badge.entry.athlete_id, "detail")] * 2
    assert "Wang" not in str(badge)


def test_a_badge_page_shown_again_after_a_failed_save_is_a_recorded_read_and_old_log_entries_name_no_one(
    client,
):
    from importlib import import_module

    from django.apps import apps
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from registration.models import AthleteAccess

    _programme, _manager, objects = build_world()
    badge = objects[Badge]
    superuser = UserFactory(is_staff=True, is_superuser=True)
    login_two_factor(client, superuser)
    data = form_data(client.get(change_url(badge)).content.decode())
    data["role"] = ["not-a-role"]
    again = client.post(change_url(badge), data)
    assert again.status_code == 200 and badge.holder_label in again.content.decode()
    assert AthleteAccess.objects.filter(accessed_by=superuser, kind="detail").count() == 2

    entry = LogEntry.objects.create(
        user=superuser,
        content_type=ContentType.objects.get_for_model(Badge),
        object_id=str(badge.pk),
        object_repr="Wang Xiaoming · Athlete",
        action_flag=CHANGE,
    )
    import_module("registration.migrations.0013_badge_admin_log_without_holders").log_entries_anonymise(
        apps, None
    )
    entry.refresh_from_db()
    assert entry.object_repr == f"#{badge.pk}"
