"""The stub-economy slice of the demo season: approved partner merchants in four host cities with
stores and offers of every kind, counter accounts, and two match crowds with their stubs, gate scans
and a weekend of redemptions (and a few reversals), so the city report and the dashboards have
something to show.

Idempotent: merchants, stores and offers are keyed on slugs and names; a crowd is rebuilt only when
its session moved (the season is placed around the day it is loaded), otherwise left as it is.
Redemptions go through the counter service with the time they happened, so every cap holds.
Crowd holders are synthetic: the seed writes the area code a verified ID would have given.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
from django.utils import timezone

from events.demo import DEMO_PROGRAMME
from events.models import City, Programme, Session
from ticketing.enums import (
    CredentialKind,
    CredentialState,
    OrderState,
    ScanDirection,
    ScanResult,
    TicketKind,
    TicketState,
)
from ticketing.models import CheckInState, Credential, Order, OrderLine, Scan, Ticket
from ticketing.services.places import counters_recount
from ticketing.signing import code_hash
from tourism.enums import (
    MerchantCategory,
    MerchantRole,
    MerchantStatus,
    OfferActivation,
    OfferKind,
    OfferOrigin,
    OfferStatus,
    OfferValidity,
)
from tourism.errors import TourismError
from tourism.models import (
    Merchant,
    MerchantMembership,
    MerchantTerms,
    Offer,
    Redemption,
    Reversal,
    Store,
    Stub,
)
from tourism.services.redemptions import redemption_consume, redemption_reverse
from tourism.services.stubs import stub_rotating_code, stubs_issue_for_tickets, stubs_refresh_activation
from tourism.validators import CREDIT_CODE_CHARS, credit_code_check_char

DEMO_STAFF_EMAIL = "merchant@corridor.example"
DEMO_OWNER_EMAIL = "merchant-owner@corridor.example"
DEMO_STAFF_PASSWORD = "corridor-demo-2027"  # noqa: S105 - printed for the local demo only
TERMS_VERSION = "2026-1"
DAY_HOURS = {str(day): [["09:00", "22:00"]] for day in range(7)}
LATE_HOURS = {str(day): [["10:00", "24:00"]] for day in range(7)}

# slug, city, zh, en, category, (store zh, store en, address zh, address en, lat, lng), hours
MERCHANTS = [
    (
        "changfeng-ocean-world",
        "shanghai",
        "长风海洋世界",
        "Changfeng Ocean World",
        MerchantCategory.SCENIC_SPOT,
        (
            "长风公园店",
            "Changfeng Park",
            "上海市普陀区大渡河路451号",
            "451 Daduhe Road, Putuo",
            "31.225300",
            "121.395200",
        ),
        DAY_HOURS,
    ),
    (
        "caoyang-noodle-house",
        "shanghai",
        "曹杨老面馆",
        "Caoyang Noodle House",
        MerchantCategory.RESTAURANT,
        (
            "曹杨路店",
            "Caoyang Road",
            "上海市普陀区曹杨路1040号",
            "1040 Caoyang Road, Putuo",
            "31.240100",
            "121.411800",
        ),
        LATE_HOURS,
    ),
    (
        "suzhou-creek-hotel",
        "shanghai",
        "苏州河畔酒店",
        "Suzhou Creek Riverside Hotel",
        MerchantCategory.HOTEL,
        (
            "长寿路店",
            "Changshou Road",
            "上海市普陀区长寿路155号",
            "155 Changshou Road, Putuo",
            "31.241900",
            "121.439500",
        ),
        {},
    ),
    (
        "m50-design-shop",
        "shanghai",
        "M50创意礼品店",
        "M50 Design Shop",
        MerchantCategory.SHOP,
        (
            "莫干山路店",
            "Moganshan Road",
            "上海市普陀区莫干山路50号",
            "50 Moganshan Road, Putuo",
            "31.249700",
            "121.448700",
        ),
        DAY_HOURS,
    ),
    (
        "putuo-heritage-workshop",
        "shanghai",
        "普陀非遗手作工坊",
        "Putuo Heritage Craft Workshop",
        MerchantCategory.EXPERIENCE,
        (
            "铜川路工坊",
            "Tongchuan Road studio",
            "上海市普陀区铜川路800号",
            "800 Tongchuan Road, Putuo",
            "31.244800",
            "121.408900",
        ),
        DAY_HOURS,
    ),
    (
        "haohe-scenic-area",
        "nantong",
        "濠河风景区",
        "Haohe Scenic Area",
        MerchantCategory.SCENIC_SPOT,
        (
            "濠河游船码头",
            "Haohe boat pier",
            "江苏省南通市崇川区濠东路",
            "Haodong Road, Chongchuan, Nantong",
            "32.007700",
            "120.861900",
        ),
        LATE_HOURS,
    ),
    (
        "nantong-blue-calico",
        "nantong",
        "南通蓝印花布馆",
        "Nantong Blue Calico Museum Shop",
        MerchantCategory.SHOP,
        (
            "文峰路店",
            "Wenfeng Road",
            "江苏省南通市崇川区文峰路",
            "Wenfeng Road, Chongchuan, Nantong",
            "32.003100",
            "120.871400",
        ),
        DAY_HOURS,
    ),
    (
        "jianghai-fishing-village",
        "nantong",
        "江海渔村酒楼",
        "Jianghai Fishing Village",
        MerchantCategory.RESTAURANT,
        (
            "世纪大道店",
            "Century Avenue",
            "江苏省南通市崇川区世纪大道18号",
            "18 Century Avenue, Nantong",
            "32.012600",
            "120.893300",
        ),
        LATE_HOURS,
    ),
    (
        "haohe-boutique-hotel",
        "nantong",
        "濠河精品酒店",
        "Haohe Boutique Hotel",
        MerchantCategory.HOTEL,
        (
            "环西路店",
            "Huanxi Road",
            "江苏省南通市崇川区环西路9号",
            "9 Huanxi Road, Nantong",
            "32.010800",
            "120.858400",
        ),
        {},
    ),
    (
        "jinshan-temple",
        "zhenjiang",
        "金山寺景区",
        "Jinshan Temple Scenic Area",
        MerchantCategory.SCENIC_SPOT,
        (
            "金山景区",
            "Jinshan gate",
            "江苏省镇江市润州区金山路62号",
            "62 Jinshan Road, Zhenjiang",
            "32.220600",
            "119.419900",
        ),
        DAY_HOURS,
    ),
    (
        "zhenjiang-guo-gai-mian",
        "zhenjiang",
        "宴春酒楼锅盖面",
        "Yanchun Pot-Lid Noodles",
        MerchantCategory.RESTAURANT,
        (
            "人民街店",
            "Renmin Street",
            "江苏省镇江市京口区人民街17号",
            "17 Renmin Street, Zhenjiang",
            "32.205100",
            "119.446200",
        ),
        LATE_HOURS,
    ),
    (
        "taizhou-old-street",
        "taizhou",
        "泰州老街茶社",
        "Taizhou Old Street Teahouse",
        MerchantCategory.RESTAURANT,
        (
            "老街店",
            "Old Street",
            "江苏省泰州市海陵区老街",
            "Old Street, Hailing, Taizhou",
            "32.478900",
            "119.921600",
        ),
        DAY_HOURS,
    ),
]

# merchant slug, zh, en, fields. Offers with a subsidy are approved by the seed as an organiser would.
OFFERS = [
    (
        "changfeng-ocean-world",
        "凭票根门票七折",
        "30% off entry with a stub",
        {
            "kind": OfferKind.PERCENTAGE,
            "percent_off": 30,
            "days_until": 10,
            "party_size": 4,
            "subsidy_percent": 50,
            "subsidy_budget_fen": 500_000,
        },
    ),
    (
        "caoyang-noodle-house",
        "观赛家庭套餐立减10元",
        "10 yuan off a family meal",
        {
            "kind": OfferKind.FIXED,
            "amount_off_fen": 1000,
            "min_bill_fen": 5000,
            "days_until": 3,
            "party_size": 4,
            "activation": OfferActivation.ON_SCAN_IN,
        },
    ),
    (
        "suzhou-creek-hotel",
        "赛前夜至赛后一晚房费八五折",
        "15% off a room the night before to the night after",
        {
            "kind": OfferKind.PERCENTAGE,
            "percent_off": 15,
            "max_discount_fen": 20_000,
            "days_from": -1,
            "days_until": 1,
            "per_person_store_limit": 1,
            "party_size": 2,
        },
    ),
    (
        "m50-design-shop",
        "赠帆布袋一只",
        "A free canvas tote bag",
        {"kind": OfferKind.GIFT, "value_fen": 3000, "days_until": 10, "total_stock": 200},
    ),
    (
        "putuo-heritage-workshop",
        "非遗手作体验免费",
        "Free heritage craft session",
        {
            "kind": OfferKind.FREE_ENTRY,
            "value_fen": 5000,
            "days_until": 10,
            "party_size": 2,
            "accreditation_roles": ["athlete", "coach", "chaperone"],
            "subsidy_percent": 100,
            "subsidy_budget_fen": 300_000,
        },
    ),
    (
        "haohe-scenic-area",
        "外地球迷濠河游船免费",
        "Free Haohe boat ride for visiting fans",
        {
            "kind": OfferKind.FREE_ENTRY,
            "value_fen": 8000,
            "days_until": 2,
            "origin": OfferOrigin.OUT_OF_TOWN,
            "activation": OfferActivation.ON_SCAN_IN,
            "subsidy_percent": 100,
            "subsidy_budget_fen": 400_000,
        },
    ),
    (
        "nantong-blue-calico",
        "蓝印花布全场九折",
        "10% off everything",
        {"kind": OfferKind.PERCENTAGE, "percent_off": 10, "days_until": 2},
    ),
    (
        "jianghai-fishing-village",
        "满100元减20元",
        "20 yuan off a bill of 100",
        {
            "kind": OfferKind.FIXED,
            "amount_off_fen": 2000,
            "min_bill_fen": 10_000,
            "days_until": 2,
            "party_size": 4,
            "subsidy_percent": 50,
            "subsidy_budget_fen": 200_000,
        },
    ),
    (
        "haohe-boutique-hotel",
        "外地球迷住宿八折",
        "20% off a room for visiting fans",
        {
            "kind": OfferKind.PERCENTAGE,
            "percent_off": 20,
            "days_until": 1,
            "origin": OfferOrigin.OUT_OF_TOWN,
            "party_size": 2,
        },
    ),
    (
        "jinshan-temple",
        "南京球迷金山寺门票免费",
        "Free Jinshan Temple entry for Nanjing fans",
        {
            "kind": OfferKind.FREE_ENTRY,
            "value_fen": 9000,
            "days_until": 2,
            "origin": OfferOrigin.LISTED,
            "origin_area_prefixes": ["3201"],
        },
    ),
    (
        "zhenjiang-guo-gai-mian",
        "锅盖面八八折（11点至21点）",
        "12% off noodles, 11:00 to 21:00",
        {
            "kind": OfferKind.PERCENTAGE,
            "percent_off": 12,
            "days_until": 2,
            "time_from": dt.time(11, 0),
            "time_until": dt.time(21, 0),
        },
    ),
    (
        "taizhou-old-street",
        "常州球迷周末赠早茶点心",
        "Weekend morning-tea gift for Changzhou fans",
        {
            "kind": OfferKind.GIFT,
            "value_fen": 2000,
            "validity": OfferValidity.RELATIVE,
            "days_until": 2,
            "origin": OfferOrigin.LISTED,
            "origin_area_prefixes": ["3204"],
            "weekdays": [5, 6],
        },
    ),
]

# A crowd: event slug, session English name, tickets, origin area codes with weights ("" unknown),
# and the merchants its stubs visit after the match.
CROWDS = [
    (
        "jiangsu-league-nantong",
        "Nantong v Suzhou",
        96,
        [
            ("320508", 36),
            ("320602", 28),
            ("310107", 8),
            ("320106", 6),
            ("320211", 6),
            ("340104", 4),
            ("", 12),
        ],
        ["haohe-scenic-area", "nantong-blue-calico", "jianghai-fishing-village", "haohe-boutique-hotel"],
    ),
    (
        "table-tennis-carnival",
        "Knockout",  # Saturday: the crowd spends its stubs over the weekend
        60,
        [("310107", 30), ("320506", 10), ("320104", 6), ("330106", 6), ("", 8)],
        ["changfeng-ocean-world", "caoyang-noodle-house", "m50-design-shop", "suzhou-creek-hotel"],
    ),
]
REVERSAL_REASONS = [
    "扫错了票根 Wrong stub scanned",
    "账单金额录错 Bill entered wrong",
    "顾客取消 Guest cancelled",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


def credit_code_for(seed: str) -> str:
    """A valid-looking unified social credit code for a demo merchant (check character computed)."""
    digest = hashlib.sha256(seed.encode()).digest()
    body = (
        "91"
        + "".join(str(b % 10) for b in digest[:6])
        + "".join(CREDIT_CODE_CHARS[b % 31] for b in digest[6:15])
    )
    return body + credit_code_check_char(body)


def _user(email: str, name: str, *, password: str | None = None):
    user_model = get_user_model()
    user = user_model.objects.filter(email=email).first()
    if user is None:
        user = user_model.objects.create_user(email=email, password=password, display_name=name)
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _merchants(programme: Programme, terms: MerchantTerms, owner) -> dict[str, Merchant]:
    cities = {city.slug: city for city in City.objects.all()}
    merchants = {}
    now = timezone.now()
    for slug, city, zh, en, category, store, hours in MERCHANTS:
        merchant, _ = Merchant.objects.update_or_create(
            slug=slug,
            defaults={
                "programme": programme,
                "city": cities[city],
                "name_zh": zh,
                "name_en": en,
                "category": category,
                "credit_code": credit_code_for(slug),
                "status": MerchantStatus.APPROVED,
                "terms": terms,
                "terms_accepted_at": now,
                "applied_at": now - dt.timedelta(days=30),
                "decided_at": now - dt.timedelta(days=28),
            },
        )
        store_zh, store_en, address_zh, address_en, lat, lng = store
        Store.objects.update_or_create(
            merchant=merchant,
            name_en=store_en,
            defaults={
                "name_zh": store_zh,
                "city": cities[city],
                "address_zh": address_zh,
                "address_en": address_en,
                "latitude": Decimal(lat),
                "longitude": Decimal(lng),
                "opening_hours": hours,
            },
        )
        merchants[slug] = merchant
        counter = _user(f"counter-{slug}@corridor.example", f"{zh} 收银台")
        MerchantMembership.objects.get_or_create(
            user=counter, merchant=merchant, defaults={"role": MerchantRole.STAFF, "accepted_at": now}
        )
    MerchantMembership.objects.get_or_create(
        user=owner,
        merchant=merchants["changfeng-ocean-world"],
        defaults={"role": MerchantRole.OWNER, "accepted_at": now},
    )
    return merchants


def _offers(programme: Programme, merchants: dict[str, Merchant]) -> dict[str, Offer]:
    offers = {}
    for slug, zh, en, fields in OFFERS:
        offer, _ = Offer.objects.update_or_create(
            merchant=merchants[slug],
            name_en=en,
            defaults={"programme": programme, "name_zh": zh, "status": OfferStatus.LIVE, **fields},
        )
        offers[slug] = offer
    return offers


def _holder(rng: random.Random) -> str:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return name[0] + "*" * (len(name) - 2) + name[-1] if len(name) > 2 else name[0] + "*"


def _crowd_tickets(session: Session, count: int, origins, rng: random.Random) -> list[Ticket]:
    """`count` paid real-name-style tickets in orders of up to four, by demo fans, built with the ORM
    (the purchase itself is ticketing's; here only the rows it leaves behind matter)."""
    ticket_type = session.ticket_types.filter(kind=TicketKind.ADULT).first() or session.ticket_types.first()
    codes, weights = zip(*origins, strict=True)
    tickets = []
    now = timezone.now()
    number = 0
    while number < count:
        fan = _user(f"fan-{session.pk}-{number // 4:02d}@corridor.example", f"球迷 {number // 4 + 1}")
        size = min(count - number, rng.choice([1, 2, 2, 3, 4]))
        order = Order.objects.create(
            user=fan,
            programme=session.event.programme,
            state=OrderState.PAID,
            provider="demo",
            total_fen=ticket_type.price_fen * size,
            paid_at=now,
            note="demo crowd",
        )
        line = OrderLine.objects.create(
            order=order,
            ticket_type=ticket_type,
            description_zh=ticket_type.name_zh,
            description_en=ticket_type.name_en,
            quantity=size,
            unit_price_fen=ticket_type.price_fen,
        )
        holders = [_holder(rng) for _ in range(size)]
        credentials = Credential.objects.bulk_create(
            Credential(
                kind=CredentialKind.TICKET,
                event_id=session.event_id,
                session=session,
                valid_from=session.starts_at - dt.timedelta(hours=3),
                valid_until=session.ends_at + dt.timedelta(hours=1),
                holder_label=holder,
                state=CredentialState.ACTIVE,
            )
            for holder in holders
        )
        area = rng.choices(codes, weights)[0]  # a group travels together
        tickets += Ticket.objects.bulk_create(
            Ticket(
                order=order,
                line=line,
                ticket_type=ticket_type,
                session=session,
                price_fen=ticket_type.price_fen,
                state=TicketState.VALID,
                holder_name=holder,
                holder_area_code=area,
                credential=credential,
            )
            for holder, credential in zip(holders, credentials, strict=True)
        )
        number += size
    return tickets


def _scan_in(session: Session, tickets: list[Ticket], rng: random.Random) -> None:
    """Most of the crowd came through the gate in the hour before kick-off."""
    gate = session.venue.resources.filter(kind="gate").values_list("code", flat=True).first() or "gate-a"
    scans = []
    for ticket in tickets:
        if rng.random() < 0.88:
            at = session.starts_at - dt.timedelta(minutes=rng.randint(5, 75))
            scans.append(
                Scan(
                    event_id=session.event_id,
                    credential_id=ticket.credential_id,
                    code_hash=code_hash(str(ticket.credential_id)),
                    direction=ScanDirection.ENTRY,
                    result=ScanResult.ADMITTED,
                    gate_code=gate,
                    scanned_at=at,
                    nonce=f"demo-{ticket.credential_id}",
                    single_entry=not ticket.ticket_type.allows_reentry,
                )
            )
    Scan.objects.bulk_create(scans)
    CheckInState.objects.bulk_create(
        CheckInState(
            credential_id=s.credential_id, event_id=s.event_id, inside=False, entries=1, last_entry=s
        )
        for s in scans
    )


def _redeem(session: Session, stubs: list[Stub], merchants, offers, rng: random.Random) -> tuple[int, int]:
    """A weekend of redemptions: the evening after a Saturday match and the Sunday after it (days
    past the weekend are left out, so a match placed on a weekday would still redeem at weekends only)."""
    redeemed = reversed_count = 0
    match_day = timezone.localtime(session.starts_at).date()
    days = [d for d in (0, 1, 1) if (match_day + dt.timedelta(days=d)).weekday() >= 5] or [0]
    for stub in stubs:
        for slug in merchants:
            if rng.random() > 0.35:
                continue
            offer = offers[slug]
            store = offer.merchant.stores.first()
            staff = offer.merchant.memberships.filter(role=MerchantRole.STAFF).first().user
            day = match_day + dt.timedelta(days=rng.choice(days))
            hour = rng.randint(22, 23) if day == match_day else rng.randint(10, 20)
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59))))
            if at > timezone.now():
                continue
            bill = rng.choice([4800, 8800, 12800, 16800, 26800, 46800])
            heads = rng.randint(1, max(1, min(offer.party_size, 3)))
            try:
                redemption, _ = redemption_consume(
                    code=stub_rotating_code(stub=stub, now=at).code,
                    store=store,
                    staff=staff,
                    offer_id=offer.pk,
                    idempotency_key=f"demo-{stub.pk}-{offer.pk}",
                    bill_fen=bill,
                    head_count=heads,
                    now=at,
                )
            except TourismError:
                continue  # the offer's rules said no (origin, scan-in, stock): as at a real counter
            redeemed += 1
            if rng.random() < 0.04:
                redemption_reverse(
                    receipt_number=redemption.receipt_number,
                    store=store,
                    staff=staff,
                    reason=rng.choice(REVERSAL_REASONS),
                    now=at + dt.timedelta(minutes=rng.randint(1, 9)),
                )
                reversed_count += 1
    return redeemed, reversed_count


