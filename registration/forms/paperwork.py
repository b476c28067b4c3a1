"""Forms for consent and safety paperwork (recorded on paper by managers, or by guardians through a link)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registration.models import ConsentGiver, ConsentPurpose

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
    valid_until = forms.DateField(
        label=pgettext_lazy("document", "Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )


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
