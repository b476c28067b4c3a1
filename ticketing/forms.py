"""Forms of the sales pages (buyers and organisers). Check-in forms live with the gate views."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from ticketing.documents import (
    HOLDER_DOCUMENT_TYPES,
    DocumentType,
    document_number_normalise,
    validate_document,
)
from ticketing.enums import OrderState, TicketKind
from ticketing.models import Quota, Section
from ticketing.payments import available_providers
from ticketing.payments.policy import manual_allowed_for_order, manual_allowed_for_types
from ticketing.services.catalogue import BallotData, CapacityData, TicketTypeData
from ticketing.services.orders import Holder


class AddToCartForm(forms.Form):
    ticket_type = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Number of tickets"), min_value=1, max_value=50, initial=1)


_LETTERS = re.compile(r"[A-Za-z]")

# What a number of each type looks like, shown under the field (static/ticketing/holder-documents.js
# swaps in the chosen type's hint; without JavaScript the general one stays).
DOCUMENT_HINT_GENERAL = _(
    "Resident ID: 18 characters, the last may be X. Passport or permit: 5 to 20 letters and digits."
)
DOCUMENT_HINTS = {
    DocumentType.RESIDENT_ID: _("18 characters; the last may be X."),
    DocumentType.HKMO_TW_PERMIT: _("18 characters, starting 810000, 820000 or 830000."),
    DocumentType.FOREIGN_PERMANENT_RESIDENCE: _("18 characters, starting with 9."),
    DocumentType.PASSPORT: _("5 to 20 letters and digits, as printed on the document."),
    DocumentType.TRAVEL_PERMIT: _("5 to 20 letters and digits, as printed on the document."),
}


@dataclass(frozen=True)
class HolderRow:
    """One named spectator's fields on the checkout page."""

    hint_id: str
    number: int
    line: object
    name: forms.BoundField
    document_type: forms.BoundField
    document: forms.BoundField


class ProviderChoiceField(forms.ChoiceField):
    """The available providers; bank transfer only when the order may use it (group tickets, fees)."""

    def __init__(self, *, manual_allowed: bool = False, **kwargs):
        super().__init__(label=_("Payment method"), widget=forms.RadioSelect, **kwargs)
        self.choices = [
            (p.identifier, p.label)
            for p in available_providers()
            if manual_allowed or p.identifier != "manual"
        ]


