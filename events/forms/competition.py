"""Forms of the organiser's competition page: drawing the pools and the tableau, entering a bout result."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PoolsDrawForm(forms.Form):
    max_size = forms.TypedChoiceField(
        label=_("Largest pool"),
        choices=[(7, "7"), (6, "6"), (5, "5")],
        coerce=int,
        initial=7,
        help_text=_("Pools of 7 for an open event; 5 or 6 for a local one."),
    )


class TableauDrawForm(forms.Form):
    cut_percent = forms.IntegerField(
        label=_("Cut after the pools (%)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Leave empty to let every fencer through."),
    )


class BoutResultForm(forms.Form):
    left_score = forms.IntegerField(
        label=_("Left"), min_value=0, max_value=99, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    right_score = forms.IntegerField(
        label=_("Right"), min_value=0, max_value=99, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    priority = forms.ChoiceField(
        label=_("Won on priority"),
        required=False,
        choices=[("", _("Not needed")), ("left", _("Left")), ("right", _("Right"))],
    )
