"""The organiser's form to attest an athlete's document: how it was checked, an optional short note,
and an explicit confirmation. There is no file field: the document is seen, never uploaded."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from registration.models import ATTESTATION_NOTE_MAX, AttestationMethod


class AttestationForm(forms.Form):
    method = forms.ChoiceField(label=_("How did you check the document?"), choices=AttestationMethod.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=ATTESTATION_NOTE_MAX,
        help_text=_("Optional. Never write the document number here."),
    )
    confirmed = forms.BooleanField(
        label=_(
            "I checked the original document myself: it belongs to this athlete and matches the name, "
            "birth date and last four characters on record."
        ),
        required=True,
    )
