"""Domain errors of ticketing. Messages are user-facing and translated."""


class TicketingError(Exception):
    """Base class for every ticketing error."""


class CredentialError(TicketingError):
    """A credential could not be issued or changed."""
