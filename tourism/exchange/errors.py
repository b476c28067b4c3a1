"""The exchange programme's domain errors: what the person should read, in their language."""


class ExchangeError(Exception):
    """Base: a refusal the user sees as a message (never a server error)."""


class CapacityError(ExchangeError):
    pass


class ChaperoneShortfallError(ExchangeError):
    pass


class RollCallError(ExchangeError):
    pass


class HandoverError(ExchangeError):
    pass


class GuardianLinkError(ExchangeError):
    pass
