"""Badges on the ticket credential layer: issued for approved entries and staff, admitted by the same
gate scan, revoked with the entry; badge sheets rendered by a task with progress, Chinese names and
scannable QR codes in the PDF, no document numbers or birth dates."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from events.enums import VenueResourceKind
from registration.enums import EntryStatus, MembershipRole
from registration.models import Badge, BadgeRole, BadgeSheetJob
from registration.selectors import accreditation as accreditation_selectors
from registration.services import accreditation, workflow
from tests.factories import UserFactory, VenueResourceFactory
from tests.factories.registration import AthleteFactory, EntryFactory, MembershipFactory, TeamFactory
from tests.qr import qr_codes_on
from ticketing.enums import CredentialState
from ticketing.signing import credential_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    team = TeamFactory(event__venue__gates=["gate-a"])
    VenueResourceFactory(venue=team.event.venue, kind=VenueResourceKind.PISTE, code="piste-1")
    return team


def test_badges_for_approved_entries_and_staff_idempotent(team):
    approved = EntryFactory(team=team, status=EntryStatus.APPROVED)
    EntryFactory(team=team, status=EntryStatus.SUBMITTED)
    MembershipFactory(delegation=team.delegation, role=MembershipRole.COACH)
    MembershipFactory(delegation=team.delegation, role=MembershipRole.CHAPERONE)

    assert accreditation.badges_issue(delegation=team.delegation) == 3
    assert accreditation.badges_issue(delegation=team.delegation) == 0

    athlete_badge = Badge.objects.get(role=BadgeRole.ATHLETE)
    assert athlete_badge.entry == approved
    assert athlete_badge.credential.kind == "badge"
    assert athlete_badge.holder_label == f"{approved.athlete.name_zh} {approved.athlete.name_latin}"
    assert athlete_badge.credential.zones == ["gate-a", "piste-1"]
    assert Badge.objects.get(role=BadgeRole.CHAPERONE).credential.zones == ["gate-a"]


def test_badge_is_admitted_by_the_gate_scanner_and_refused_once_withdrawn(team):
    from ticketing.services.scans import credential_scan

    entry = EntryFactory(team=team, status=EntryStatus.APPROVED)
    accreditation.badges_issue(delegation=team.delegation)
    badge = Badge.objects.get()
    code = credential_code(badge.credential)

    with time_machine.travel(dt.datetime(2027, 5, 1, 9, tzinfo=dt.UTC)):
        outcome = credential_scan(
            code=code, gate_code="gate-a", direction="entry", nonce="n1", event=team.event
        )
        assert outcome.admitted
        workflow.entry_withdraw(entry=entry, user=None)
        badge.credential.refresh_from_db()
        assert badge.credential.state == CredentialState.REVOKED
        refused = credential_scan(
            code=code, gate_code="gate-a", direction="exit", nonce="n2", event=team.event
        )
        assert not refused.admitted


def test_badge_sheet_job_pdf_has_chinese_names_qr_codes_and_no_personal_numbers(
    client, team, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT = tmp_path
    manager = MembershipFactory(delegation=team.delegation)
    athletes = [
        AthleteFactory(
            delegation=team.delegation,
            family_name_zh="欧阳",
            given_name_zh=f"娜娜{i}",
            name_latin=f"OUYANG Nana{i}",
        )
        for i in range(5)
    ]
    for athlete in athletes:
        EntryFactory(team=team, athlete=athlete, status=EntryStatus.APPROVED)
    client.force_login(manager.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registration:badge-sheet-create", args=[team.delegation.pk]))

    job = BadgeSheetJob.objects.get()
    assert response["Location"] == reverse("registration:badge-sheet", args=[job.pk])
    status = client.get(reverse("registration:badge-sheet-status", args=[job.pk])).json()
    assert status["state"] == "done" and status["done"] == status["total"] == 5 and status["percent"] == 100
    download = client.get(status["download"])
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert len(pdf.pages) == 2  # four A6 badges per A4 page
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "欧阳娜娜0" in text.replace(" ", "") and "OUYANG Nana4" in text
    for athlete in athletes:
        assert athlete.document_last4 not in text
        assert athlete.birth_date.isoformat() not in text
    codes = [code for page in pdf.pages for code in qr_codes_on(page)]
    assert sorted(codes) == sorted(credential_code(b.credential) for b in Badge.objects.all())


def test_badge_sheet_of_another_user_is_404(client, team):
    job = BadgeSheetJob.objects.create(
        programme=team.delegation.programme, requested_by=UserFactory(), delegation=team.delegation
    )
    client.force_login(UserFactory())
    assert client.get(reverse("registration:badge-sheet-status", args=[job.pk])).status_code == 404
    assert client.get(reverse("registration:badge-sheet", args=[job.pk])).status_code == 404


def test_progress_page_shows_progress_bar(client, team):
    manager = MembershipFactory(delegation=team.delegation)
    job = BadgeSheetJob.objects.create(
        programme=team.delegation.programme,
        requested_by=manager.user,
        delegation=team.delegation,
        total=450,
        done=90,
    )
    client.force_login(manager.user)

    html = client.get(reverse("registration:badge-sheet", args=[job.pk])).content.decode()

    assert 'value="20"' in html and "90" in html and "450" in html


# --- photos on badges ---------------------------------------------------------------------------


def jpeg(size: tuple[int, int] = (240, 320)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#4f81bd").save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def with_photo(athlete, content: bytes | None = None):
    from django.core.files.base import ContentFile

    athlete.photo.save("photo.jpg", ContentFile(content or jpeg()), save=True)
    return athlete


def photo_consent(athlete, *, given_by="guardian", granted=True):
    from registration.models import ConsentPurpose
    from tests.factories.registration import ConsentFactory

    return ConsentFactory(athlete=athlete, purpose=ConsentPurpose.PHOTOS, given_by=given_by, granted=granted)


def render_sheet(delegation):
    """Issue the badges and render the sheet the way the task does; the PDF and its pages."""
    manager = MembershipFactory(delegation=delegation)
    accreditation.badges_issue(delegation=delegation)
    job = BadgeSheetJob.objects.create(
        programme=delegation.programme, requested_by=manager.user, delegation=delegation
    )
    with translation.override("en"):
        job = accreditation.badge_sheet_render(job_id=job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as file:
        return PdfReader(io.BytesIO(file.read()))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


def test_athlete_badge_prints_the_photo_when_the_photo_consent_is_current(team, media):
    athlete = with_photo(AthleteFactory(delegation=team.delegation))
    photo_consent(athlete)
    EntryFactory(team=team, athlete=athlete, status=EntryStatus.APPROVED)

    page = render_sheet(team.delegation).pages[0]

    assert len(page.images) == 2  # the photo and the QR
    assert (240, 320) in [Image.open(io.BytesIO(image.data)).size for image in page.images]
    assert "No photo" not in page.extract_text()
    assert qr_codes_on(page) == [credential_code(Badge.objects.get().credential)]


@pytest.mark.parametrize(
    "consent",
    ["none", "refused", "withdrawn", "teen-without-own-consent"],
)
def test_no_photo_on_the_badge_without_a_current_photo_consent(team, media, consent):
    from django.utils import timezone

    birth = dt.date(2012, 1, 5) if consent == "teen-without-own-consent" else dt.date(2014, 3, 2)
    athlete = with_photo(AthleteFactory(delegation=team.delegation, birth_date=birth))
    if consent == "refused":
        photo_consent(athlete, granted=False)
    elif consent == "withdrawn":
        given = photo_consent(athlete)
        given.withdrawn_at = timezone.now()
        given.save()
    elif consent == "teen-without-own-consent":
        photo_consent(athlete)  # the guardian's declaration alone: a 15-year-old consents too
    EntryFactory(team=team, athlete=athlete, status=EntryStatus.APPROVED)

    page = render_sheet(team.delegation).pages[0]

    assert len(page.images) == 1
    assert "No photo" in page.extract_text()
    assert qr_codes_on(page) == [credential_code(Badge.objects.get().credential)]


def test_teen_badge_prints_the_photo_with_both_consents(team, media):
    athlete = with_photo(AthleteFactory(delegation=team.delegation, birth_date=dt.date(2012, 1, 5)))
    photo_consent(athlete, given_by="guardian")
    photo_consent(athlete, given_by="athlete")
    EntryFactory(team=team, athlete=athlete, status=EntryStatus.APPROVED)

    assert len(render_sheet(team.delegation).pages[0].images) == 2


def test_athlete_without_a_photo_and_staff_get_the_placeholder(team, media):
    athlete = AthleteFactory(delegation=team.delegation)
    photo_consent(athlete)
    EntryFactory(team=team, athlete=athlete, status=EntryStatus.APPROVED)
    MembershipFactory(delegation=team.delegation, role=MembershipRole.COACH)

    page = render_sheet(team.delegation).pages[0]

    assert len(page.images) == 2  # two QR codes, no photo
    assert page.extract_text().count("No photo") == 2
    assert sorted(qr_codes_on(page)) == sorted(credential_code(b.credential) for b in Badge.objects.all())


@pytest.mark.parametrize("content", [b"\xff\xd8\xff\xe0 not really a jpeg", jpeg()[:400]])
def test_a_corrupt_or_missing_photo_file_does_not_stop_the_sheet(team, media, content):
    broken = with_photo(AthleteFactory(delegation=team.delegation), content)
    gone = with_photo(AthleteFactory(delegation=team.delegation))
    for athlete in (broken, gone):
        photo_consent(athlete)
        EntryFactory(team=team, athlete=athlete, status=EntryStatus.APPROVED)
    (media / gone.photo.name).unlink()

    reader = render_sheet(team.delegation)

    assert BadgeSheetJob.objects.get().state == "done"
    page = reader.pages[0]
    assert len(page.images) == 2 and page.extract_text().count("No photo") == 2
    assert sorted(qr_codes_on(page)) == sorted(credential_code(b.credential) for b in Badge.objects.all())


@pytest.mark.parametrize("athletes", [1, 6])
def test_badge_cards_with_photos_take_the_same_queries_for_one_or_many(
    team, media, athletes, django_assert_num_queries
):
    for _index in range(athletes):
        athlete = with_photo(AthleteFactory(delegation=team.delegation))
        photo_consent(athlete)
        EntryFactory(team=team, athlete=athlete, status=EntryStatus.APPROVED)
    MembershipFactory(delegation=team.delegation, role=MembershipRole.COACH)
    accreditation.badges_issue(delegation=team.delegation)

    # badges (event, credential, delegation, entry, athlete joined) + the athletes' current consents
    with django_assert_num_queries(2):
        badges = list(accreditation_selectors.badges_for_sheet(team.delegation))
        photos = [accreditation_selectors.badge_photo(badge) for badge in badges]

    assert sum(photo is not None for photo in photos) == athletes


def test_every_badge_prints_its_manual_code_under_the_qr(team, media):
    athletes = [AthleteFactory(delegation=team.delegation) for _ in range(2)]
    for athlete in athletes:
        EntryFactory(team=team, athlete=athlete, status=EntryStatus.APPROVED)

    pdf = render_sheet(team.delegation)

    text = "".join(page.extract_text() for page in pdf.pages)
    badges = list(Badge.objects.select_related("credential"))
    assert len(badges) >= 2
    for badge in badges:
        assert len(badge.credential.short_code) == 12
        assert f"Manual code {badge.credential.short_code_display}" in text


def test_a_manager_removed_from_the_delegation_no_longer_reads_their_badge_sheet(client, team, media):
    from registration.services.delegations import membership_remove

    EntryFactory(team=team, status=EntryStatus.APPROVED)
    manager = MembershipFactory(delegation=team.delegation)
    MembershipFactory(delegation=team.delegation)  # the delegation keeps a manager
    accreditation.badges_issue(delegation=team.delegation)
    job = BadgeSheetJob.objects.create(
        programme=team.delegation.programme, requested_by=manager.user, delegation=team.delegation
    )
    accreditation.badge_sheet_render(job_id=job.pk)
    client.force_login(manager.user)
    download = reverse("registration:badge-sheet-download", args=[job.pk])
    assert client.get(download).status_code == 200

    membership_remove(membership=manager)

    for name in (
        "registration:badge-sheet-download",
        "registration:badge-sheet",
        "registration:badge-sheet-status",
    ):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_withdrawing_photo_consent_deletes_the_printed_sheets_that_show_the_photo(
    team, media, django_capture_on_commit_callbacks
):
    from registration.services.consent import consent_withdraw

    athlete = with_photo(AthleteFactory(delegation=team.delegation))
    consent = photo_consent(athlete)
    EntryFactory(team=team, athlete=athlete, status=EntryStatus.APPROVED)
    render_sheet(team.delegation)
    job = BadgeSheetJob.objects.get()
    path = job.file.path
    other = BadgeSheetJob.objects.create(  # another delegation's sheet stays
        programme=team.delegation.programme, requested_by=UserFactory(), delegation=TeamFactory().delegation
    )

    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(consent=consent)

    assert list(BadgeSheetJob.objects.all()) == [other]
    assert not (media / path).exists()
    # A new sheet is made from the roster as it is now: no photo.
    page = render_sheet(team.delegation).pages[0]
    assert (240, 320) not in [Image.open(io.BytesIO(image.data)).size for image in page.images]


def test_the_check_in_export_records_who_read_each_athletes_badge_name(client, team):
    """The organiser's check-in CSV names badge holders (children): each athlete's read is recorded,
    as a roster export is; a coach's badge is not an athlete's."""
    from registration.enums import AthleteAccessKind
    from registration.models import AthleteAccess
    from tests.factories import ProgrammeMembershipFactory, login_two_factor, with_totp
    from ticketing.services.scans import credential_scan

    child = EntryFactory(team=team, status=EntryStatus.APPROVED).athlete
    MembershipFactory(delegation=team.delegation, role=MembershipRole.COACH)
    accreditation.badges_issue(delegation=team.delegation)
    with time_machine.travel(dt.datetime(2027, 5, 1, 9, tzinfo=dt.UTC)):
        for index, badge in enumerate(Badge.objects.all()):
            credential_scan(
                code=credential_code(badge.credential),
                gate_code="gate-a",
                direction="entry",
                nonce=f"b{index}",
                event=team.event,
            )
    organiser = with_totp(ProgrammeMembershipFactory(programme=team.event.programme).user)
    login_two_factor(client, organiser)

    export = client.get(reverse("ticketing:gate-export", args=[team.event.slug]))
    body = b"".join(export.streaming_content).decode()

    assert child.name_latin in body
    reads = AthleteAccess.objects.all()
    assert [(read.athlete_id, read.accessed_by_id, read.kind) for read in reads] == [
        (child.pk, organiser.pk, AthleteAccessKind.EXPORT)
    ]


def test_a_refusal_replacing_a_photo_consent_deletes_the_printed_sheets(
    team, media, django_capture_on_commit_callbacks
):
    """The guardian's link left unticked, or the paperwork form: a refusal closes the consent, as a
    withdrawal does, and the sheets that print the photo go."""
    from registration.models import ConsentPurpose
    from registration.services.consent import consent_record

    athlete = with_photo(AthleteFactory(delegation=team.delegation))
    photo_consent(athlete)
    EntryFactory(team=team, athlete=athlete, status=EntryStatus.APPROVED)
    render_sheet(team.delegation)
    path = BadgeSheetJob.objects.get().file.path

    with django_capture_on_commit_callbacks(execute=True):
        consent_record(
            athlete=athlete, purpose=ConsentPurpose.PHOTOS, given_by="guardian", granted=False, method="paper"
        )

    assert not BadgeSheetJob.objects.exists()
    assert not (media / path).exists()
