"""Manager pages for paperwork, submission, substitutions, the waitlist and entry fees; the public
guardian consent link and the published rules for children's data. Thin: services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from registration import consent, fees, selectors, services, workflow
from registration.enums import AthleteAccessKind
from registration.errors import RegistrationError
from registration.forms_workflow import (
    DeclarationForm,
    FeePayForm,
    HealthForm,
    InsuranceForm,
    PaperConsentForm,
    PurposeChoicesForm,
    SubstitutionForm,
)
from registration.models import (
    Athlete,
    ConsentMethod,
    ConsentPurpose,
    Entry,
    Guardian,
    WaitlistPlace,
)

MANAGE = "registration.manage_delegation"


def _team_rows(team):
    """Each entry with its athlete's missing items (fixed number of queries for any roster size)."""
    entries = list(
        Entry.objects.filter(team=team)
        .exclude(status="withdrawn")
        .select_related("event", "waitlist_place")
        .order_by("pk")
    )
    athletes = {
        athlete.pk: athlete
        for athlete in consent.with_paperwork(
            Athlete.objects.filter(pk__in=[entry.athlete_id for entry in entries]).defer(
                "document_number_encrypted"
            )
        )
    }
    rows = []
    for entry in entries:
        entry.athlete = athletes[entry.athlete_id]
        rows.append({"entry": entry, "missing": consent.paperwork_missing(entry.athlete, team.event)})
    return rows


@login_required
def team_workflow(request, pk):
    """The team's checklist: per athlete what is missing, the submit button, fees, waitlist offers."""
    team = selectors.team_get_for_user(request.user, pk)
    can_manage = request.user.has_perm(MANAGE, team)
    fee = fees.fee_for_event(team.event)
    rows = _team_rows(team)
    services.roster_read_log(
        delegation=team.delegation,
        athletes=[row["entry"].athlete for row in rows],
        user=request.user,
        kind=AthleteAccessKind.ROSTER,
    )
    context = {
        "team": team,
        "rows": rows,
        "can_manage": can_manage,
        "locked": workflow.roster_is_locked(team.event),
        "fee": fee,
        "charges": fees.charges_for_team(team) if fee else [],
        "pay_form": _pay_form() if fee and can_manage else None,
    }
    return render(request, "registration/team_workflow.html", context)


def _pay_form(data=None):
    from ticketing.payments.base import available_providers

    providers = [(p.identifier, p.label) for p in available_providers()]
    return FeePayForm(data, providers=providers)


@login_required
@require_POST
def team_submit(request, pk):
    team = selectors.team_get_for_user(request.user, pk, perm=MANAGE)
    try:
        submitted = workflow.team_submit(team=team, user=request.user)
    except RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(count)s entries submitted to the organiser.") % {"count": len(submitted)}
        )
    return redirect("registration:team-workflow", pk=team.pk)


@login_required
@require_POST
def team_fee_pay(request, pk):
    team = selectors.team_get_for_user(request.user, pk, perm=MANAGE)
    form = _pay_form(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to pay and how."))
        return redirect("registration:team-workflow", pk=team.pk)
    try:
        order = fees.fee_order_create(
            team=team,
            user=request.user,
            provider=form.cleaned_data["provider"],
            part=form.cleaned_data["part"],
        )
    except RegistrationError as error:
        messages.error(request, str(error))
        return redirect("registration:team-workflow", pk=team.pk)
    return redirect("ticketing:order-pay", code=order.code)


@login_required
def athlete_paperwork(request, pk):
    """Record consent given on paper, the declaration, insurance and the health certificate date."""
    athlete = selectors.athlete_get_for_user(request.user, pk)
    services.athlete_access_log(athlete=athlete, user=request.user, kind=AthleteAccessKind.PAPERWORK)
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
        "consents": consent.consents_for_athlete(athlete),
        "guardians": athlete.guardians.all(),
        "entry_rows": [
            (entry, consent.paperwork_missing(athlete, entry.event))
            for entry in athlete.entries.exclude(status="withdrawn").select_related("event")
        ],
    }
    return render(request, "registration/athlete_paperwork.html", context)


