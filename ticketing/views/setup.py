"""The organiser's set-up pages under /organiser/ticketing/: what each session sells (ticket types with
price and sale window, quotas and sections with capacity and what is left, ballots).

Every object is fetched through its session with `events.manage_session` (two-factor organisers of
its programme): anyone else gets a 404. Writes go through ticketing/services/catalogue.py; deleting
asks for a ticked confirmation and is refused once something was sold.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event, Session
from events.permissions import get_for_user_or_404, require_perm_or_404
from ticketing.errors import CatalogueError
from ticketing.forms import BallotForm, CapacityForm, DeleteConfirmForm, TicketTypeForm
from ticketing.models import Ballot, Quota, Section, TicketType
from ticketing.selectors.catalogue import setup_for_event
from ticketing.services import catalogue as services

PERM = "events.manage_session"
TITLES = {
    "ticket_type": (gettext_lazy("New ticket type"), gettext_lazy("Edit ticket type")),
    "quota": (gettext_lazy("New quota"), gettext_lazy("Edit quota")),
    "section": (gettext_lazy("New section"), gettext_lazy("Edit section")),
    "ballot": (gettext_lazy("Sell by ballot"), gettext_lazy("Edit ballot")),
}


def _session(request, pk) -> Session:
    queryset = Session.objects.select_related("event__programme", "venue")
    return get_for_user_or_404(queryset, user=request.user, perm=PERM, pk=pk)


def _owned(request, model, pk, path: str = "session"):
    """A row of a session the user organises: fetched, then checked through its session (else 404)."""
    related = f"{path}__event__programme"
    row = get_for_user_or_404(
        model.objects.select_related(related), user=request.user, perm="events.organiser_area", pk=pk
    )
    session = row
    for part in path.split("__"):
        session = getattr(session, part)
    require_perm_or_404(request.user, PERM, session)
    return row, session


def _back(session: Session):
    return redirect("ticketing:setup", slug=session.event.slug)


def _form_page(request, *, kind, form, session, save, editing, obj=None):
    """Show the form; on a valid POST call `save(data=...)` and go back to the set-up page."""
    if request.method == "POST" and form.is_valid():
        try:
            save(data=form.data_object())
        except CatalogueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return _back(session)
    context = {"form": form, "session": session, "title": TITLES[kind][editing], "obj": obj}
    status = 400 if request.method == "POST" else 200
    return render(request, "ticketing/organiser_setup_form.html", context, status=status)


def _delete_page(request, *, obj, session, delete):
    form = DeleteConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delete()
        except CatalogueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Deleted."))
        return _back(session)
    context = {"form": form, "session": session, "obj": obj}
    return render(request, "ticketing/organiser_setup_delete.html", context)


@login_required
def setup(request, slug: str):
    event = get_for_user_or_404(Event.objects.all(), user=request.user, perm="events.manage_event", slug=slug)
    context = {"event": event, "sessions": setup_for_event(event)}
    return render(request, "ticketing/organiser_setup.html", context)


@login_required
def ticket_type_create(request, pk: int):
    session = _session(request, pk)
    form = TicketTypeForm(request.POST or None, session=session)
    save = partial(services.ticket_type_create, session=session)
    return _form_page(request, kind="ticket_type", form=form, session=session, save=save, editing=False)


@login_required
def ticket_type_edit(request, pk: int):
    ticket_type, session = _owned(request, TicketType, pk)
    initial = TicketTypeForm.initial_for(ticket_type)
    form = TicketTypeForm(request.POST or None, session=session, initial=initial)
    save = partial(services.ticket_type_update, ticket_type=ticket_type)
    return _form_page(
        request, kind="ticket_type", form=form, session=session, save=save, editing=True, obj=ticket_type
    )


@login_required
def ticket_type_delete(request, pk: int):
    ticket_type, session = _owned(request, TicketType, pk)
    return _delete_page(
        request,
        obj=ticket_type,
        session=session,
        delete=partial(services.ticket_type_delete, ticket_type=ticket_type),
    )


def _capacity_create(request, pk, kind, create):
    session = _session(request, pk)
    form = CapacityForm(request.POST or None)
    return _form_page(
        request, kind=kind, form=form, session=session, save=partial(create, session=session), editing=False
    )


def _capacity_edit(request, pk, kind, model, update):
    row, session = _owned(request, model, pk)
    form = CapacityForm(request.POST or None, initial=CapacityForm.initial_for(row))
    save = partial(update, **{kind: row})
    return _form_page(request, kind=kind, form=form, session=session, save=save, editing=True, obj=row)


@login_required
def quota_create(request, pk: int):
    return _capacity_create(request, pk, "quota", services.quota_create)


@login_required
def quota_edit(request, pk: int):
    return _capacity_edit(request, pk, "quota", Quota, services.quota_update)


@login_required
def quota_delete(request, pk: int):
    quota, session = _owned(request, Quota, pk)
    return _delete_page(
        request, obj=quota, session=session, delete=partial(services.quota_delete, quota=quota)
    )


@login_required
def section_create(request, pk: int):
    return _capacity_create(request, pk, "section", services.section_create)


@login_required
def section_edit(request, pk: int):
    return _capacity_edit(request, pk, "section", Section, services.section_update)


@login_required
def section_delete(request, pk: int):
    section, session = _owned(request, Section, pk)
    return _delete_page(
        request, obj=section, session=session, delete=partial(services.section_delete, section=section)
    )


@login_required
def ballot_create(request, pk: int):
    ticket_type, session = _owned(request, TicketType, pk)
    form = BallotForm(request.POST or None)
    save = partial(services.ballot_create, ticket_type=ticket_type)
    return _form_page(
        request, kind="ballot", form=form, session=session, save=save, editing=False, obj=ticket_type
    )


@login_required
def ballot_edit(request, pk: int):
    ballot, session = _owned(request, Ballot, pk, path="ticket_type__session")
    form = BallotForm(request.POST or None, initial=BallotForm.initial_for(ballot))
    save = partial(services.ballot_update, ballot=ballot)
    return _form_page(request, kind="ballot", form=form, session=session, save=save, editing=True, obj=ballot)


@login_required
def ballot_delete(request, pk: int):
    ballot, session = _owned(request, Ballot, pk, path="ticket_type__session")
    return _delete_page(
        request, obj=ballot, session=session, delete=partial(services.ballot_delete, ballot=ballot)
    )
