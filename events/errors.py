"""Domain errors of the catalogue."""


class EventsError(Exception):
    """Base class; the message is user-facing and already translated."""


class SessionOutsideEventError(EventsError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))
