"""Signed credentials: one row per QR code Corridor has issued, whatever it admits to.

A ticket (ticketing), an accreditation badge (registration) and a stub (tourism) each point at one
Credential; the gate scanner, the offline bundle and revocation work on Credential alone, so higher
apps reuse the same codes and the same scanner without ticketing knowing about them.
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ticketing.enums import CredentialKind, CredentialState

__all__ = ["Credential", "new_short_code", "random_code", "short_code_normalise"]

# The manual code printed under the QR, typed at the gate when a code will not scan: unambiguous
# characters (no 0/O/1/I, as order numbers), 12 long so it is never taken for a 10-character order
# number, 60 random bits so a guess is hopeless under the gate's rate limit.
SHORT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SHORT_CODE_LENGTH = 12


def random_code(length: int) -> str:
    """`length` characters of SHORT_CODE_ALPHABET drawn by the OS's randomness in one read: its 32
    characters take the low 5 bits of a random byte each, without bias (`secrets.choice` read the OS
    once per character, a system call each, 28 per order)."""
    return "".join([SHORT_CODE_ALPHABET[byte & 31] for byte in secrets.token_bytes(length)])


def new_short_code() -> str:
    return random_code(SHORT_CODE_LENGTH)


def short_code_normalise(text: str) -> str | None:
    """A typed manual code as stored (upper case, without the spaces and dashes it is printed with),
    or None when the text cannot be one."""
    code = "".join(text.split()).replace("-", "").upper()
    if len(code) != SHORT_CODE_LENGTH or any(char not in SHORT_CODE_ALPHABET for char in code):
        return None
    return code


class Credential(models.Model):
    # The identity signed into the code. Never a database id; revocation and duplicate checks key on it.
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=CredentialKind)
    # No index of its own: the (event, state) index below starts with it.
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        related_name="credentials",
        verbose_name=_("event"),
        db_index=False,
    )
    session = models.ForeignKey(
        "events.Session",
        on_delete=models.PROTECT,
        related_name="credentials",
        verbose_name=_("session"),
        null=True,
        blank=True,
        help_text=_("Empty for credentials valid for the whole event (badges)."),
    )
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    # Gate or zone codes (VenueResource.code) this credential opens; empty means every gate of the venue.
    zones = models.JSONField(_("zones"), default=list, blank=True)
    allows_reentry = models.BooleanField(_("re-entry allowed"), default=False)
    # What the gate shows about the holder: already masked by the issuing app for children.
    holder_label = models.CharField(_("holder"), max_length=120, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=CredentialState, default=CredentialState.ACTIVE
    )
    state_reason = models.CharField(_("reason"), max_length=200, blank=True)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    short_code = models.CharField(
        _("manual code"),
        max_length=SHORT_CODE_LENGTH,
        unique=True,
        default=new_short_code,
        editable=False,
        help_text=_("Printed under the QR; typed at the gate when the QR will not scan."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")),
                name="credential_valid_window",
                violation_error_message=_("A credential must stop being valid after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=CredentialKind.TICKET) | Q(session__isnull=False),
                name="credential_ticket_has_session",
                violation_error_message=_("A ticket credential is always for one session."),
            ),
        ]
        indexes = [models.Index(fields=["event", "state"])]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {str(self.public_id)[:8]}"

    @property
    def is_active(self) -> bool:
        return self.state == CredentialState.ACTIVE

    @property
    def short_code_display(self) -> str:
        """The manual code as printed: three groups of four ("ABCD-EFGH-JKLM")."""
        code = self.short_code
        return "-".join(code[index : index + 4] for index in range(0, len(code), 4))
