"""Forms of the stub economy: they parse input for one service call each."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events.models import City
from tourism.enums import MerchantCategory
from tourism.models import Offer, Store
from tourism.services.merchants import StoreData
from tourism.validators import validate_credit_code, validate_opening_hours

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class StoreForm(forms.Form):
    store_name_zh = forms.CharField(label=_("Store name (Chinese)"), max_length=120)
    store_name_en = forms.CharField(label=_("Store name (English)"), max_length=120, required=False)
    store_city = forms.ModelChoiceField(label=_("Store city"), queryset=City.objects.all())
    address_zh = forms.CharField(label=_("Address (Chinese)"), max_length=200)
    address_en = forms.CharField(label=_("Address (English)"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    opens = forms.TimeField(
        label=_("Opens at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes = forms.TimeField(
        label=_("Closes at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    open_days = forms.TypedMultipleChoiceField(
        label=_("Open on"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave the times empty for a store that never closes."),
    )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        hours: dict = {}
        if opens or closes:
            if not (opens and closes) or closes <= opens:
                raise ValidationError(_("Give both times, closing after opening."))
            days = cleaned.get("open_days") or [day for day, _label in WEEKDAY_CHOICES]
            hours = {str(day): [[opens.strftime("%H:%M"), closes.strftime("%H:%M")]] for day in days}
            validate_opening_hours(hours)
        cleaned["opening_hours"] = hours
        return cleaned

    def store_data(self) -> StoreData:
        data = self.cleaned_data
        return StoreData(
            name_zh=data["store_name_zh"],
            name_en=data["store_name_en"],
            city_id=data["store_city"].pk,
            address_zh=data["address_zh"],
            address_en=data["address_en"],
            latitude=Decimal(data["latitude"]),
            longitude=Decimal(data["longitude"]),
            opening_hours=data["opening_hours"],
        )


class MerchantApplyForm(StoreForm):
    name_zh = forms.CharField(label=_("Business name (Chinese)"), max_length=120)
    name_en = forms.CharField(label=_("Business name (English)"), max_length=120, required=False)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        help_text=_("The 18 characters on the business licence; the last one is a check character."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    category = forms.ChoiceField(label=_("Category"), choices=MerchantCategory.choices)
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.all())
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30)
    accept_terms = forms.BooleanField(label=_("I accept the merchant terms shown above."))

    field_order = ["name_zh", "name_en", "credit_code", "category", "city", "contact_phone"]

    def clean_credit_code(self) -> str:
        return validate_credit_code(self.cleaned_data["credit_code"])


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    reason = forms.CharField(label=_("Reason (required to refuse)"), max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not (cleaned.get("reason") or "").strip():
            raise ValidationError(_("Give a reason for the refusal."))
        return cleaned

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    store = forms.ModelChoiceField(
        label=_("Store"), queryset=Store.objects.none(), required=False, empty_label=_("Every store")
    )

    def __init__(self, *args, merchant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = merchant.stores.all()


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = [
            "name_zh",
            "name_en",
            "description_zh",
            "description_en",
            "kind",
            "percent_off",
            "amount_off_fen",
            "value_fen",
            "max_discount_fen",
            "min_bill_fen",
            "scope",
            "events",
            "disciplines",
            "origin",
            "origin_area_prefixes",
            "for_ticket_holders",
            "accreditation_roles",
            "activation",
            "check_level",
            "validity",
            "valid_from",
            "valid_until",
            "days_from",
            "days_until",
            "time_from",
            "time_until",
            "weekdays",
            "where",
            "cities",
            "stores",
            "per_stub_limit",
            "per_person_store_limit",
            "daily_limit",
            "total_stock",
            "party_size",
            "reversal_window_minutes",
            "subsidy_percent",
            "subsidy_budget_fen",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
            "time_from": forms.TimeInput(attrs={"type": "time"}),
            "time_until": forms.TimeInput(attrs={"type": "time"}),
            "description_zh": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "disciplines": _('A JSON list such as ["football"], for "chosen sports".'),
            "origin_area_prefixes": _('A JSON list of area-code prefixes such as ["3206"] (Nantong).'),
            "accreditation_roles": _('A JSON list such as ["athlete", "coach"]; empty for none.'),
            "weekdays": _("A JSON list of weekdays, Monday 0 to Sunday 6; empty for every day."),
        }

    def __init__(self, *args, merchant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stores"].queryset = merchant.stores.all()
        self.fields["events"].queryset = merchant.programme.events.all() if merchant.programme_id else []

    def service_fields(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"events", "cities", "stores"} and name in self.Meta.fields
        }


class ReverseForm(forms.Form):
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=12)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class TillForm(forms.Form):
    """A new till: which store it redeems at, and a name the owner recognises it by."""

    store = forms.ModelChoiceField(label=_("Store"), queryset=Store.objects.none())
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("For example the register's number or the tablet's place."),
    )

    def __init__(self, *args, merchant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = Store.objects.filter(merchant=merchant).order_by("pk")
