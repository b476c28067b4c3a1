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


class TravelMatrixForm(forms.Form):
    """The travel matrix in one form: a field per pair of the programme's cities (a city to itself is
    travel between two of its venues) and per pair of venues (a venue to itself is 0, no field).
    Symmetric: one field per pair, read both ways; `each_way`: one field per direction."""

    each_way = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, table, each_way: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        self.each_way = each_way
        self.fields["each_way"].initial = each_way
        for prefix, places, stored, diagonal in (
            ("city", table.cities, table.city_minutes, True),
            ("venue", table.venues, table.venue_minutes, False),
        ):
            for i, a in enumerate(places):
                for j, b in enumerate(places):
                    if (i == j and not diagonal) or (j < i and not each_way):
                        continue
                    value = stored.get((a.pk, b.pk)) if each_way else table.minutes(stored, a.pk, b.pk)
                    if each_way and value is None:
                        value = stored.get((b.pk, a.pk))
                    self.fields[f"{prefix}_{a.pk}_{b.pk}"] = forms.IntegerField(
                        label=_("From %(from)s to %(to)s (minutes)") % {"from": a.name, "to": b.name},
                        min_value=0,
                        max_value=24 * 60,
                        required=False,
                        initial=value,
                        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "minutes"}),
                    )

    def pairs(self, prefix: str) -> dict[tuple[int, int], int | None]:
        found = {}
        for name, value in self.cleaned_data.items():
            if name.startswith(prefix + "_"):
                _kind, a, b = name.split("_")
                found[(int(a), int(b))] = value
        return found

    def rows(self, prefix: str, places, defaults) -> list[dict]:
        """The matrix for the template: a row per place, a cell per place (a field, 0 or a mirror)."""
        rows = []
        for i, a in enumerate(places):
            cells = []
            for j, b in enumerate(places):
                name = f"{prefix}_{a.pk}_{b.pk}"
                if name in self.fields:
                    bound = self[name]
                    # The placeholder shows what applies when the cell is left empty.
                    widget = bound.as_widget(attrs={"placeholder": defaults(a, b)})
                    cells.append({"kind": "field", "field": bound, "widget": widget})
                elif i == j:
                    cells.append({"kind": "fixed", "minutes": 0})
                else:
                    cells.append({"kind": "mirror"})
            rows.append({"place": a, "cells": cells})
        return rows


class AgeBandLimitForm(forms.Form):
    """Children's limits for one age band: at most so many matches a day, within start hours."""

    band = forms.ChoiceField(label=_("Age band"))
    max_matches_per_day = forms.IntegerField(
        label=_("Matches per day at most"),
        min_value=1,
        max_value=50,
        required=False,
        help_text=_("Counted per child across every event. Empty: no limit."),
    )
    earliest_start = forms.TimeField(
        label=_("Earliest start"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    latest_start = forms.TimeField(
        label=_("Latest start"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("No match of this band starts after it. Empty: the venue's hours apply."),
    )

    def __init__(self, *args, bands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["band"].choices = [(band, band) for band in bands]

    def clean(self):
        data = super().clean()
        earliest, latest = data.get("earliest_start"), data.get("latest_start")
        if earliest is not None and latest is not None and latest <= earliest:
            self.add_error("latest_start", _("The earliest start must come before the latest start."))
        return data
