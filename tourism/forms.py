"""Forms of the stub economy: they parse input for one service call each."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.enums import Discipline
from events.i18n import pick
from events.models import City, Event, Session
from registration.models.accreditation import BadgeRole
from tourism.areas import prefecture_table
from tourism.enums import (
    MerchantCategory,
    OfferKind,
    OfferOrigin,
    OfferScope,
    OfferStatus,
    OfferValidity,
    OfferWhere,
)
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


class _Choices(forms.CheckboxSelectMultiple):
    """Checkboxes in a box of their own: a long list scrolls inside the page on a phone."""

    def __init__(self, attrs=None):
        super().__init__({"class": "choices", **(attrs or {})})


class _SessionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        starts = timezone.localtime(obj.starts_at)
        return f"{obj.event.name} · {obj.name} · {date_format(starts, 'SHORT_DATETIME_FORMAT')}"


class _OfferChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} · {obj.merchant.name}"


def origin_choices() -> list[tuple[str, str]]:
    """The prefectures Corridor knows by area code, named in the reader's language."""
    return [(prefix, pick(zh, en)) for prefix, (zh, en) in prefecture_table()["prefectures"].items()]


# The amount each kind of offer takes; the others are emptied, so switching kinds saves cleanly.
_KIND_AMOUNT = {
    OfferKind.PERCENTAGE: "percent_off",
    OfferKind.FIXED: "amount_off_fen",
    OfferKind.FREE_ENTRY: "value_fen",
    OfferKind.GIFT: "value_fen",
}
# A choice and the list it needs: (field, value, list field). The list is emptied for other values.
_NEEDS_LIST = [
    ("scope", OfferScope.EVENTS, "events"),
    ("scope", OfferScope.SESSIONS, "sessions"),
    ("scope", OfferScope.DISCIPLINES, "disciplines"),
    ("origin", OfferOrigin.LISTED, "origin_area_prefixes"),
    ("where", OfferWhere.CITIES, "cities"),
    ("where", OfferWhere.STORES, "stores"),
]
_RELATIONS = ("events", "sessions", "cities", "stores", "exclusions")


# The form's sections, in order: (legend, fields). The template draws one fieldset each.
_SECTIONS = [
    (_("The offer"), ["name_zh", "name_en", "description_zh", "description_en"]),
    (
        _("What it gives"),
        ["kind", "percent_off", "amount_off_fen", "value_fen", "max_discount_fen", "min_bill_fen"],
    ),
    (
        _("Who can use it"),
        [
            "scope",
            "events",
            "sessions",
            "disciplines",
            "origin",
            "origin_area_prefixes",
            "for_ticket_holders",
            "accreditation_roles",
            "activation",
            "check_level",
        ],
    ),
    (
        pgettext_lazy("offer", "When"),
        [
            "validity",
            "valid_from",
            "valid_until",
            "days_from",
            "days_until",
            "time_from",
            "time_until",
            "weekdays",
        ],
    ),
    (pgettext_lazy("offer", "Where"), ["where", "cities", "stores"]),
    (
        _("How often"),
        [
            "per_stub_limit",
            "per_person_store_limit",
            "daily_limit",
            "total_stock",
            "party_size",
            "reversal_window_minutes",
            "exclusions",
        ],
    ),
    (_("Who pays"), ["subsidy_percent", "subsidy_budget_fen"]),
]


