"""The organiser's form for one event's eligibility rules (what `services.eligibility` saves)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from registration.enums import GRADE_ORDER, AgeRuleKind, AthleteGrade, SexAllowed
from registration.models import EventEligibility
from registration.services.eligibility import EligibilityData

YEAR = {"min_value": 1950, "max_value": 2100, "required": False}
AGE = {"min_value": 0, "max_value": 99, "required": False}
COUNT = {"min_value": 1, "max_value": 500, "required": False}


class EligibilityForm(forms.Form):
    age_rule = forms.ChoiceField(label=_("Age rule"), choices=AgeRuleKind.choices)
    min_birth_year = forms.IntegerField(
        label=_("Earliest birth year"), help_text=_("Oldest athletes allowed, e.g. 2014 for U12."), **YEAR
    )
    max_birth_year = forms.IntegerField(
        label=_("Latest birth year"), help_text=_("Youngest athletes allowed."), **YEAR
    )
    min_age = forms.IntegerField(label=_("Minimum age"), **AGE)
    max_age = forms.IntegerField(label=_("Maximum age"), **AGE)
    reference_date = forms.DateField(
        label=_("Age on date"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the event's first day."),
    )  # fmt: skip
    cutoff_month = forms.IntegerField(
        label=_("Season cut-off month"), min_value=1, max_value=12, required=False
    )
    cutoff_day = forms.IntegerField(label=_("Season cut-off day"), min_value=1, max_value=31, required=False)
    allow_playing_up = forms.BooleanField(label=_("Allow playing up"), required=False)
    playing_up_groups = forms.IntegerField(
        label=_("Groups an athlete may play up"), min_value=1, max_value=5, initial=1
    )
    group_span_years = forms.IntegerField(
        label=_("Years per age group"), min_value=1, max_value=10, initial=2
    )
    sex_allowed = forms.ChoiceField(label=_("Sex allowed"), choices=SexAllowed.choices)
    min_grade = forms.ChoiceField(
        label=_("Lowest technical grade"),
        choices=[("", _("Any grade")), *AthleteGrade.choices],
        required=False,
    )
    max_grade = forms.ChoiceField(
        label=_("Highest technical grade"),
        choices=[("", _("Any grade")), *AthleteGrade.choices],
        required=False,
        help_text=_("Amateur and youth divisions often allow no grade above second."),
    )
    roster_min = forms.IntegerField(label=_("Minimum roster"), **COUNT)
    roster_max = forms.IntegerField(label=_("Maximum roster"), **COUNT)
    max_events_per_athlete = forms.IntegerField(
        label=_("Maximum events per athlete"),
        help_text=_("Counted across the programme; empty for no limit."),
        **COUNT,
    )

    def clean(self):
        data = super().clean()
        rule = data.get("age_rule")
        pairs = (
            ("min_birth_year", "max_birth_year", _("The latest birth year cannot be before the earliest.")),
            ("min_age", "max_age", _("The maximum age cannot be below the minimum age.")),
            ("roster_min", "roster_max", _("The maximum roster cannot be below the minimum.")),
        )
        for low, high, message in pairs:
            if data.get(low) is not None and data.get(high) is not None and data[high] < data[low]:
                self.add_error(high, message)
        low_grade, high_grade = data.get("min_grade"), data.get("max_grade")
        if low_grade and high_grade and GRADE_ORDER[high_grade] < GRADE_ORDER[low_grade]:
            self.add_error("max_grade", _("The highest grade cannot be below the lowest."))
        if (
            rule == AgeRuleKind.BIRTH_YEAR_WINDOW
            and data.get("min_birth_year") is None
            and data.get("max_birth_year") is None
        ):
            self.add_error(
                "min_birth_year", _("A birth-year window needs an earliest or a latest birth year.")
            )
        if (
            rule in (AgeRuleKind.AGE_ON_DATE, AgeRuleKind.SEASON_CUTOFF)
            and data.get("min_age") is None
            and data.get("max_age") is None
        ):
            self.add_error("min_age", _("An age rule needs a minimum or a maximum age."))
        if rule == AgeRuleKind.SEASON_CUTOFF and (
            data.get("cutoff_month") is None or data.get("cutoff_day") is None
        ):
            self.add_error("cutoff_month", _("A season cut-off needs a month and a day."))
        return data

    def data_object(self) -> EligibilityData:
        return EligibilityData(**self.cleaned_data)

    @classmethod
    def initial_for(cls, rules: EventEligibility | None) -> dict:
        if rules is None:
            return {"age_rule": AgeRuleKind.NONE, "sex_allowed": SexAllowed.FROM_CATEGORY}
        return {name: getattr(rules, name) for name in cls.base_fields}
