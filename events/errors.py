"""Domain errors of the catalogue."""


class EventsError(Exception):
    """Base class; the message is user-facing and already translated."""


class SessionOutsideEventError(EventsError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


class ScheduleError(EventsError):
    """A schedule change refused: a move that breaks a rule, a publish with blocking problems.

    `reasons` are the translated reasons, one per broken rule; `codes` their stable rule codes.
    """

    def __init__(self, message: str, *, reasons: list[str] | None = None, codes: list[str] | None = None):
        self.reasons = reasons or []
        self.codes = codes or []
        super().__init__(message)
