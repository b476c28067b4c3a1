"""Issuing and changing signed credentials. Signing, QR and PDF rendering build on these rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Session
from ticketing.enums import CredentialKind, CredentialState
from ticketing.errors import CredentialError
from ticketing.models import Credential


def credential_issue(
    *,
    kind: str,
    event: Event,
    session: Session | None = None,
    valid_from: dt.datetime,
    valid_until: dt.datetime,
    zones: Iterable[str] = (),
    allows_reentry: bool = False,
    holder_label: str = "",
    state: str = CredentialState.ACTIVE,
) -> Credential:
    """Create one credential. The caller links it to its ticket, badge or stub in the same transaction."""
    if kind not in CredentialKind.values:
        raise CredentialError(_("Unknown credential kind."))
    if valid_until <= valid_from:
        raise CredentialError(_("A credential must stop being valid after it starts."))
    if session is not None and session.event_id != event.pk:
        raise CredentialError(_("The session does not belong to this event."))
    return Credential.objects.create(
        kind=kind,
        event=event,
        session=session,
        valid_from=valid_from,
        valid_until=valid_until,
        zones=sorted(set(zones)),
        allows_reentry=allows_reentry,
        holder_label=holder_label,
        state=state,
    )


def credential_set_state(*, credential: Credential, state: str, reason: str = "") -> Credential:
    """Activate, revoke or mark refunded. Locks the credential row; idempotent for the same state."""
    if state not in CredentialState.values:
        raise CredentialError(_("Unknown credential state."))
    with transaction.atomic():
        locked = Credential.objects.select_for_update().get(pk=credential.pk)
        if locked.state != state or locked.state_reason != reason:
            locked.state = state
            locked.state_reason = reason
            locked.state_changed_at = timezone.now()
            locked.save(update_fields=["state", "state_reason", "state_changed_at"])
    return locked


def credentials_relabel(*, credential_ids, holder_label: str) -> int:
    """Put `holder_label` on these credentials (a badge holder anonymised by registration's retention:
    the gate's answer and the check-in export then show the new label). Returns how many changed."""
    return Credential.objects.filter(pk__in=credential_ids).update(holder_label=holder_label)