class CheckoutForm(forms.Form):
    """Payment method (chosen here, once), plus for every spectator of a real-name line a name, the
    document type and its number, checked by the rule of that type (ticketing.documents)."""

    def __init__(self, *args, lines, needs_payment: bool, **kwargs):
        kwargs.setdefault("label_suffix", "")  # the label is its own line; no colon in either language
        super().__init__(*args, **kwargs)
        self.lines = lines
        if needs_payment:
            self.fields["provider"] = ProviderChoiceField(
                manual_allowed=manual_allowed_for_types(line.ticket_type for line in lines)
            )
            if len(self.fields["provider"].choices) == 1:
                self.fields["provider"].initial = self.fields["provider"].choices[0][0]
        self.holder_rows = []
        number = 0
        for line in lines:
            if not line.ticket_type.real_name:
                continue
            for index in range(line.quantity):
                number += 1
                prefix = f"holder_{line.pk}_{index}"
                self.fields[f"{prefix}_name"] = forms.CharField(
                    label=_("Full name"),
                    max_length=100,
                    widget=forms.TextInput(attrs={"autocomplete": "off"}),
                )
                self.fields[f"{prefix}_document_type"] = forms.ChoiceField(
                    label=_("Document type"),
                    choices=HOLDER_DOCUMENT_TYPES,
                    initial=DocumentType.RESIDENT_ID,
                )
                self.fields[f"{prefix}_document"] = forms.CharField(
                    label=_("Document number"),
                    max_length=40,
                    widget=forms.TextInput(
                        attrs={
                            "autocomplete": "off",
                            "autocapitalize": "characters",
                            "spellcheck": "false",
                            "aria-describedby": f"{prefix}_hint",
                        }
                    ),
                )
                self.holder_rows.append(
                    HolderRow(
                        hint_id=f"{prefix}_hint",
                        number=number,
                        line=line,
                        name=self[f"{prefix}_name"],
                        document_type=self[f"{prefix}_document_type"],
                        document=self[f"{prefix}_document"],
                    )
                )

    @sensitive_variables("number")
    def clean(self):
        cleaned = super().clean()
        for row in self.holder_rows:
            number = cleaned.get(row.document.name)
            document_type = cleaned.get(row.document_type.name)
            if not number or not document_type:
                continue
            try:
                cleaned[row.document.name] = validate_document(document_type=document_type, number=number)
            except ValidationError as error:
                self.add_error(row.document.name, error)
                if error.code == "id_format" and _LETTERS.search(document_number_normalise(number)[:-1]):
                    self.add_error(
                        row.document.name,
                        _("If this is a passport or a travel permit, choose that document type."),
                    )
        return cleaned

    @property
    def document_hints(self):
        return {"general": DOCUMENT_HINT_GENERAL, "by_type": DOCUMENT_HINTS.items()}

    def holders(self) -> dict[int, list[Holder]]:
        result: dict[int, list[Holder]] = {}
        for line in self.lines:
            if line.ticket_type.real_name:
                result[line.pk] = [
                    Holder(
                        name=self.cleaned_data[f"holder_{line.pk}_{i}_name"],
                        document=self.cleaned_data[f"holder_{line.pk}_{i}_document"],
                        document_type=self.cleaned_data[f"holder_{line.pk}_{i}_document_type"],
                    )
                    for i in range(line.quantity)
                ]
        return result


class PayForm(forms.Form):
    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"] = ProviderChoiceField(manual_allowed=manual_allowed_for_order(order))


class BallotApplyForm(forms.Form):
    quantity = forms.IntegerField(label=_("Places"), min_value=1, max_value=20, initial=1)


class OrderSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *OrderState.choices]
    )


class RefundForm(forms.Form):
    tickets = forms.MultipleChoiceField(
        label=_("Tickets to refund"), widget=forms.CheckboxSelectMultiple, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    confirm = forms.BooleanField(label=_("Yes, refund now. This cannot be undone."))

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.fields["tickets"].choices = [
            (str(t.pk), f"#{t.pk} {t.ticket_type.name} {t.holder_name}".strip())
            for t in order.tickets.all()
            if t.state == "valid"
        ]

    def chosen_tickets(self):
        wanted = {int(pk) for pk in self.cleaned_data["tickets"]}
        if not wanted:
            return None  # everything left
        return [t for t in self.order.tickets.all() if t.pk in wanted]


class SessionCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason shown to ticket holders"), max_length=200, required=False)
    confirm = forms.BooleanField(label=_("Yes, cancel the session and refund every ticket holder."))


# --- the organiser's set-up (ticket types, quotas, sections, ballots) ---------------------------

_LOCAL_MINUTE = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class _BilingualNameForm(forms.Form):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=80)
    name_en = forms.CharField(label=_("Name (English)"), max_length=80)


class CapacityForm(_BilingualNameForm):
    """A quota or a section: its two names and its capacity."""

    capacity = forms.IntegerField(label=_("Capacity"), min_value=0, max_value=200_000)

    def data_object(self) -> CapacityData:
        return CapacityData(**self.cleaned_data)

    @classmethod
    def initial_for(cls, row) -> dict:
        return {"name_zh": row.name_zh, "name_en": row.name_en, "capacity": row.capacity}


