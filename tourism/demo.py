"""The stub-economy slice of the demo season: partner merchants in the host cities and a counter account."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from events.models import City
from tourism.enums import MerchantCategory, MerchantRole
from tourism.models import Merchant, MerchantMembership

DEMO_STAFF_EMAIL = "merchant@corridor.example"
DEMO_STAFF_PASSWORD = "corridor-demo-2027"  # noqa: S105 - printed for the local demo only

MERCHANTS = [
    (
        "changfeng-ocean-world",
        "shanghai",
        "长风海洋世界",
        "Changfeng Ocean World",
        MerchantCategory.SCENIC_SPOT,
    ),
    ("caoyang-noodle-house", "shanghai", "曹杨老面馆", "Caoyang Noodle House", MerchantCategory.RESTAURANT),
    (
        "suzhou-creek-hotel",
        "shanghai",
        "苏州河畔酒店",
        "Suzhou Creek Riverside Hotel",
        MerchantCategory.HOTEL,
    ),
    ("jinshan-temple", "zhenjiang", "金山寺景区", "Jinshan Temple Scenic Area", MerchantCategory.SCENIC_SPOT),
    (
        "zhenjiang-guo-gai-mian",
        "zhenjiang",
        "宴春酒楼锅盖面",
        "Yanchun Pot-Lid Noodles",
        MerchantCategory.RESTAURANT,
    ),
    ("haohe-scenic-area", "nantong", "濠河风景区", "Haohe Scenic Area", MerchantCategory.SCENIC_SPOT),
    (
        "nantong-blue-calico",
        "nantong",
        "南通蓝印花布馆",
        "Nantong Blue Calico Museum Shop",
        MerchantCategory.SHOP,
    ),
    (
        "taizhou-old-street",
        "taizhou",
        "泰州老街茶社",
        "Taizhou Old Street Teahouse",
        MerchantCategory.RESTAURANT,
    ),
]


def seed() -> str:
    for slug, city, zh, en, category in MERCHANTS:
        Merchant.objects.update_or_create(
            slug=slug,
            defaults={
                "city": City.objects.get(slug=city),
                "name_zh": zh,
                "name_en": en,
                "category": category,
            },
        )
    user_model = get_user_model()
    staff = user_model.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if staff is None:
        staff = user_model.objects.create_user(
            email=DEMO_STAFF_EMAIL, password=DEMO_STAFF_PASSWORD, display_name="长风海洋世界 收银台"
        )
    EmailAddress.objects.update_or_create(
        user=staff, email=DEMO_STAFF_EMAIL, defaults={"verified": True, "primary": True}
    )
    MerchantMembership.objects.get_or_create(
        user=staff,
        merchant=Merchant.objects.get(slug="changfeng-ocean-world"),
        defaults={"role": MerchantRole.STAFF},
    )
    return f"{Merchant.objects.count()} partner merchants; counter staff {DEMO_STAFF_EMAIL}"


def announce() -> str:
    return f"Demo merchant counter staff: {DEMO_STAFF_EMAIL} / {DEMO_STAFF_PASSWORD}"
