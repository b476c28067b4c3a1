"""Domain errors of ticketing. Messages are user-facing and translated."""


class TicketingError(Exception):
    """Base class for every ticketing error."""


class CredentialError(TicketingError):
    """A credential could not be issued or changed."""


class SalesError(TicketingError):
    """A cart, order or ballot request was refused; the message says why."""


class SoldOutError(SalesError):
    """Not enough places left for the request."""


class SaleClosedError(SalesError):
    """Outside the ticket type's sale window, or the session is cancelled or sells by ballot."""


class OrderLimitError(SalesError):
    """Below the minimum or above the maximum per order, or over the real-name limit."""


class OrderStateError(SalesError):
    """The order is not in a state that allows this transition."""


class PaymentError(TicketingError):
    """A payment could not be started, confirmed or refunded (one of the two kinds below)."""


class PaymentRefusedError(PaymentError):
    """The buyer's or the rules' refusal (wrong method for this order, a payment still processing).

    Shown to the user as a message; sending the same request again fails the same way.
    """


class PaymentGatewayError(PaymentError):
    """The payment gateway failed or could not be reached: the same request may succeed later."""


class ProviderUnavailableError(PaymentRefusedError):
    """The payment provider is not configured or not allowed here."""


class WebhookError(PaymentError):
    """A webhook delivery was refused (bad signature or malformed)."""


class BallotError(SalesError):
    """A ballot application or draw was refused."""


class CredentialCodeError(CredentialError):
    """A scanned code is not a credential this site signed."""


class InvalidCode(CredentialCodeError):
    """Not a code in the canonical encoding (damaged, altered, or not ours at all)."""


class ForgedCode(CredentialCodeError):
    """Well-formed, but the signature does not verify under any of our keys."""


class CheckInError(TicketingError):
    """A gate action (annulment, device set-up, offline upload) was refused."""


class CatalogueError(TicketingError):
    """An organiser's change to ticket types, quotas, sections or ballots was refused; the message says why."""