class TicketTypeForm(_BilingualNameForm):
    """A ticket type; the price is typed in yuan (80 or 80.50) and stored in fen."""

    kind = forms.ChoiceField(label=_("Kind"), choices=TicketKind.choices)
    price_yuan = forms.DecimalField(
        label=_("Price (yuan)"), min_value=Decimal(0), max_value=Decimal(100_000), decimal_places=2
    )
    quotas = forms.ModelMultipleChoiceField(
        label=_("Quotas"),
        queryset=Quota.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The type sells while every quota it is in has places left."),
    )
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.none(), required=False)
    sale_starts_at = forms.DateTimeField(
        label=_("Sale starts"), required=False, widget=_LOCAL_MINUTE, help_text=_("Empty: on sale now.")
    )
    sale_ends_at = forms.DateTimeField(
        label=_("Sale ends"), required=False, widget=_LOCAL_MINUTE, help_text=_("Empty: until the session.")
    )
    min_per_order = forms.IntegerField(label=_("Minimum per order"), min_value=1, max_value=100, initial=1)
    max_per_order = forms.IntegerField(label=_("Maximum per order"), min_value=1, max_value=100, initial=6)
    real_name = forms.BooleanField(label=_("Real-name ticket"), required=False)
    max_named_per_account = forms.IntegerField(
        label=_("Named spectators per account"), min_value=1, max_value=50, initial=5
    )
    allows_reentry = forms.BooleanField(label=_("Re-entry allowed"), required=False)
    position = forms.IntegerField(label=_("Position in the list"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quotas"].queryset = Quota.objects.filter(session=session)
        self.fields["section"].queryset = Section.objects.filter(session=session)

    def clean(self):
        data = super().clean()
        price = data.get("price_yuan")
        if data.get("kind") == TicketKind.FREE and price:
            self.add_error("price_yuan", _("A free ticket type must cost nothing."))
        low, high = data.get("min_per_order"), data.get("max_per_order")
        if low and high and high < low:
            self.add_error("max_per_order", _("The maximum per order must be at least the minimum."))
        start, end = data.get("sale_starts_at"), data.get("sale_ends_at")
        if start and end and end <= start:
            self.add_error("sale_ends_at", _("Sales must end after they start."))
        return data

    def data_object(self) -> TicketTypeData:
        data = dict(self.cleaned_data)
        data["price_fen"] = int(data.pop("price_yuan") * 100)
        data["quotas"] = list(data["quotas"])
        return TicketTypeData(**data)

    @classmethod
    def initial_for(cls, ticket_type) -> dict:
        fields = (
            "name_zh", "name_en", "kind", "section", "sale_starts_at", "sale_ends_at", "min_per_order",
            "max_per_order", "real_name", "max_named_per_account", "allows_reentry", "position",
        )  # fmt: skip
        initial = {name: getattr(ticket_type, name) for name in fields}
        initial["price_yuan"] = Decimal(ticket_type.price_fen) / 100
        initial["quotas"] = list(ticket_type.quotas.all())
        return initial


class BallotForm(forms.Form):
    applications_open_at = forms.DateTimeField(label=_("Applications open"), widget=_LOCAL_MINUTE)
    applications_close_at = forms.DateTimeField(label=_("Applications close"), widget=_LOCAL_MINUTE)
    pay_within_hours = forms.IntegerField(
        label=_("Winners pay within (hours)"), min_value=1, max_value=720, initial=48
    )
    max_per_application = forms.IntegerField(
        label=_("Places per application"), min_value=1, max_value=20, initial=4
    )

    def clean(self):
        data = super().clean()
        opens, closes = data.get("applications_open_at"), data.get("applications_close_at")
        if opens and closes and closes <= opens:
            self.add_error("applications_close_at", _("Applications must close after they open."))
        return data

    def data_object(self) -> BallotData:
        return BallotData(**self.cleaned_data)

    @classmethod
    def initial_for(cls, ballot) -> dict:
        return {name: getattr(ballot, name) for name in cls.base_fields}


class DeleteConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, delete it"), required=True)