def _drop_crowd(session: Session) -> None:
    """Remove a crowd built for the session's old date (the season moved): rebuilt around the new one."""
    tickets = Ticket.objects.filter(session=session, order__note="demo crowd")
    stubs = Stub.objects.filter(ticket__in=tickets)
    redemptions = Redemption.objects.filter(stub__in=stubs)
    Reversal.objects.filter(redemption__in=redemptions).delete()
    redemptions.delete()
    stub_credentials = list(stubs.values_list("credential_id", flat=True))
    stubs.delete()
    Credential.objects.filter(pk__in=stub_credentials).delete()
    credential_ids = list(tickets.values_list("credential_id", flat=True))
    CheckInState.objects.filter(credential_id__in=credential_ids).delete()
    Scan.objects.filter(credential_id__in=credential_ids).delete()
    orders = list(tickets.values_list("order_id", flat=True).distinct())
    tickets.delete()
    Credential.objects.filter(pk__in=credential_ids).delete()
    Order.objects.filter(pk__in=orders).delete()


def _crowds(merchants, offers) -> tuple[int, int, int]:
    tickets_made = redeemed = reversed_count = 0
    crowd_sessions = []
    for slug, session_en, count, origins, visits in CROWDS:
        session = (
            Session.objects.filter(event__slug=slug, name_en=session_en)
            .select_related("event", "venue")
            .first()
        )
        if session is None:
            continue
        crowd_sessions.append(session.pk)
        existing = Stub.objects.filter(session=session, ticket__order__note="demo crowd")
        if existing.exists():
            if existing.filter(match_day=timezone.localtime(session.starts_at).date()).exists():
                continue
            _drop_crowd(session)
        rng = random.Random(f"{slug}-{session_en}")  # noqa: S311 - demo data, not security
        tickets = _crowd_tickets(session, count, origins, rng)
        _scan_in(session, tickets, rng)
        stubs = stubs_issue_for_tickets(tickets=tickets)
        stubs_refresh_activation(programme_id=session.event.programme_id)
        stubs = list(
            Stub.objects.filter(pk__in=[s.pk for s in stubs]).select_related("credential").order_by("pk")
        )
        made, back = _redeem(session, stubs, visits, offers, rng)
        tickets_made += len(tickets)
        redeemed += made
        reversed_count += back
    # The crowd's tickets were written without a sale (and a rebuilt crowd dropped the old ones), so
    # the quotas' taken counters are set from the rows: a buyer then sees the places really left.
    counters_recount(session_ids=crowd_sessions)
    return tickets_made, redeemed, reversed_count


