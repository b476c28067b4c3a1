"""Public pages for guardians: the one-time consent link and the published rules for children's data."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from registration.errors import RegistrationError
from registration.forms.paperwork import (
    PurposeChoicesForm,
)
from registration.models import (
    ConsentPurpose,
)
from registration.selectors import paperwork as paperwork_selectors
from registration.services import consent as consent_services


@never_cache
def consent_link(request, token):
    """Public (no login): the guardian sees the child's name, the rules and the purposes, nothing else."""
    try:
        link = consent_services.consent_link_get(token=token)
    except RegistrationError as error:
        return render(request, "registration/consent_link.html", {"error": str(error)}, status=404)
    form = PurposeChoicesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_services.consent_link_submit(token=token, choices=form.choices())
        except RegistrationError as error:
            return render(request, "registration/consent_link.html", {"error": str(error)}, status=404)
        return render(request, "registration/consent_link.html", {"thanks": True})
    context = {
        "child": link.athlete.display_name,
        "form": form,
        "rules_text": paperwork_selectors.rules_text_current(),
        "required": ConsentPurpose.REGISTRATION,
    }
    return render(request, "registration/consent_link.html", context)


def consent_rules(request):
    """The published rules for children's personal data, every version (public)."""
    return render(
        request, "registration/consent_rules.html", {"texts": paperwork_selectors.rules_texts_published()}
    )
