"""The organiser's eligibility rules of one event, previewed before saving: "these N entries would
become ineligible", listed by name. Reading those names is an outsider's read of the athletes, so
it is logged (`athletes_access_log`) like the review queue. Under /organiser/ (two-factor); an event
of another programme is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from events.models import Event
from events.permissions import get_for_user_or_404
from registration.enums import AthleteAccessKind
from registration.errors import EligibilityRulesError
from registration.forms.eligibility import EligibilityForm
from registration.models import EventEligibility
from registration.selectors.eligibility import eligibility_preview
from registration.services import athletes as athlete_services
from registration.services import eligibility as eligibility_services


def _log_names(request, refused) -> None:
    athlete_services.athletes_access_log(
        athletes=[entry.athlete for entry, _reasons in refused],
        user=request.user,
        kind=AthleteAccessKind.ROSTER,
    )


@login_required
def eligibility(request, slug: str):
    """GET: the rules and the entries they refuse now. POST "preview": what the submitted rules
    would refuse, nothing saved. POST "save": save, then the same list, now flagged for review."""
    event = get_for_user_or_404(Event.objects.all(), user=request.user, perm="events.manage_event", slug=slug)
    current = EventEligibility.objects.filter(event=event).first()
    form = EligibilityForm(request.POST or None, initial=EligibilityForm.initial_for(current))
    previewing = request.method == "POST" and "save" not in request.POST
    refused = eligibility_preview(event, current) if current is not None and not form.is_bound else []
    if form.is_bound and form.is_valid():
        data = form.data_object()
        if previewing:
            refused = eligibility_preview(event, data.as_rules(event))
        else:
            try:
                _rules, refused = eligibility_services.eligibility_save(event=event, data=data)
            except EligibilityRulesError as error:
                form.add_error(None, str(error))
            else:
                _log_names(request, refused)
                messages.success(request, _saved_message(len(refused)))
                return redirect("registration:eligibility", slug=event.slug)
    _log_names(request, refused)
    context = {"event": event, "form": form, "refused": refused, "previewing": previewing, "current": current}
    return render(request, "registration/eligibility_rules.html", context, status=400 if form.errors else 200)


def _saved_message(count: int) -> str:
    return ngettext(
        "Rules saved. %(count)d entry is now ineligible and flagged in the review queue.",
        "Rules saved. %(count)d entries are now ineligible and flagged in the review queue.",
        count,
    ) % {"count": count}
