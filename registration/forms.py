"""Forms for delegation managers and organisers. They parse and validate; services write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from events.models import City
from registration.eligibility import age_on
from registration.enums import (
    AthleteSex,
    DelegationKind,
    DocumentType,
    GuardianRelationship,
    MembershipRole,
    RevealPurpose,
)
from registration.selectors import events_open_for_registration, programmes_open_for_registration
from registration.services import AthleteData, GuardianData
from registration.validators import GB11643_TYPES, validate_document

ADULT_AGE = 18


class DelegationForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=None, label=_("Programme"))
    city = forms.ModelChoiceField(queryset=City.objects.all(), label=_("City"))
    kind = forms.ChoiceField(choices=DelegationKind.choices, label=_("Kind"))
    name_zh = forms.CharField(max_length=120, label=_("Name (Chinese)"))
    name_en = forms.CharField(max_length=120, required=False, label=_("Name (English)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes_open_for_registration()


class TeamForm(forms.Form):
    event = forms.ModelChoiceField(queryset=None, label=_("Event"))
    name = forms.CharField(max_length=120, label=_("Team name"))

    def __init__(self, *args, delegation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events_open_for_registration(delegation.programme)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(choices=MembershipRole.choices, label=_("Role"))
    language = forms.ChoiceField(
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        label=_("Language of the email"),
        help_text=_("Used when the person has no Corridor account yet."),
    )


class AthleteForm(forms.Form):
    family_name_zh = forms.CharField(max_length=40, required=False, label=_("Family name (Chinese)"))
    given_name_zh = forms.CharField(max_length=40, required=False, label=_("Given name (Chinese)"))
    name_latin = forms.CharField(
        max_length=120, label=_("Name in Latin letters"), help_text=_("As on the passport, e.g. ZHANG Wei.")
    )
    sex = forms.ChoiceField(choices=AthleteSex.choices, label=_("Sex"))
    birth_date = forms.DateField(label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}))
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
    guardian_relationship = forms.ChoiceField(
        choices=GuardianRelationship.choices, required=False, label=_("Relationship")
    )
    guardian_phone = forms.CharField(max_length=30, required=False, label=_("Guardian's phone"))
    guardian_email = forms.EmailField(required=False, label=_("Guardian's email"))
    guardian2_name = forms.CharField(max_length=80, required=False, label=_("Second guardian's name"))
    guardian2_relationship = forms.ChoiceField(
        choices=GuardianRelationship.choices, required=False, label=_("Relationship")
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
                "document_type",
                "emergency_contact_name",
                "emergency_contact_phone",
            )
        }
        for prefix, guardian in zip(("guardian", "guardian2"), athlete.guardians.all(), strict=False):
            for part in ("name", "relationship", "phone", "email"):
                initial[f"{prefix}_{part}"] = getattr(guardian, part)
        return initial


class EntryForm(forms.Form):
    athlete = forms.ModelChoiceField(queryset=None, label=_("Athlete"))

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        from registration.models import Athlete

        self.fields["athlete"].queryset = Athlete.objects.filter(delegation_id=team.delegation_id).only(
            "pk", "family_name_zh", "given_name_zh", "name_latin"
        )


class RevealForm(forms.Form):
    purpose = forms.ChoiceField(choices=RevealPurpose.choices, label=_("Purpose"))
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=500, label=_("Reason"), strip=True
    )
    confirm = forms.BooleanField(
        label=_("I need the full number for this purpose, and I understand this reveal is logged."),
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"), help_text=_("Use the template; at most 2000 rows."))

    def __init__(self, *args, too_large: bool = False, **kwargs):
        """`too_large`: the upload handler stopped reading past the size limit (no file arrived)."""
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        if too_large:
            self.fields["file"].required = False

    def clean(self):
        if self.too_large:
            raise ValidationError({"file": _("The file is larger than 5 MB.")})
        return super().clean()


class ImportConfirmForm(forms.Form):
    import_valid_only = forms.BooleanField(
        required=False, label=_("Import only the valid rows and leave the rows with errors out")
    )
