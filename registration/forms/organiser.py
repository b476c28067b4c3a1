"""Forms for organisers: the review queue's filters, bulk approval and the insurance export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from registration.enums import EntryStatus, RevealPurpose


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
        self.fields["event"].empty_label = _("All events")
        self.fields["city"].queryset = cities
        self.fields["city"].empty_label = _("All cities")


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
