"""Domain errors for registration. Views map them to form errors or messages."""

from __future__ import annotations


class RegistrationError(Exception):
    """Base class; `str(error)` is a translated, user-facing sentence."""


class DelegationError(RegistrationError):
    pass


class InvitationError(RegistrationError):
    pass


class AthleteError(RegistrationError):
    pass


class DuplicateDocumentError(AthleteError):
    pass


class EntryError(RegistrationError):
    pass


class EntryRefused(EntryError):
    """The eligibility engine said no; `refusals` holds every reason."""

    def __init__(self, refusals):
        self.refusals = list(refusals)
        super().__init__("; ".join(refusal.message for refusal in self.refusals))


class RevealError(RegistrationError):
    pass


class ImportFileError(RegistrationError):
    """The uploaded file cannot be read at all (not a row-level problem)."""
