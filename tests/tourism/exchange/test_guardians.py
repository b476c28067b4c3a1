"""Guardians: a private link shows their own child's itinerary, roll-calls and handover and nothing
of other children; a child is handed over only to a listed guardian whose PIN checks, once."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tourism.exchange.enums import MarkMethod
from tourism.exchange.errors import HandoverError
from tourism.exchange.models import GuardianLink, Handover
from tourism.exchange.services import guardians, rollcalls

pytestmark = pytest.mark.django_db


def test_link_emailed_with_pin_and_only_hashes_stored(camp, django_capture_on_commit_callbacks):
    guardian = camp.guardians[0]
    with django_capture_on_commit_callbacks(execute=True):
        link, token, pin = guardians.guardian_link_create(guardian=guardian)
    assert mail.outbox[-1].to == [guardian.email]
    assert token in mail.outbox[-1].body and pin in mail.outbox[-1].body
    assert token not in link.token_hash and pin not in link.pin_hash
    assert GuardianLink.objects.count() == 1


def test_guardian_page_shows_own_child_only(client, camp, start):
    rollcall = rollcalls.rollcall_open(segment=camp.transfer, due_at=start)
    rollcalls.rollcall_mark(rollcall=rollcall, athlete=camp.children[0], method=MarkMethod.TICK, nonce="g1")
    rollcalls.rollcall_mark(rollcall=rollcall, athlete=camp.children[1], method=MarkMethod.TICK, nonce="g2")
    _link, token, _pin = guardians.guardian_link_create(guardian=camp.guardians[2])  # the missing child
    page = client.get(reverse("exchange:guardian", kwargs={"token": token}), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert camp.children[2].name_latin in text and camp.transfer.title_en in text
    assert "not marked yet" in text
    for other in camp.children[:2]:
        assert other.name_latin not in text and other.given_name_zh not in text
    assert client.get(reverse("exchange:guardian", kwargs={"token": "x" + token})).status_code == 404


def test_handover_needs_the_guardians_pin_and_happens_once(camp):
    child, guardian = camp.children[0], camp.guardians[0]
    _link, _token, pin = guardians.guardian_link_create(guardian=guardian)
    wrong = "000000" if pin != "000000" else "111111"
    with pytest.raises(HandoverError, match="PIN"):
        guardians.handover_record(delegation=camp.delegation, athlete=child, guardian=guardian, pin=wrong)
    with pytest.raises(HandoverError, match="not listed"):
        guardians.handover_record(
            delegation=camp.delegation, athlete=child, guardian=camp.guardians[1], pin=pin
        )
    assert not Handover.objects.exists()
    handover = guardians.handover_record(
        delegation=camp.delegation, athlete=child, guardian=guardian, pin=pin, user=camp.chaperone.user
    )
    assert (handover.guardian, handover.handed_by) == (guardian, camp.chaperone.user)
    with pytest.raises(HandoverError, match="already"):
        guardians.handover_record(delegation=camp.delegation, athlete=child, guardian=guardian, pin=pin)
    assert re.search(r"\d{6}", pin)


def test_wrong_pins_are_limited_per_child_then_even_the_right_pin_is_refused(camp, caplog):
    child, guardian = camp.children[0], camp.guardians[0]
    _link, _token, pin = guardians.guardian_link_create(guardian=guardian)
    wrong = "000000" if pin != "000000" else "111111"
    for _ in range(guardians.PIN_MISSES):
        with pytest.raises(HandoverError, match="PIN does not match"):
            guardians.handover_record(delegation=camp.delegation, athlete=child, guardian=guardian, pin=wrong)
    with pytest.raises(HandoverError, match="Too many wrong PINs"):  # another person, same child
        guardians.handover_record(
            delegation=camp.delegation, athlete=child, guardian=guardian, pin=pin, user=camp.manager.user
        )
    assert not Handover.objects.exists()
    assert "too many wrong PINs" in caplog.text and pin not in caplog.text
    other_child, other_guardian = camp.children[1], camp.guardians[1]
    _link, _token, other_pin = guardians.guardian_link_create(guardian=other_guardian)
    guardians.handover_record(
        delegation=camp.delegation, athlete=other_child, guardian=other_guardian, pin=other_pin
    )  # the other child's handover is not held up by the person limit of someone else


def test_wrong_pins_are_limited_per_person_across_children(camp):
    user = camp.chaperone.user
    links = [guardians.guardian_link_create(guardian=g) for g in camp.guardians[:2]]
    for (_link, _token, pin), child, guardian in zip(
        links, camp.children[:2], camp.guardians[:2], strict=True
    ):
        wrong = "000000" if pin != "000000" else "111111"
        for _ in range(3):
            with pytest.raises(HandoverError):
                guardians.handover_record(
                    delegation=camp.delegation, athlete=child, guardian=guardian, pin=wrong, user=user
                )
    _link, _token, pin = links[1]
    with pytest.raises(HandoverError, match="Too many wrong PINs"):
        guardians.handover_record(
            delegation=camp.delegation,
            athlete=camp.children[1],
            guardian=camp.guardians[1],
            pin=pin,
            user=user,
        )
    assert not Handover.objects.exists()
