"""Forms for the entry workflow: reasons, substitutions, decisions and paying entry fees."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from registration.models import FeePart


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
