"""Forms of the exchange programme: each parses the input of one service call."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.models import Venue
from registration.models import Athlete, DelegationMembership, Guardian
from tourism.exchange.enums import CredentialKind, SegmentKind


class _PeopleMixin:
    def _people(self, delegation, adults: bool = True):
        self.fields["athletes"].queryset = Athlete.objects.filter(
            delegation=delegation, anonymised_at__isnull=True
        )
        if adults:
            self.fields["memberships"].queryset = DelegationMembership.objects.filter(
                delegation=delegation, accepted_at__isnull=False
            ).select_related("user")


class BookingForm(_PeopleMixin, forms.Form):
    athletes = forms.ModelMultipleChoiceField(
        label=_("Athletes"),
        queryset=Athlete.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    memberships = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("delegation", "Staff"),
        queryset=DelegationMembership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, delegation, **kwargs):
        super().__init__(*args, **kwargs)
        self._people(delegation)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("athletes") and not cleaned.get("memberships"):
            raise forms.ValidationError(_("Choose at least one person."))
        return cleaned


class SegmentForm(_PeopleMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in SegmentKind.choices if c[0] != SegmentKind.MATCH]
    )
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=160)
    title_en = forms.CharField(label=_("Title (English)"), max_length=160, required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    origin = forms.ModelChoiceField(label=_("From (transfers)"), queryset=Venue.objects.all(), required=False)
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.all(), required=False)
    vehicle = forms.CharField(label=_("Vehicle"), max_length=80, required=False)
    driver_name = forms.CharField(label=_("Driver"), max_length=80, required=False)
    driver_phone = forms.CharField(label=_("Driver's phone"), max_length=30, required=False)
    athletes = forms.ModelMultipleChoiceField(
        label=_("Athletes (none: the whole roster)"),
        queryset=Athlete.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    memberships = forms.ModelMultipleChoiceField(
        label=_("Chaperones"),
        queryset=DelegationMembership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lead = forms.ModelChoiceField(
        label=_("Lead chaperone"), queryset=DelegationMembership.objects.none(), required=False
    )

    def __init__(self, *args, delegation, **kwargs):
        super().__init__(*args, **kwargs)
        self._people(delegation)
        self.fields["lead"].queryset = self.fields["memberships"].queryset

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("A segment must end after it starts."))
        return cleaned


class CredentialForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("Adult"), queryset=DelegationMembership.objects.none())
    kind = forms.ChoiceField(
        label=pgettext_lazy("qualification", "Credential"), choices=CredentialKind.choices
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=pgettext_lazy("document", "Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("A credential must end on or after the day it starts."))
        return cleaned


class RollCallOpenForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Everyone present within (minutes)"), min_value=0, max_value=240, initial=10
    )


class HandoverForm(forms.Form):
    athlete = forms.ModelChoiceField(label=_("Child"), queryset=Athlete.objects.none())
    guardian = forms.ModelChoiceField(label=_("Guardian"), queryset=Guardian.objects.none())
    pin = forms.CharField(
        label=_("Guardian's PIN"),
        max_length=12,
        # A password field: a refused PIN is not written back into the page for the next person to read.
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, delegation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["athlete"].queryset = Athlete.objects.filter(delegation=delegation)
        self.fields["guardian"].queryset = Guardian.objects.filter(athlete__delegation=delegation)


class ScanForm(forms.Form):
    """The gate scanner's JSON body: the code and the scan's reference (gate and direction are ignored)."""

    code = forms.CharField(max_length=400)
    nonce = forms.CharField(max_length=64)
