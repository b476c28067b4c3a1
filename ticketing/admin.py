"""Ticketing admin. Admin actions call services; gate devices are created with `gate_device_create`.
Organisers see their programmes' rows (events.admin.ScopedAdmin); only superusers edit records."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from events.admin import ScopedAdmin
from ticketing.hooks import holders_read
from ticketing.models import CheckInState, Credential, GateDevice, GateStaffAssignment, Scan
from ticketing.services.gate_devices import device_scope_error, gate_device_revoke, gate_device_save


@admin.register(Credential)
class CredentialAdmin(ScopedAdmin):
    programme_path = "event__programme"
    # Holders are not listed nor searched (a name searched for would sit in the page's URL, and a
    # badge's holder is often a child): a credential's page shows its holder, and the apps that
    # issued it record that read (`holders_read`).
    list_display = ["public_id", "kind", "event", "session", "state", "valid_from", "valid_until"]
    list_filter = ["kind", "state", "event"]
    search_fields = ["public_id"]
    hidden_lookups = frozenset({"holder_label"})  # ?holder_label__istartswith=… would search by name too
    raw_id_fields = ["event", "session"]
    readonly_fields = ["public_id", "created_at", "state_changed_at"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:  # the page shows the holder (also re-shown after a failed save)
            holders_read(credential_ids=[int(object_id)], user=request.user, single=True)
        return response


@admin.register(GateStaffAssignment)
class GateStaffAssignmentAdmin(ScopedAdmin):
    programme_path = "event__programme"  # venue-wide assignments: superusers only
    list_display = ["user", "event", "venue", "created_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user", "event", "venue"]


@admin.action(description=_("Revoke the selected devices"), permissions=["change"])
def revoke_devices(modeladmin, request, queryset):
    for device in queryset:  # already scoped by GateDeviceAdmin.get_queryset
        gate_device_revoke(device=device)


class GateDeviceForm(forms.ModelForm):
    class Meta:
        model = GateDevice
        fields = ["name", "event", "venue", "gates"]

    def clean(self):
        cleaned = super().clean()
        event, gates = cleaned.get("event"), cleaned.get("gates")
        if gates is None and "gates" in cleaned:
            cleaned["gates"] = gates = []  # an empty box: every gate of the venue
        if event is not None and "gates" in cleaned:
            error = device_scope_error(event=event, venue=cleaned.get("venue"), gates=gates)
            if error:
                raise forms.ValidationError(error)
        return cleaned


@admin.register(GateDevice)
class GateDeviceAdmin(ScopedAdmin):
    programme_path = "event__programme"
    organiser_can = frozenset({"view", "change"})  # an organiser revokes their events' devices
    form = GateDeviceForm
    list_display = ["name", "event", "venue", "gates", "last_seen", "revoked_at"]
    list_filter = ["event"]
    readonly_fields = ["token_hash", "last_seen", "revoked_at", "created_at"]
    actions = [revoke_devices]

    def has_add_permission(self, request):
        return False  # tokens are shown once: create devices with the service (see the demo)

    def save_model(self, request, obj, form, change):
        gate_device_save(device=obj)  # the cached copy goes too: a new venue or gates apply at once


@admin.register(Scan)
class ScanAdmin(ScopedAdmin):
    programme_path = "event__programme"
    list_display = [
        "scanned_at",
        "event",
        "gate_code",
        "direction",
        "result",
        "reason",
        "offline",
        "conflict",
        "annulled_at",
    ]
    list_filter = ["result", "reason", "direction", "offline", "conflict", "event"]
    search_fields = ["nonce", "credential__public_id", "gate_code"]
    raw_id_fields = ["event", "credential", "device", "user"]
    date_hierarchy = "scanned_at"

    def has_change_permission(self, request, obj=None):
        return False  # scans are a record: never edited


@admin.register(CheckInState)
class CheckInStateAdmin(ScopedAdmin):
    programme_path = "event__programme"
    list_display = ["credential", "event", "inside", "entries", "updated_at"]
    list_filter = ["inside", "event"]
    raw_id_fields = ["credential", "event", "last_entry"]
