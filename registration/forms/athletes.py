"""Forms for an athlete's record (with document validation) and for an organiser's reveal request.
They parse and validate; services write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from registration.enums import (
    AthleteGrade,
    AthleteSex,
    DocumentType,
    GuardianRelationship,
    RevealPurpose,
)
from registration.selectors.eligibility import age_on
from registration.services.athletes import AthleteData, GuardianData
from registration.validators import GB11643_TYPES, validate_document

ADULT_AGE = 18


RELATIONSHIP_CHOICES = [("", _("— choose —")), *GuardianRelationship.choices]


class AthleteForm(forms.Form):
    family_name_zh = forms.CharField(max_length=40, required=False, label=_("Family name (Chinese)"))
    given_name_zh = forms.CharField(max_length=40, required=False, label=_("Given name (Chinese)"))
    name_latin = forms.CharField(
        max_length=120, label=_("Name in Latin letters"), help_text=_("As on the passport, e.g. ZHANG Wei.")
    )
    sex = forms.ChoiceField(choices=AthleteSex.choices, label=_("Sex"))
    birth_date = forms.DateField(label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}))
    grade = forms.ChoiceField(
        choices=AthleteGrade.choices, initial=AthleteGrade.NONE, required=False, label=_("Technical grade")
    )
    document_type = forms.ChoiceField(choices=DocumentType.choices, label=_("Document type"))
    document_number = forms.CharField(
        max_length=40,
        label=_("Document number"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    photo = forms.ImageField(required=False, label=_("Photo (optional)"))
    emergency_contact_name = forms.CharField(max_length=80, label=_("Emergency contact"))
    emergency_contact_phone = forms.CharField(max_length=30, label=_("Emergency contact phone"))
    guardian_name = forms.CharField(max_length=80, required=False, label=_("Guardian's name"))
    # An empty first choice: a browser shows the first option as chosen, so without it an untouched
    # optional second guardian looked half filled in ("mother") and the form refused it.
    guardian_relationship = forms.ChoiceField(
        choices=RELATIONSHIP_CHOICES, required=False, label=_("Relationship")
    )
    guardian_phone = forms.CharField(max_length=30, required=False, label=_("Guardian's phone"))
    guardian_email = forms.EmailField(required=False, label=_("Guardian's email"))
    guardian2_name = forms.CharField(max_length=80, required=False, label=_("Second guardian's name"))
    guardian2_relationship = forms.ChoiceField(
        choices=RELATIONSHIP_CHOICES, required=False, label=_("Relationship")
    )
    guardian2_phone = forms.CharField(max_length=30, required=False, label=_("Second guardian's phone"))
    guardian2_email = forms.EmailField(required=False, label=_("Second guardian's email"))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            self.fields["document_number"].required = False
            self.fields["document_number"].help_text = _("Leave empty to keep the stored number.")

    @sensitive_variables()
    def clean(self):
        cleaned = super().clean()
        birth_date, sex = cleaned.get("birth_date"), cleaned.get("sex")
        number = cleaned.get("document_number", "")
        if birth_date and birth_date > timezone.localdate():
            self.add_error("birth_date", _("The birth date cannot be in the future."))
        if self.editing and not number and self._identity_changed():
            # The stored number is only checked when it is entered: without this, an edit could give
            # the athlete a birth date or sex the ID number contradicts (and so a younger age group).
            self.add_error(
                "document_number",
                _("Re-enter the document number to change the birth date, sex or document type."),
            )
        elif number or not self.editing:
            try:
                cleaned["document_number"] = validate_document(
                    document_type=cleaned.get("document_type", ""),
                    number=number,
                    birth_date=birth_date,
                    sex=sex,
                )
            except ValidationError as error:
                self.add_error("document_number", error)
        if birth_date and age_on(birth_date, timezone.localdate()) < ADULT_AGE:
            for name in ("guardian_name", "guardian_relationship", "guardian_phone"):
                if not cleaned.get(name):
                    self.add_error(name, _("Athletes under 18 need a guardian."))
        for prefix in ("guardian2",):
            given = [cleaned.get(f"{prefix}_{part}") for part in ("name", "relationship", "phone")]
            if any(given) and not all(given):
                self.add_error(
                    f"{prefix}_name", _("Give the second guardian's name, relationship and phone.")
                )
        return cleaned

    def _identity_changed(self) -> bool:
        """Did the edit touch what the stored number vouches for? Birth date and sex only matter for
        numbers that encode them; a new document type always needs its number."""
        watched = {"document_type"}
        if self.initial.get("document_type") in GB11643_TYPES:
            watched |= {"birth_date", "sex"}
        return bool(watched & set(self.changed_data))

    @sensitive_variables()
    def athlete_data(self) -> AthleteData:
        data = self.cleaned_data
        guardians = [
            GuardianData(
                name=data[f"{prefix}_name"],
                relationship=data[f"{prefix}_relationship"],
                phone=data[f"{prefix}_phone"],
                email=data[f"{prefix}_email"],
            )
            for prefix in ("guardian", "guardian2")
            if data.get(f"{prefix}_name")
        ]
        return AthleteData(
            family_name_zh=data["family_name_zh"],
            given_name_zh=data["given_name_zh"],
            name_latin=data["name_latin"],
            sex=data["sex"],
            birth_date=data["birth_date"],
            grade=data.get("grade") or AthleteGrade.NONE,
            document_type=data["document_type"],
            document_number=data.get("document_number", ""),
            emergency_contact_name=data["emergency_contact_name"],
            emergency_contact_phone=data["emergency_contact_phone"],
            guardians=guardians,
        )

    @classmethod
    def initial_for(cls, athlete) -> dict:
        initial = {
            name: getattr(athlete, name)
            for name in (
                "family_name_zh",
                "given_name_zh",
                "name_latin",
                "sex",
                "birth_date",
                "grade",
                "document_type",
                "emergency_contact_name",
                "emergency_contact_phone",
            )
        }
        for prefix, guardian in zip(("guardian", "guardian2"), athlete.guardians.all(), strict=False):
            for part in ("name", "relationship", "phone", "email"):
                initial[f"{prefix}_{part}"] = getattr(guardian, part)
        return initial


class RevealForm(forms.Form):
    purpose = forms.ChoiceField(choices=RevealPurpose.choices, label=_("Purpose"))
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=500, label=_("Reason"), strip=True
    )
    confirm = forms.BooleanField(
        label=_("I need the full number for this purpose, and I understand this reveal is logged."),
    )
