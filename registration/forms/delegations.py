"""Forms for delegations: creating one, its teams, invitations and entries."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import City
from registration.enums import (
    DelegationKind,
    MembershipRole,
)
from registration.models import Athlete
from registration.selectors.delegations import events_open_for_registration, programmes_open_for_registration
from registration.selectors.eligibility import candidates_for_team


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


class EntryForm(forms.Form):
    """Pick an athlete: those the eligibility engine accepts first, then the others, each labelled
    with the engine's reasons (`candidates` keeps them for the page's list)."""

    athlete = forms.ModelChoiceField(queryset=None, label=_("Athlete"))

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates_for_team(team)
        field = self.fields["athlete"]
        field.queryset = Athlete.objects.filter(delegation_id=team.delegation_id).only(
            "pk", "family_name_zh", "given_name_zh", "name_latin"
        )
        eligible = [(c.athlete.pk, c.athlete.display_name) for c in self.candidates if c.eligible]
        others = [
            (c.athlete.pk, f"{c.athlete.display_name} — {c.reasons}")
            for c in self.candidates
            if not c.eligible
        ]
        field.choices = [("", "---------")]
        if eligible:
            field.choices += [(_("Eligible"), eligible)]
        if others:
            field.choices += [(_("Not eligible"), others)]

    @property
    def ineligible(self) -> list:
        return [c for c in self.candidates if not c.eligible]
