"""Bilingual content fields: models store `<field>_zh` and `<field>_en`; pages show the active language."""

from __future__ import annotations

from django.utils.translation import get_language


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
