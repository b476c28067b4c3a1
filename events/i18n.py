"""Bilingual content fields: models store `<field>_zh` and `<field>_en`; pages show the active language."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language, pgettext


def pick(zh: str, en: str) -> str:
    """The text in the active language, falling back to the other one when it is empty."""
    language = get_language() or "zh-hans"
    if language.startswith("zh"):
        return zh or en
    return en or zh


class BilingualMixin:
    """Adds `.name` (and friends) that read `<field>_zh` / `<field>_en` in the active language."""

    def localized(self, field: str) -> str:
        return pick(getattr(self, f"{field}_zh", ""), getattr(self, f"{field}_en", ""))

    @property
    def name(self) -> str:
        return self.localized("name")


def join_clauses(clauses: Iterable[object]) -> str:
    """Several reasons in one message: "a; b" in English, "a；b" in Chinese."""
    return pgettext("separator between the clauses of one message", "; ").join(map(str, clauses))


def join_names(names: Iterable[object]) -> str:
    """A list of names: "a, b" in English, "a、b" in Chinese."""
    return pgettext("separator between names in a list", ", ").join(map(str, names))