class OfferForm(forms.ModelForm):
    """Create or edit one offer. Every list is a set of checkboxes limited to what this merchant may
    name: its programme's events, sessions and sports, its own stores, the known origin prefectures,
    the programme's other offers. The services check the same again (tourism/services/offers.py)."""

    disciplines = forms.TypedMultipleChoiceField(
        label=_("Sports"), required=False, widget=_Choices, help_text=_('For "chosen sports".')
    )
    origin_area_prefixes = forms.TypedMultipleChoiceField(
        label=_("Visitors from"),
        required=False,
        widget=_Choices,
        help_text=_("For visitors from the listed cities: the city on their verified ID."),
    )
    accreditation_roles = forms.TypedMultipleChoiceField(
        label=_("Delegation accreditation holders"),
        choices=BadgeRole.choices,
        required=False,
        widget=_Choices,
        help_text=_("Delegations whose badges redeem as a group; none ticked for none."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=_Choices,
        help_text=_("None ticked: every day."),
    )

    sections = _SECTIONS

    class Meta:
        model = Offer
        fields = [name for _legend, names in _SECTIONS for name in names]
        field_classes = {"sessions": _SessionChoice, "exclusions": _OfferChoice}
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
            "time_from": forms.TimeInput(attrs={"type": "time"}),
            "time_until": forms.TimeInput(attrs={"type": "time"}),
            "description_zh": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
            "events": _Choices,
            "sessions": _Choices,
            "cities": _Choices,
            "stores": _Choices,
            "exclusions": _Choices,
        }
        labels = {
            "valid_from": _("First valid day"),
            "valid_until": _("Last valid day"),
        }
        help_texts = {
            "valid_from": _("For an offer between two dates."),
            "events": _('For "chosen events": this programme\'s events.'),
            "sessions": _('For "chosen sessions": this programme\'s sessions.'),
            "cities": _('For "stores in the listed cities".'),
            "stores": _('For "the chosen stores": your own stores.'),
            "exclusions": _("Offers of this programme a redemption of this one cannot be combined with."),
            "days_from": _("Relative validity: 0 is match day, 2 is two days after."),
        }

    def __init__(self, *args, merchant, **kwargs):
        super().__init__(*args, **kwargs)
        programme_id = merchant.programme_id
        events = Event.objects.filter(programme_id=programme_id)
        self.fields["events"].queryset = events
        self.fields["sessions"].queryset = (
            Session.objects.filter(event__programme_id=programme_id)
            .select_related("event")
            .order_by("starts_at", "pk")
        )
        sports = set(events.values_list("discipline", flat=True))
        self.fields["disciplines"].choices = [c for c in Discipline.choices if c[0] in sports]
        self.fields["origin_area_prefixes"].choices = origin_choices()
        self.fields["stores"].queryset = merchant.stores.all()
        self.fields["exclusions"].queryset = (
            Offer.objects.filter(programme_id=programme_id)
            .exclude(status=OfferStatus.WITHDRAWN)
            .exclude(pk=self.instance.pk)
            .select_related("merchant")
        )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        for amount in {"percent_off", "amount_off_fen", "value_fen"}:
            if kind and amount != _KIND_AMOUNT[kind]:
                cleaned[amount] = None
            elif kind and cleaned.get(amount) is None and amount not in self.errors:
                self.add_error(amount, _("This kind of offer needs this amount."))
        for field, value, names in _NEEDS_LIST:
            if cleaned.get(field) != value:
                cleaned[names] = [] if names not in _RELATIONS else self.fields[names].queryset.none()
            elif not cleaned.get(names) and names not in self.errors:
                self.add_error(names, _("Tick at least one."))
        if cleaned.get("validity") == OfferValidity.ABSOLUTE:
            for name in ("valid_from", "valid_until"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Give both dates for an offer between two dates."))
        return cleaned

    def service_fields(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in _RELATIONS and name in self.Meta.fields
        }

    def relations(self) -> dict:
        return {name: list(self.cleaned_data[name]) for name in _RELATIONS}

    def grouped(self):
        """The sections for the template: (legend, bound fields)."""
        return [(legend, [self[name] for name in names]) for legend, names in self.sections]


class ReverseForm(forms.Form):
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=12)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class TillForm(forms.Form):
    """A new till: which store it redeems at, and a name the owner recognises it by."""

    store = forms.ModelChoiceField(label=_("Store"), queryset=Store.objects.none())
    name = forms.CharField(
        label=pgettext_lazy("device", "Name"),
        max_length=80,
        help_text=_("For example the register's number or the tablet's place."),
    )

    def __init__(self, *args, merchant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = Store.objects.filter(merchant=merchant).order_by("pk")
