"""Journey: a team manager registers a delegation and a team, imports 20 athletes from a CSV with one
bad row (sees row, column and reason), re-uploads the corrected file, enters and submits them; the
organiser logs in with two-factor and bulk-approves; the manager prints the badges and downloads the PDF.

Consent and safety paperwork are pre-filled with factories (they have their own page tests); every
other step goes through the real pages.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from pypdf import PdfReader

from registration.enums import EntryStatus
from registration.models import Athlete, Delegation, Entry, Team
from tests.factories import (
    CityFactory,
    EventFactory,
    ProgrammeMembershipFactory,
    UserFactory,
    totp_code,
    verified,
    with_totp,
)
from tests.factories.events import SHANGHAI
from tests.factories.registration import complete_paperwork
from tests.journeys.actions import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HEADER = (
    "姓 / Family name (Chinese),名 / Given name (Chinese),拼音或外文姓名 / Name in Latin letters,性别 / Sex,"
    "出生日期 / Birth date (YYYY-MM-DD),证件类型 / Document type,证件号码 / Document number,"
    "紧急联系人 / Emergency contact,紧急联系人电话 / Emergency contact phone,监护人姓名 / Guardian's name,"
    "与运动员关系 / Guardian's relationship,监护人电话 / Guardian's phone,监护人邮箱 / Guardian's email"
)
GIVEN = "明华军伟芳娜静丽强磊洋艳勇杰娟涛超秀霞平"


def roster_csv(*, bad_row: bool) -> bytes:
    lines = [HEADER]
    for index in range(20):
        birth = "2015-02-30" if bad_row and index == 6 else f"2015-{index % 12 + 1:02d}-1{index % 9}"
        lines.append(
            f"欧阳,{GIVEN[index]}{GIVEN[-index - 1]},OUYANG Test{index},male,{birth},demo,DEMO9{index:06d},"
            f"欧阳母,1380000{index:04d},欧阳母,mother,1380000{index:04d},"
        )
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def submit(page, form_selector="main form"):
    page.locator(form_selector).last.locator("button[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.fixture
def season():
    city = CityFactory(slug="shanghai", name_zh="上海", name_en="Shanghai")
    event = EventFactory(
        host_city=city,
        discipline="fencing",
        name_zh="击剑邀请赛 U12 男子花剑",
        name_en="Fencing Invitational U12 Men's Foil",
        start_date=dt.date(2027, 4, 10),
        end_date=dt.date(2027, 4, 10),
    )
    manager = verified(UserFactory(email="coach.li@example.com"))
    organiser = with_totp(verified(ProgrammeMembershipFactory(programme=event.programme).user))
    return {"event": event, "city": city, "manager": manager, "organiser": organiser}


@time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=SHANGHAI), tick=True)
def test_manager_registers_imports_submits_organiser_approves_manager_prints_badges(
    page, live_server, season
):
    event, url = season["event"], live_server.url
    log_in(page, live_server, season["manager"].email)

    page.goto(f"{url}/delegations/new/")
    page.select_option("#id_programme", str(event.programme_id))
    page.select_option("#id_city", str(season["city"].pk))
    page.select_option("#id_kind", "club")
    page.fill("#id_name_zh", "上海青少年击剑俱乐部")
    submit(page)
    delegation = Delegation.objects.get(name_zh="上海青少年击剑俱乐部")
    page.goto(f"{url}/delegations/{delegation.pk}/teams/new/")
    page.select_option("#id_event", str(event.pk))
    page.fill("#id_name_zh", "花剑一队")
    submit(page)
    team = Team.objects.get(delegation=delegation)

    # Import: one bad row is reported with its row, column and reason; nothing is saved.
    page.goto(f"{url}/delegations/{delegation.pk}/athletes/import/")
    page.set_input_files(
        "input[name=file]", {"name": "roster.csv", "mimeType": "text/csv", "buffer": roster_csv(bad_row=True)}
    )
    submit(page, "form[enctype]")
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 1
    error_text = errors.first.inner_text()
    assert "8" in error_text and "出生日期" in error_text
    assert Athlete.objects.count() == 0
    page.set_input_files(
        "input[name=file]",
        {"name": "roster.csv", "mimeType": "text/csv", "buffer": roster_csv(bad_row=False)},
    )
    submit(page, "form[enctype]")
    assert page.locator("#import-errors").count() == 0
    page.locator("button[name=confirm]").click()
    page.wait_for_url("**/athletes/")
    athletes = list(Athlete.objects.filter(delegation=delegation).order_by("pk"))
    assert len(athletes) == 20
    for athlete in athletes:
        complete_paperwork(athlete, health_date=dt.date(2027, 2, 1))

    for athlete in athletes:
        page.goto(f"{url}/teams/{team.pk}/")
        page.select_option("#id_athlete", str(athlete.pk))
        page.locator(f"form[action='/teams/{team.pk}/entries/new/'] button[type=submit]").click()
        page.wait_for_load_state()
    assert Entry.objects.filter(team=team, status=EntryStatus.DRAFT).count() == 20

    page.goto(f"{url}/teams/{team.pk}/checklist/")
    assert page.locator("#checklist tbody tr").count() == 20
    page.locator(f"form[action='/teams/{team.pk}/submit/'] button").click()
    page.wait_for_load_state()
    assert Entry.objects.filter(team=team, status=EntryStatus.SUBMITTED).count() == 20

    # The organiser: log in through allauth and the two-factor step, bulk-approve with confirmation.
    log_in(page, live_server, season["organiser"].email)
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("input[name=code]", totp_code())
    page.locator("form").filter(has=page.locator("input[name=code]")).locator(
        "button[type=submit]"
    ).first.click()
    page.wait_for_load_state()
    page.goto(f"{url}/organiser/registration/{event.programme_id}/review/")
    boxes = page.locator("#review-queue input[name=entries]")
    assert boxes.count() == 20
    for index in range(20):
        boxes.nth(index).check()
    page.locator(
        f"form[action='/organiser/registration/{event.programme_id}/review/approve/'] button"
    ).click()
    page.wait_for_load_state()
    assert page.locator("input[name=confirmed]").count() == 1
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert Entry.objects.filter(team=team, status=EntryStatus.APPROVED).count() == 20

    # The manager prints the badges: progress page, then the PDF download.
    log_in(page, live_server, season["manager"].email)
    page.goto(f"{url}/delegations/{delegation.pk}/badges/")
    page.locator("#print-badges").click()
    page.wait_for_url("**/badge-sheets/*/")
    link = page.locator("#badge-download a")
    link.wait_for(state="visible")
    with page.expect_download() as download_info:
        link.click()
    pdf = PdfReader(download_info.value.path())
    assert len(pdf.pages) == 5  # 20 badges, four A6 badges per A4 page
    text = "".join(p.extract_text() for p in pdf.pages).replace(" ", "")
    assert "欧阳明平" in text and "DEMO9" not in text


@time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=SHANGHAI), tick=True)
def test_manager_adds_an_athlete_with_one_guardian_on_a_phone(page, live_server, season):
    """The second guardian is optional: left untouched, the form must not see it as half filled in."""
    from tests.factories.registration import DelegationFactory, MembershipFactory

    delegation = DelegationFactory(programme=season["event"].programme, city=season["city"])
    MembershipFactory(delegation=delegation, user=season["manager"])
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, season["manager"].email)

    page.goto(f"{live_server.url}/delegations/{delegation.pk}/athletes/new/")
    assert page.locator("#id_guardian2_relationship").input_value() == ""
    page.fill("#id_family_name_zh", "王")
    page.fill("#id_given_name_zh", "小雨")
    page.fill("#id_name_latin", "WANG Xiaoyu")
    page.select_option("#id_sex", "female")
    page.fill("#id_birth_date", "2015-06-01")
    page.select_option("#id_document_type", "passport")
    page.fill("#id_document_number", "E12345678")
    page.fill("#id_emergency_contact_name", "王妈妈")
    page.fill("#id_emergency_contact_phone", "13800001111")
    page.fill("#id_guardian_name", "王妈妈")
    page.select_option("#id_guardian_relationship", "mother")
    page.fill("#id_guardian_phone", "13800001111")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.screenshot(path="test-artifacts/manager-adds-athlete-one-guardian-phone.png", full_page=True)

    athlete = Athlete.objects.get(delegation=delegation)
    assert [guardian.name for guardian in athlete.guardians.all()] == ["王妈妈"]
    assert page.url.endswith(athlete.get_absolute_url())
