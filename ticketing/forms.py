"""Forms of the sales pages (buyers and organisers). Check-in forms live with the gate views."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
from ticketing.enums import OrderState
from ticketing.payments import available_providers
from ticketing.payments.policy import manual_allowed_for_order, manual_allowed_for_types
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
