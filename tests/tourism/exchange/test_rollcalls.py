"""Roll-calls at transfers: ticks (idempotent uploads from an offline phone), badges scanned with the
gate's signed codes, an alert to the lead chaperone and the organisers when someone is missing, the
alert cleared when the last child is found, and marks removed with the child's data by retention."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from registration.services.retention import retention_run
from tests.factories.registration import AthleteFactory
from tourism.exchange.enums import MarkMethod
from tourism.exchange.errors import RollCallError
from tourism.exchange.models import RollCall, RollCallMark
from tourism.exchange.selectors import alerts_for_user, rollcall_status
from tourism.exchange.services import rollcalls

pytestmark = pytest.mark.django_db


@pytest.fixture
def rollcall(camp, start):
    return rollcalls.rollcall_open(segment=camp.transfer, due_at=start, user=camp.chaperone.user)


def _tick(rollcall, athlete, nonce):
    return {"athlete": athlete.pk, "nonce": nonce, "at": "2027-05-03T00:55:00Z"}


@time_machine.travel(dt.datetime(2027, 5, 3, 1, 10, tzinfo=dt.UTC), tick=False)
def test_offline_ticks_upload_twice_change_nothing(camp, rollcall):
    ticks = [_tick(rollcall, child, f"n{i}") for i, child in enumerate(camp.children[:2])]
    first = rollcalls.rollcall_upload(rollcall=rollcall, ticks=ticks, user=camp.chaperone.user)
    again = rollcalls.rollcall_upload(rollcall=rollcall, ticks=ticks, user=camp.chaperone.user)
    assert [r["ok"] for r in first] == [True, True] and [r["duplicate"] for r in again] == [True, True]
    assert RollCallMark.objects.count() == 2
    mark = RollCallMark.objects.get(nonce="n0")
    assert mark.marked_at == dt.datetime(2027, 5, 3, 0, 55, tzinfo=dt.UTC) and mark.method == MarkMethod.TICK
    assert [a.pk for a in rollcall_status(rollcall).missing] == [camp.children[2].pk]


def test_a_child_not_on_the_transfer_is_refused(camp, rollcall):
    stranger = AthleteFactory()
    results = rollcalls.rollcall_upload(rollcall=rollcall, ticks=[_tick(rollcall, stranger, "x")])
    assert results[0]["ok"] is False and not RollCallMark.objects.exists()
    with pytest.raises(RollCallError):
        rollcalls.rollcall_mark(rollcall=rollcall, athlete=stranger, method=MarkMethod.TICK, nonce="y")


def test_missing_child_alerts_lead_and_organiser_and_scan_clears(
    camp, rollcall, django_capture_on_commit_callbacks
):
    for i, child in enumerate(camp.children[:2]):
        rollcalls.rollcall_mark(rollcall=rollcall, athlete=child, method=MarkMethod.TICK, nonce=f"t{i}")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert rollcalls.rollcalls_alert_due(now=rollcall.due_at + dt.timedelta(minutes=1)) == 1
        assert rollcalls.rollcalls_alert_due(now=rollcall.due_at + dt.timedelta(minutes=2)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([camp.chaperone.user.email, camp.organiser.email])
    assert "1 child is missing" in mail.outbox[0].body or "1 名孩子未到" in mail.outbox[0].body
    assert camp.children[2].name_latin not in mail.outbox[0].body  # names stay on the page
    assert list(alerts_for_user(camp.organiser)) == [rollcall]
    assert list(alerts_for_user(camp.chaperone.user)) == [rollcall]
    outcome = rollcalls.rollcall_scan(rollcall=rollcall, code=camp.code(camp.children[2]), nonce="scan-1")
    assert outcome.athlete == camp.children[2] and not outcome.duplicate
    rollcall.refresh_from_db()
    assert rollcall.alert_cleared_at is not None and list(alerts_for_user(camp.organiser)) == []


def test_forged_or_foreign_codes_are_refused(camp, rollcall):
    code = camp.code(camp.children[0])
    forged = code[:-2] + ("AA" if code[-2:] != "AA" else "BB")
    with pytest.raises(RollCallError):
        rollcalls.rollcall_scan(rollcall=rollcall, code=forged, nonce="f1")
    with pytest.raises(RollCallError):
        rollcalls.rollcall_scan(rollcall=rollcall, code="not a code", nonce="f2")
    assert not RollCallMark.objects.exists()


def test_closing_a_complete_count_closes_it_without_alert(camp, rollcall):
    for i, child in enumerate(camp.children):
        rollcalls.rollcall_mark(rollcall=rollcall, athlete=child, method=MarkMethod.TICK, nonce=f"c{i}")
    closed = rollcalls.rollcall_close(rollcall=rollcall)
    assert closed.closed_at is not None and closed.alert_raised_at is None
    with pytest.raises(RollCallError, match="closed"):
        rollcalls.rollcall_mark(
            rollcall=rollcall, athlete=camp.children[0], method=MarkMethod.TICK, nonce="late"
        )


def test_undo_removes_the_mark(camp, rollcall):
    rollcalls.rollcall_scan(rollcall=rollcall, code=camp.code(camp.children[0]), nonce="u1")
    assert rollcalls.rollcall_unmark(rollcall=rollcall, nonce="u1") is True
    assert rollcalls.rollcall_unmark(rollcall=rollcall, nonce="u1") is False
    assert not RollCallMark.objects.exists()


def test_retention_removes_the_childs_roll_call_marks(camp, rollcall):
    child, other = camp.children[0], camp.children[1]
    rollcalls.rollcall_mark(rollcall=rollcall, athlete=child, method=MarkMethod.TICK, nonce="r1")
    rollcalls.rollcall_mark(rollcall=rollcall, athlete=other, method=MarkMethod.TICK, nonce="r2")
    camp.transfer.athletes.add(child, other)
    type(child).objects.filter(pk=child.pk).update(retain_until=dt.date(2020, 1, 1))
    report = retention_run()
    assert report.athletes_anonymised == 1
    assert list(RollCallMark.objects.values_list("athlete_id", flat=True)) == [other.pk]
    assert list(camp.transfer.athletes.all()) == [other]
    assert RollCall.objects.filter(pk=rollcall.pk).exists()
