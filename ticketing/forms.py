"""Forms of the sales pages (buyers and organisers). Check-in forms live with the gate views."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ticketing.enums import OrderState
from ticketing.payments import available_providers
from ticketing.payments.policy import manual_allowed_for_order, manual_allowed_for_types
from ticketing.services.orders import Holder


class AddToCartForm(forms.Form):
    ticket_type = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Number of tickets"), min_value=1, max_value=50, initial=1)


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
    """Payment method, plus name and ID document for every spectator of a real-name line."""

    def __init__(self, *args, lines, needs_payment: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        if needs_payment:
            self.fields["provider"] = ProviderChoiceField(
                manual_allowed=manual_allowed_for_types(line.ticket_type for line in lines)
            )
            if len(self.fields["provider"].choices) == 1:
                self.fields["provider"].initial = self.fields["provider"].choices[0][0]
        self.holder_rows = []
        for line in lines:
            if not line.ticket_type.real_name:
                continue
            for index in range(line.quantity):
                name_key, doc_key = f"holder_{line.pk}_{index}_name", f"holder_{line.pk}_{index}_document"
                self.fields[name_key] = forms.CharField(
                    label=_("Spectator %(number)d: full name") % {"number": index + 1}, max_length=100
                )
                self.fields[doc_key] = forms.CharField(
                    label=_("Spectator %(number)d: ID document number") % {"number": index + 1},
                    max_length=40,
                    widget=forms.TextInput(attrs={"autocomplete": "off"}),
                )
                self.holder_rows.append((line, self[name_key], self[doc_key]))

    def holders(self) -> dict[int, list[Holder]]:
        result: dict[int, list[Holder]] = {}
        for line in self.lines:
            if line.ticket_type.real_name:
                result[line.pk] = [
                    Holder(
                        name=self.cleaned_data[f"holder_{line.pk}_{i}_name"],
                        document=self.cleaned_data[f"holder_{line.pk}_{i}_document"],
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
