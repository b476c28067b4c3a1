"""Refusals of the competition formats: a code, the reason in both languages, and what would fix it.

Each error keeps its gettext_lazy templates and parameters, so `reason` and `fix` render in whatever
language is active when they are shown (`str(error)` gives "reason; fix").
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, override


class CompetitionError(Exception):
    """Base class of every refusal of the formats; never raised for a programming error."""

    def __init__(self, code: str, reason: Any, fix: Any = "", **params: Any):
        self.code = code
        self._reason = reason
        self._fix = fix
        self.params = params
        super().__init__(code)

    @property
    def reason(self) -> str:
        return str(self._reason) % self.params if self.params else str(self._reason)

    @property
    def fix(self) -> str:
        if not self._fix:
            return ""
        return str(self._fix) % self.params if self.params else str(self._fix)

    def message_in(self, language: str) -> str:
        """The reason and the fix in `language` ("zh-hans" or "en"), whatever language is active."""
        with override(language):
            return str(self)

    def __str__(self) -> str:
        fix = self.fix
        if not fix:
            return self.reason
        # Translators: a refusal: the reason, then what would fix it.
        return gettext("%(reason)s; %(fix)s") % {"reason": self.reason, "fix": fix}


class DrawError(CompetitionError):
    """A draw (pools, tableau, heats, round robin, bracket) that cannot be made as asked."""


class ResultError(CompetitionError):
    """A result that cannot be: a score over the limit, a draw where none exists, an impossible time."""
