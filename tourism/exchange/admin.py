"""Admin for the exchange programme's reference data (experiences with their slots, chaperone ratios
by age band), scoped to the programmes an organiser runs (events.admin.ScopedAdmin). Roll-calls and
handovers are records of what chaperones did: read in the app, not edited here."""

from django.contrib import admin

from events.admin import ScopedAdmin, ScopedInline
from tourism.exchange.models import AgeBandRatio, Experience, ExperienceSlot

EDIT = frozenset({"view", "change", "add", "delete"})


class SlotInline(ScopedInline, admin.TabularInline):
    model = ExperienceSlot
    extra = 0


@admin.register(Experience)
class ExperienceAdmin(ScopedAdmin):
    programme_path = "programme"
    organiser_can = EDIT
    list_display = ["name_zh", "name_en", "kind", "programme", "venue", "minimum_age", "children_per_adult"]
    list_filter = ["kind", "programme"]
    search_fields = ["name_zh", "name_en", "host_zh", "host_en"]
    inlines = [SlotInline]


@admin.register(AgeBandRatio)
class AgeBandRatioAdmin(ScopedAdmin):
    programme_path = "programme"
    organiser_can = EDIT
    list_display = ["programme", "under_age", "children_per_adult"]
    list_filter = ["programme"]
