"""Forms for paperwork, the workflow, fees, badges and the organiser pages (r1's forms.py holds the rest)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from registration.enums import EntryStatus, RevealPurpose
from registration.models import ConsentGiver, ConsentPurpose, FeePart

PURPOSE_HELP = {
    ConsentPurpose.REGISTRATION: _("Required: without it the athlete cannot be entered."),
    ConsentPurpose.HEALTH: _("Optional: allergies and conditions the medical team should know."),
    ConsentPurpose.PHOTOS: _("Optional: photos and video of the athlete in the programme's media."),
    ConsentPurpose.TRANSFER_ABROAD: _("Optional: sharing the entry with an international federation."),
    ConsentPurpose.MARKETING: _("Optional: news about future events."),
}


class PurposeChoicesForm(forms.Form):
    """One checkbox per purpose; every optional purpose starts unticked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for purpose in ConsentPurpose:
            self.fields[purpose.value] = forms.BooleanField(
                label=purpose.label, required=False, initial=False, help_text=PURPOSE_HELP[purpose]
            )

    def choices(self) -> dict[str, bool]:
        return {purpose: bool(self.cleaned_data.get(purpose)) for purpose in ConsentPurpose.values}


class PaperConsentForm(PurposeChoicesForm):
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    field_order = ["given_by"]


class DeclarationForm(forms.Form):
    athlete_signed = forms.BooleanField(label=_("Signed by the athlete"), required=False)
    guardian_signed = forms.BooleanField(label=_("Signed by the guardian"), required=False)
    guardian_name = forms.CharField(label=_("Guardian who signed"), max_length=80, required=False)


class InsuranceForm(forms.Form):
    insurer = forms.CharField(label=_("Insurer"), max_length=120)
    policy_number = forms.CharField(label=_("Policy number"), max_length=60)
    covers_travel = forms.BooleanField(
        label=_("Covers travel to and from the event"),
        required=False,
        help_text=_("Required: the insurance must cover the journey as well as the competition."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))


class HealthForm(forms.Form):
    certificate_date = forms.DateField(
        label=_("Health certificate date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Must be within the three months before the event."),
    )
    notes = forms.CharField(
        label=_("Health notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only with the health-data consent."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class SubstitutionForm(forms.Form):
    replacement = forms.ModelChoiceField(label=_("Replacement athlete"), queryset=None)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, athletes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].queryset = athletes


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Reject"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class FeePayForm(forms.Form):
    part = forms.ChoiceField(label=_("Pay"), choices=FeePart.choices)
    provider = forms.ChoiceField(label=_("Payment method"), choices=[])

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = providers


class QueueFilterForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Event"), queryset=None, required=False)
    city = forms.ModelChoiceField(label=_("City"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *EntryStatus.choices], required=False
    )
    missing = forms.BooleanField(label=_("Only entries with missing items"), required=False)
    unverified = forms.BooleanField(label=_("Only athletes whose document is not verified"), required=False)

    def __init__(self, *args, events, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
        self.fields["city"].queryset = cities


class BulkApproveForm(forms.Form):
    entries = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = queryset


class InsuranceExportForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Event"), queryset=None, required=False)
    reveal = forms.BooleanField(
        label=_("Reveal document numbers"),
        required=False,
        help_text=_("Each athlete revealed is logged with your name and the reason."),
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events

    def clean(self):
        data = super().clean()
        if data.get("reveal") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for revealing document numbers."))
        return data


REVEAL_PURPOSE_INSURANCE = RevealPurpose.INSURANCE
