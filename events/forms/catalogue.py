"""Forms of the public catalogue pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from events.enums import Discipline
from events.models import City
from events.selectors.catalogue import WHEN_PAST, WHEN_UPCOMING, EventFilter


class EventFilterForm(forms.Form):
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All cities"),
    )
    discipline = forms.ChoiceField(label=_("Discipline"), required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[(WHEN_UPCOMING, _("On now and upcoming")), (WHEN_PAST, _("Past events"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discipline"].choices = [("", _("All disciplines")), *Discipline.choices]

    def to_filter(self, programme=None) -> EventFilter:
        data = self.cleaned_data if self.is_valid() else {}
        city = data.get("city")
        return EventFilter(
            city=city.slug if city else "",
            discipline=data.get("discipline") or "",
            date=data.get("date"),
            programme=programme,
            when=data.get("when") or WHEN_UPCOMING,
        )
