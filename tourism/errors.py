"""Domain errors of the stub economy. `str(error)` is a translated sentence for the user; `code` is a
stable machine reason the counter API returns alongside it."""

from __future__ import annotations


class TourismError(Exception):
    """Base class for every stub-economy error."""

    code = "refused"

    def __init__(self, message: str = "", *, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code


class MerchantError(TourismError):
    """An application, a decision or a store change was refused."""

    code = "merchant"


class InvitationError(TourismError):
    """A staff invitation is unknown, used, expired or for another address."""

    code = "invitation"


class OfferError(TourismError):
    """An offer could not be created, approved or changed."""

    code = "offer"


class StubError(TourismError):
    """A code is not a stub this counter can read (forged, stale, unknown, refunded)."""

    code = "stub"


class RedemptionError(TourismError):
    """A consume or reverse was refused: the offer does not apply, a cap or budget is reached, the
    window has passed, or the store is not this staff member's."""

    code = "redemption"


class SettlementError(TourismError):
    """A settlement statement cannot be confirmed (its month has not begun)."""

    code = "settlement"


class FraudFlagError(TourismError):
    """A flag action was refused: no note, already dealt with, or no single store to suspend."""

    code = "fraud_flag"
