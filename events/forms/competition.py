"""Forms of competitions: drawing pools, tableaux, games and races; entering a bout, game or race result
(the organiser's page and the referee's phone page)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.enums import GameRules, LaneStatus


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


class GameResultForm(forms.Form):
    """A game's score (home, away); a drawn knockout game names who won on penalties. (A fencing team
    match is scored relay by relay: `RelayResultForm`.)"""

    left_score = forms.IntegerField(
        label=pgettext_lazy("team", "Home"), min_value=0, max_value=999, required=False
    )
    right_score = forms.IntegerField(
        label=pgettext_lazy("team", "Away"), min_value=0, max_value=999, required=False
    )
    winner = forms.ChoiceField(
        label=_("Won on penalties"),
        required=False,
        choices=[
            ("", _("Not needed")),
            ("home", pgettext_lazy("team", "Home")),
            ("away", pgettext_lazy("team", "Away")),
        ],
    )

    def clean(self):
        data = super().clean()
        if data.get("left_score") is None or data.get("right_score") is None:
            raise forms.ValidationError(_("Enter both scores as whole numbers."))
        return data


def parse_race_time(text: str) -> int:
    """ "2:05.31" or "125.31" (seconds) to milliseconds; ValueError when it is neither."""
    text = text.strip().replace("：", ":").replace("，", ".")
    minutes, _sep, seconds = text.rpartition(":")
    total = (int(minutes) * 60 if minutes else 0) + float(seconds)
    if not 0 < total < 3600 or (minutes and float(seconds) >= 60):
        raise ValueError(text)
    return round(total * 1000)


class RaceResultForm(forms.Form):
    """A race's result lane by lane: a time (m:ss.xx or seconds) and how the crew finished."""

    def __init__(self, *args, lanes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lane_numbers = [ln.lane for ln in lanes if ln.competitor_id]
        for number in self.lane_numbers:
            self.fields[f"lane_{number}_time"] = forms.CharField(
                label=_("Lane %(lane)s time") % {"lane": number}, required=False, max_length=12
            )
            self.fields[f"lane_{number}_finish"] = forms.ChoiceField(
                label=_("Lane %(lane)s finish") % {"lane": number},
                choices=LaneStatus.choices,
                initial=LaneStatus.FINISHED,
            )

    def clean(self):
        data = super().clean()
        finishes = {}
        for number in self.lane_numbers:
            text = (data.get(f"lane_{number}_time") or "").strip()
            try:
                time_ms = parse_race_time(text) if text else None
            except ValueError:
                raise forms.ValidationError(
                    _("Lane %(lane)s: enter the time as 2:05.31 or 125.31 seconds.") % {"lane": number}
                ) from None
            finishes[number] = (time_ms, data.get(f"lane_{number}_finish") or "")
        data["finishes"] = finishes
        return data


class GamesDrawForm(forms.Form):
    rules = forms.ChoiceField(label=_("Rules and tie-breakers"), choices=[])
    groups = forms.IntegerField(
        label=_("Groups"),
        min_value=0,
        max_value=16,
        initial=2,
        help_text=_("0 for a knockout only; 1 for one round robin; 2, 4 or 8 for groups then cross-overs."),
    )
    cycles = forms.TypedChoiceField(
        label=_("Round robin"), choices=[(1, _("Single")), (2, _("Double"))], coerce=int, initial=1
    )
    knockout = forms.BooleanField(label=_("Knockout after the groups"), required=False, initial=True)
    places = forms.TypedChoiceField(
        label=_("Places played for"),
        choices=[(2, _("Final only")), (4, _("Final and third place")), (8, _("Places 1 to 8"))],
        coerce=int,
        initial=4,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The fencing team relay is drawn from a team event's own screen (TeamDrawForm), never here.
        self.fields["rules"].choices = [c for c in GameRules.choices if c[0] != GameRules.FENCING_TEAM]


class RacesDrawForm(forms.Form):
    lanes = forms.TypedChoiceField(
        label=_("Lanes"), choices=[(4, "4"), (6, "6"), (9, "9")], coerce=int, initial=6
    )
    course_record = forms.CharField(
        label=_("Course record"),
        required=False,
        max_length=12,
        help_text=_("As 2:05.31; a time faster than half of it is refused."),
    )

    def clean_course_record(self):
        text = self.cleaned_data["course_record"].strip()
        if not text:
            return None
        try:
            return parse_race_time(text)
        except ValueError:
            raise forms.ValidationError(_("Enter the time as 2:05.31 or 125.31 seconds.")) from None


class TeamDrawForm(forms.Form):
    """A fencing team event's direct-elimination table between its teams."""

    places = forms.TypedChoiceField(
        label=_("Places fenced for"),
        choices=[(2, _("Final only")), (4, _("Final and third place")), (8, _("Places 1 to 8"))],
        coerce=int,
        initial=4,
    )


class RelayResultForm(forms.Form):
    """A fencing team match relay by relay: each team's running score at the end of each of the nine
    relays (as the scoresheet keeps it), and the team that won on priority at equal touches."""

    RELAYS = 9

    priority = forms.ChoiceField(label=_("Won on priority"), required=False)  # the teams: `__init__`

    def __init__(self, *args, home: str = "", away: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, self.RELAYS + 1):
            for side, team in (("home", home), ("away", away)):
                self.fields[f"{side}_{number}"] = forms.IntegerField(
                    label=_("Relay %(number)s: %(team)s") % {"number": number, "team": team},
                    min_value=0,
                    max_value=45,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "relay-score"}),
                )
        self.fields["priority"].choices = [("", _("Not needed")), ("home", home), ("away", away)]

    @classmethod
    def for_match(cls, match, data=None, **kwargs) -> RelayResultForm:
        """The form of one relay match: its teams' names, and the running scores already recorded."""
        relays = match.detail.get("relays") or [[], []]
        initial = {f"home_{n}": score for n, score in enumerate(relays[0], start=1)}
        initial |= {f"away_{n}": score for n, score in enumerate(relays[1], start=1)}
        return cls(
            data, initial=initial, home=match.left.display_name, away=match.right.display_name, **kwargs
        )

    def relay_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(n, self[f"home_{n}"], self[f"away_{n}"]) for n in range(1, self.RELAYS + 1)]

    def clean(self):
        data = super().clean()
        if self.errors:  # a score out of range says so itself; read as empty it would add "enter both"
            return data
        pairs = [(data.get(f"home_{n}"), data.get(f"away_{n}")) for n in range(1, self.RELAYS + 1)]
        while pairs and pairs[-1] == (None, None):
            pairs.pop()  # relays not fenced yet
        for number, pair in enumerate(pairs, start=1):
            if None in pair:
                raise forms.ValidationError(
                    _("Relay %(number)s: enter both teams' running scores.") % {"number": number}
                )
        home = [h for h, _a in pairs]
        away = [a for _h, a in pairs]
        if not home:
            raise forms.ValidationError(_("Enter the running score of each relay."))
        data["relays"] = (home, away)
        data["winner"] = data.get("priority") or None
        return data


class TeamLineupForm(forms.Form):
    """One team's order for a relay match: which of its fencers hold positions 1, 2 and 3 (the home
    team) or 4, 5 and 6 (away), chosen from the team's fencers by name. Prefixed "home" or "away", so
    both teams' forms share the relay page; the order itself is checked by `team_lineup_set`."""

    POSITIONS = 3

    def __init__(self, *args, members: dict[str, str], first: int, order=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.stale = any(key not in members for key in order)  # someone left the team since it was given
        choices = [("", _("Choose a fencer")), *sorted(members.items(), key=lambda item: (item[1], item[0]))]
        for index in range(self.POSITIONS):
            self.fields[f"position_{index + 1}"] = forms.ChoiceField(
                label=_("Position %(number)s") % {"number": first + index},
                choices=choices,
                initial=order[index] if index < len(order) else "",
            )

    def clean(self):
        data = super().clean()
        data["order"] = [data.get(f"position_{index + 1}") or "" for index in range(self.POSITIONS)]
        return data