def _save_paperwork(request, athlete, which, form) -> bool:
    data = form.cleaned_data
    try:
        if which == "consent":
            for purpose, granted in form.choices().items():
                consent.consent_record(
                    athlete=athlete,
                    purpose=purpose,
                    given_by=data["given_by"],
                    granted=granted,
                    method=ConsentMethod.PAPER,
                    user=request.user,
                )
        elif which == "declaration":
            consent.declaration_record(athlete=athlete, user=request.user, **data)
        elif which == "insurance":
            consent.insurance_record(athlete=athlete, user=request.user, **data)
        else:
            consent.health_record(athlete=athlete, **data)
    except RegistrationError as error:
        form.add_error(None, str(error))
        return False
    return True


@login_required
@require_POST
def consent_withdraw(request, pk, consent_pk):
    athlete = selectors.athlete_get_for_user(request.user, pk, perm=MANAGE)
    record = athlete.consents.filter(pk=consent_pk).first()
    if record is None:
        raise Http404
    try:
        consent.consent_withdraw(consent=record, user=request.user)
    except RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("registration:athlete-paperwork", pk=athlete.pk)


@login_required
@require_POST
def consent_link_send(request, pk, guardian_pk):
    athlete = selectors.athlete_get_for_user(request.user, pk, perm=MANAGE)
    guardian = Guardian.objects.filter(pk=guardian_pk, athlete=athlete).first()
    if guardian is None:
        raise Http404
    try:
        consent.consent_link_send(
            athlete=athlete,
            guardian=guardian,
            user=request.user,
            language=request.LANGUAGE_CODE,
            build_url=lambda token: request.build_absolute_uri(
                reverse("registration:consent-link", kwargs={"token": token})
            ),
        )
    except RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The consent link was emailed to the guardian."))
    return redirect("registration:athlete-paperwork", pk=athlete.pk)


@never_cache
def consent_link(request, token):
    """Public (no login): the guardian sees the child's name, the rules and the purposes, nothing else."""
    try:
        link = consent.consent_link_get(token=token)
    except RegistrationError as error:
        return render(request, "registration/consent_link.html", {"error": str(error)}, status=404)
    form = PurposeChoicesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent.consent_link_submit(token=token, choices=form.choices())
        except RegistrationError as error:
            return render(request, "registration/consent_link.html", {"error": str(error)}, status=404)
        return render(request, "registration/consent_link.html", {"thanks": True})
    context = {
        "child": link.athlete.display_name,
        "form": form,
        "rules_text": consent.rules_text_current(),
        "required": ConsentPurpose.REGISTRATION,
    }
    return render(request, "registration/consent_link.html", context)


def consent_rules(request):
    """The published rules for children's personal data, every version (public)."""
    return render(request, "registration/consent_rules.html", {"texts": consent.rules_texts_published()})


@login_required
def substitution_create(request, pk):
    entry = selectors.entry_get_for_user(request.user, pk)
    athletes = Athlete.objects.filter(delegation_id=entry.team.delegation_id).exclude(pk=entry.athlete_id)
    form = SubstitutionForm(request.POST or None, athletes=athletes)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.substitution_request(entry=entry, user=request.user, **form.cleaned_data)
        except RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Substitution requested; the organiser will decide."))
            return redirect("registration:team-workflow", pk=entry.team_id)
    return render(request, "registration/substitution_form.html", {"entry": entry, "form": form})


@login_required
@require_POST
def waitlist_answer(request, pk, answer):
    entry = selectors.entry_get_for_user(request.user, pk)
    place = WaitlistPlace.objects.filter(entry=entry).first()
    if place is None or answer not in ("accept", "release"):
        raise Http404
    try:
        if answer == "accept":
            workflow.waitlist_accept(place=place, user=request.user)
        else:
            workflow.waitlist_release(place=place, user=request.user)
    except RegistrationError as error:
        messages.error(request, str(error))
    return redirect("registration:team-workflow", pk=entry.team_id)


@login_required
@require_POST
def entry_withdraw(request, pk):
    """Withdraw through the workflow (ledger row, badge revoked, the place offered to the waitlist)."""
    entry = selectors.entry_get_for_user(request.user, pk)
    try:
        workflow.entry_withdraw(entry=entry, user=request.user)
    except RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Entry withdrawn."))
    return redirect("registration:team-workflow", pk=entry.team_id)
