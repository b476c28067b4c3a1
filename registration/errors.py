"""Domain errors for registration. Views map them to form errors or messages."""

from __future__ import annotations

from events.i18n import join_clauses


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


class EntryRefusedError(EntryError):
    """The eligibility engine said no; `refusals` holds every reason."""

    def __init__(self, refusals):
        self.refusals = list(refusals)
        super().__init__(join_clauses(refusal.message for refusal in self.refusals))


class RevealError(RegistrationError):
    pass


class ImportFileError(RegistrationError):
    """The uploaded file cannot be read at all (not a row-level problem)."""


# --- paperwork, workflow, fees, accreditation, retention ----------------------------------------


class ConsentError(RegistrationError):
    pass


class PaperworkError(RegistrationError):
    pass


class WorkflowError(RegistrationError):
    pass


class EntryNotReadyError(WorkflowError):
    """The entry cannot be approved yet; `reasons` lists every missing item (translated sentences)."""

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__(join_clauses(self.reasons))


class RosterLockedError(WorkflowError):
    pass


class SubstitutionError(WorkflowError):
    pass


class WaitlistError(WorkflowError):
    pass


class FeeError(RegistrationError):
    pass


class BadgeError(RegistrationError):
    pass


class AttestationError(RegistrationError):
    """A document attestation was refused (not an organiser of the programme, no document, bad method)."""


class EligibilityRulesError(RegistrationError):
    """An organiser's eligibility rules contradict themselves; the message says how."""
