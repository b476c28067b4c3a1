"""Forms of the organiser's schedule pages: move a match, solve, publish, delay, contingency plans."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from events.enums import SolveBuilder

TZ = ZoneInfo("Asia/Shanghai")


class MoveForm(forms.Form):
    """Where to put a match: a resource of the programme and a start (Beijing time)."""

    match = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    resource = forms.IntegerField(label=_("Piste, court or lane"), min_value=1)
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    pin = forms.BooleanField(label=_("Pin it here"), required=False)

    def clean_starts_at(self) -> dt.datetime:
        value = self.cleaned_data["starts_at"]
        # A datetime-local has no zone: it is Beijing time, whatever the server's zone.
        return value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)


class SolveForm(forms.Form):
    builder = forms.ChoiceField(label=_("Builder"), choices=SolveBuilder.choices, initial=SolveBuilder.GREEDY)
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=1,
        max_value=120,
        initial=10,
        help_text=_("Only for optimising; the quick draft takes a moment."),
    )


class PublishForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class DelayForm(forms.Form):
    delay_minutes = forms.IntegerField(label=_("Delay (minutes)"), min_value=1, max_value=24 * 60)
    resources = forms.TypedMultipleChoiceField(
        label=_("Delayed pistes, courts or lanes"),
        coerce=str,
        required=False,
        help_text=_("None chosen: every one is delayed."),
    )

    def __init__(self, *args, resources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resources"].choices = list(resources)


class PlanForm(forms.Form):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)


class DiffForm(forms.Form):
    a = forms.IntegerField(label=_("From version"), min_value=1)
    b = forms.IntegerField(label=_("To version"), min_value=1)
