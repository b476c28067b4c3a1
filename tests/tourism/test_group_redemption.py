"""A delegation's accreditation redeems as a group stub: the head count is checked against its members
accredited for that city and day (item 6 of the stub economy)."""

from __future__ import annotations

import pytest
import time_machine

from registration.models import Badge
from tests.factories.checkin import BadgeCredentialFactory
from tests.factories.registration import EntryFactory, TeamFactory
from tests.factories.tourism import MATCH_DAY_AFTERNOON, counter_world
from ticketing.signing import credential_code
from tourism.errors import RedemptionError
from tourism.services.redemptions import redemption_consume, redemption_prepare

pytestmark = pytest.mark.django_db


def _badges(world, count: int) -> list[Badge]:
    team = TeamFactory(event=world.event, delegation__programme=world.programme)
    badges = []
    for _ in range(count):
        entry = EntryFactory(team=team, event=world.event, athlete__delegation=team.delegation)
        badges.append(
            Badge.objects.create(
                credential=BadgeCredentialFactory(event=world.event),
                delegation=team.delegation,
                event=world.event,
                role="athlete",
                entry=entry,
                holder_label="Athlete",
            )
        )
    return badges


@time_machine.travel(MATCH_DAY_AFTERNOON, tick=False)
def test_group_head_count_is_capped_by_members_accredited_here_today():
    world = counter_world(accreditation_roles=["athlete"], for_ticket_holders=False, per_stub_limit=None)
    first, second, _third = _badges(world, 3)

    def consume(badge, heads, key):
        return redemption_consume(
            code=credential_code(badge.credential),
            store=world.store,
            staff=world.staff,
            offer_id=world.offer.pk,
            idempotency_key=key,
            bill_fen=30000,
            head_count=heads,
        )

    prepared = redemption_prepare(
        code=credential_code(first.credential), store=world.store, staff=world.staff
    )
    with pytest.raises(RedemptionError) as too_many:
        consume(first, 4, "a")
    redemption, _ = consume(first, 3, "b")
    with pytest.raises(RedemptionError) as none_left:
        consume(second, 1, "c")  # another badge of the same delegation: all three already served today

    assert prepared.checks[0].max_head_count == 3 and prepared.holder == first.delegation.name
    assert too_many.value.code == "head_count"
    assert redemption.head_count == 3 and redemption.delegation_id == first.delegation_id
    assert none_left.value.code == "head_count"


@time_machine.travel(MATCH_DAY_AFTERNOON, tick=False)
def test_a_ticket_only_offer_refuses_an_accreditation():
    world = counter_world()
    (badge,) = _badges(world, 1)
    with pytest.raises(RedemptionError) as refused:
        redemption_consume(
            code=credential_code(badge.credential),
            store=world.store,
            staff=world.staff,
            offer_id=world.offer.pk,
            idempotency_key="k",
            bill_fen=100,
            head_count=1,
        )
    assert refused.value.code == "not_for_accreditation"
