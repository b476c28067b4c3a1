"""Tourism admin: merchants are managed by superusers (events.admin.ScopedAdmin without a programme)."""

from django.contrib import admin

from events.admin import ScopedAdmin, ScopedInline
from tourism.models import Merchant, MerchantMembership


class MerchantMembershipInline(ScopedInline, admin.TabularInline):
    model = MerchantMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Merchant)
class MerchantAdmin(ScopedAdmin):
    list_display = ["name_zh", "name_en", "city", "category"]
    list_filter = ["city", "category"]
    search_fields = ["name_zh", "name_en", "slug"]
    list_select_related = ["city"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [MerchantMembershipInline]