def _follow_sessions(programme: Programme) -> int:
    """Stubs of sessions the catalogue slice moved take their session's day again."""
    moved = []
    for stub in Stub.objects.filter(programme=programme, session__isnull=False).select_related("session"):
        day = timezone.localtime(stub.session.starts_at).date()
        if stub.match_day != day:
            stub.match_day = day
            moved.append(stub)
    Stub.objects.bulk_update(moved, ["match_day"], batch_size=500)
    return len(moved)


def _recount(offers) -> None:
    """Offer totals from their live redemptions (a rebuilt crowd took its redemptions away)."""
    for offer in Offer.objects.filter(pk__in=[o.pk for o in offers.values()]).annotate(
        live=Count("redemptions", filter=Q(redemptions__reversal__isnull=True)),
        spent=Sum("redemptions__subsidy_fen", filter=Q(redemptions__reversal__isnull=True)),
    ):
        Offer.objects.filter(pk=offer.pk).update(
            redeemed_count=offer.live, subsidy_spent_fen=offer.spent or 0
        )


def seed() -> str:
    programme = Programme.objects.filter(slug=DEMO_PROGRAMME).first()
    if programme is None:
        return "no demo programme"
    terms, _ = MerchantTerms.objects.get_or_create(
        version=TERMS_VERSION,
        defaults={
            "text_zh": "合作商户承诺：按公示的优惠为持票根的观众核销；如实登记账单金额与人数；核销错误在撤销时限内撤销并说明原因；补贴按月结算，以系统记录为准。",
            "text_en": "Partner merchants redeem stubs for the published offers, record bills and head counts truthfully, reverse a mistake within the window with a reason, and are paid subsidies monthly from the system's records.",
            "published_at": timezone.now() - dt.timedelta(days=60),
        },
    )
    owner = _user(DEMO_OWNER_EMAIL, "长风海洋世界 店主", password=DEMO_STAFF_PASSWORD)
    staff = _user(DEMO_STAFF_EMAIL, "长风海洋世界 收银台", password=DEMO_STAFF_PASSWORD)
    merchants = _merchants(programme, terms, owner)
    MerchantMembership.objects.get_or_create(
        user=staff,
        merchant=merchants["changfeng-ocean-world"],
        defaults={"role": MerchantRole.STAFF, "accepted_at": timezone.now()},
    )
    offers = _offers(programme, merchants)
    moved = _follow_sessions(programme)
    # Tickets sold before this slice existed (the demo spectator's) become stubs too.
    backfilled = len(
        stubs_issue_for_tickets(tickets=Ticket.objects.filter(session__event__programme=programme))
    )
    tickets, redeemed, reversed_count = _crowds(merchants, offers)
    _recount(offers)
    stubs_refresh_activation(programme_id=programme.pk)
    return (
        f"{len(merchants)} partner merchants, {len(offers)} offers, {Stub.objects.count()} stubs "
        f"({backfilled} backfilled, {moved} moved), {tickets} crowd tickets, {redeemed} redemptions, "
        f"{reversed_count} reversals; counter staff {DEMO_STAFF_EMAIL}, owner {DEMO_OWNER_EMAIL}"
    )


def announce() -> str:
    return (
        f"Demo merchant counter staff: {DEMO_STAFF_EMAIL} / {DEMO_STAFF_PASSWORD} "
        f"(owner: {DEMO_OWNER_EMAIL}, same password)"
    )
