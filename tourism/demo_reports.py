"""The demo's reporting slice (after tourism/demo.py has its weekend of redemptions): a city bureau
viewer for Zhenjiang, and the fraud rules run once so organisers find the list as it would be."""

from __future__ import annotations

from events.demo import DEMO_PROGRAMME
from events.models import City, Programme
from tourism.demo import DEMO_STAFF_PASSWORD, _user
from tourism.models import CityReportViewer
from tourism.services.fraud import fraud_flags_refresh

BUREAU_EMAIL = "bureau-zhenjiang@corridor.example"
BUREAU_CITY = "zhenjiang"


def seed() -> str:
    programme = Programme.objects.filter(slug=DEMO_PROGRAMME).first()
    city = City.objects.filter(slug=BUREAU_CITY).first()
    if programme is None or city is None:
        return "no demo programme or city: nothing to add"
    bureau = _user(BUREAU_EMAIL, "镇江市文化广电和旅游局", password=DEMO_STAFF_PASSWORD)
    CityReportViewer.objects.get_or_create(user=bureau, programme=programme, city=city)
    flags = fraud_flags_refresh(programme=programme)
    return f"city bureau viewer {BUREAU_EMAIL} ({city.name_en}); {flags} new fraud flags"


def announce() -> str:
    return f"Demo city bureau (Zhenjiang city report): {BUREAU_EMAIL} / {DEMO_STAFF_PASSWORD}"
