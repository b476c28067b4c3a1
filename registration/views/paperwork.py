"""An athlete's consent and safety paperwork, for the delegation's managers (and organisers, read-only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.mail import site_url
from registration.enums import AthleteAccessKind
from registration.errors import RegistrationError
from registration.forms.paperwork import (
    DeclarationForm,
    HealthForm,
    InsuranceForm,
    PaperConsentForm,
)
from registration.models import (
    ConsentMethod,
    Guardian,
)
from registration.selectors import athletes as athlete_selectors
from registration.selectors import paperwork as paperwork_selectors
from registration.services import athletes as athlete_services
from registration.services import consent as consent_services

MANAGE = "registration.manage_delegation"


@login_required
def athlete_paperwork(request, pk):
    """Record consent given on paper, the declaration, insurance and the health certificate date.
    Managers (and organisers, read-only) only: coaches and chaperones see the roster, not a child's
    consents and paperwork."""
    athlete = athlete_selectors.athlete_get_for_user(request.user, pk, perm="registration.view_documents")
    athlete_services.athlete_access_log(athlete=athlete, user=request.user, kind=AthleteAccessKind.PAPERWORK)
    can_manage = request.user.has_perm(MANAGE, athlete)
    forms = {
        "consent": PaperConsentForm(prefix="consent"),
        "declaration": DeclarationForm(prefix="declaration"),
        "insurance": InsuranceForm(prefix="insurance"),
        "health": HealthForm(prefix="health"),
    }
    if request.method == "POST":
        if not can_manage:
            raise Http404
        which = request.POST.get("form")
        if which in forms:
            form = type(forms[which])(request.POST, prefix=which)
            forms[which] = form
            if form.is_valid() and _save_paperwork(request, athlete, which, form):
                messages.success(request, _("Saved."))
                return redirect("registration:athlete-paperwork", pk=athlete.pk)
    context = {
        "athlete": athlete,
        "forms": forms,
        "can_manage": can_manage,
        "consents": paperwork_selectors.consents_for_athlete(athlete),
        "guardians": athlete.guardians.all(),
        "entry_rows": [
            (entry, paperwork_selectors.paperwork_missing(athlete, entry.event))
            for entry in athlete.entries.exclude(status="withdrawn").select_related("event")
        ],
    }
    return render(request, "registration/athlete_paperwork.html", context)


def _save_paperwork(request, athlete, which, form) -> bool:
    data = form.cleaned_data
    try:
        if which == "consent":
            for purpose, granted in form.choices().items():
                consent_services.consent_record(
                    athlete=athlete,
                    purpose=purpose,
                    given_by=data["given_by"],
                    granted=granted,
                    method=ConsentMethod.PAPER,
                    user=request.user,
                )
        elif which == "declaration":
            consent_services.declaration_record(athlete=athlete, user=request.user, **data)
        elif which == "insurance":
            consent_services.insurance_record(athlete=athlete, user=request.user, **data)
        else:
            consent_services.health_record(athlete=athlete, **data)
    except RegistrationError as error:
        form.add_error(None, str(error))
        return False
    return True


@login_required
@require_POST
def consent_withdraw(request, pk, consent_pk):
    athlete = athlete_selectors.athlete_get_for_user(request.user, pk, perm=MANAGE)
    record = athlete.consents.filter(pk=consent_pk).first()
    if record is None:
        raise Http404
    try:
        consent_services.consent_withdraw(consent=record, user=request.user)
    except RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("registration:athlete-paperwork", pk=athlete.pk)


@login_required
@require_POST
def consent_link_send(request, pk, guardian_pk):
    athlete = athlete_selectors.athlete_get_for_user(request.user, pk, perm=MANAGE)
    guardian = Guardian.objects.filter(pk=guardian_pk, athlete=athlete).first()
    if guardian is None:
        raise Http404
    try:
        consent_services.consent_link_send(
            athlete=athlete,
            guardian=guardian,
            user=request.user,
            language=request.LANGUAGE_CODE,
            build_url=lambda token: site_url(reverse("registration:consent-link", kwargs={"token": token})),
        )
    except RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The consent link was emailed to the guardian."))
    return redirect("registration:athlete-paperwork", pk=athlete.pk)
