"""The embedded PDF fonts and the helpers that set text in them, shared by every app's PDFs (tickets
and badges in ticketing, the day's schedule in events).

Fonts are registered once per process. Every font is embedded as a subset of the characters drawn,
so a PDF prints the same in any viewer: Noto Sans SC (every character of GB 2312) sets Chinese, and
Noto Sans sets English, falling back to Noto Sans SC character by character for Chinese names and
full-width punctuation (see events/fonts/README.md). reportlab is imported inside the functions.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.utils import translation

CJK_FONT = "NotoSansSC"  # Chinese pages, and any character the Latin face lacks
LATIN_FONT = "NotoSans"  # English pages
FONT_FILES = {
    CJK_FONT: "NotoSansSC-Regular-GB2312.ttf",
    LATIN_FONT: "NotoSans-Regular-Latin.ttf",
}
FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"


@functools.cache
def fonts() -> dict[str, frozenset[int]]:
    """Register the embedded TrueType fonts once per process; each font's characters by name."""
    from reportlab import rl_config  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used

    characters = {}
    for name, filename in FONT_FILES.items():
        # Subsets hold only the characters drawn (ASCII is not reserved a subset of its own), so a
        # ticket embeds one small subset per face; text still extracts through the ToUnicode map.
        font = TTFont(name, str(FONT_DIR / filename), asciiReadable=False)
        _cache_subsets(font.face)
        pdfmetrics.registerFont(font)
        characters[name] = frozenset(font.face.charToGlyph)
    rl_config.useA85 = 0  # binary image streams: ASCII85 in pure Python cost more than the drawing
    return characters


def _cache_subsets(face) -> None:
    """Keep the last few embedded subsets: reportlab cuts a new TrueType subset of up to 256
    characters for every document, in pure Python, and the tickets of one session draw the same
    characters (their subsets depend only on which characters appear, in which order)."""
    make_subset = face.makeSubset
    cached = functools.lru_cache(maxsize=64)(lambda codes: make_subset(list(codes)))
    face.makeSubset = lambda subset: cached(tuple(subset))


def primary_font() -> str:
    """The face the active language is set in: Noto Sans SC for Chinese, Noto Sans otherwise."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return CJK_FONT if language.lower().startswith("zh") else LATIN_FONT


@functools.lru_cache(maxsize=8192)
def font_for(char: str, primary: str) -> str:
    """The primary face when it has the character, else the other face when that one has it."""
    characters = fonts()
    if ord(char) in characters[primary]:
        return primary
    other = LATIN_FONT if primary == CJK_FONT else CJK_FONT
    return other if ord(char) in characters[other] else primary


def missing_glyphs(text: str, *, primary: str) -> set[str]:
    """The characters of `text` that neither face can draw (for tests and checks of new data)."""
    characters = fonts()
    return {char for char in text if ord(char) not in characters[font_for(char, primary)]}


@functools.lru_cache(maxsize=16384)
def char_width(char: str, font: str) -> float:
    """The advance of one character at size 1 (reportlab does not kern, so widths add up)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used

    return stringWidth(char, font, 1000) / 1000


def text_width(text: str, *, size: float, primary: str) -> float:
    return sum(char_width(char, font_for(char, primary)) for char in text) * size


def runs(text: str, primary: str) -> list[tuple[str, str]]:
    """The text cut into (font, characters) runs, each run drawable in one face."""
    found: list[tuple[str, list[str]]] = []
    for char in text:
        font = font_for(char, primary)
        if found and found[-1][0] == font:
            found[-1][1].append(char)
        else:
            found.append((font, [char]))
    return [(font, "".join(chars)) for font, chars in found]


def draw_line(
    canvas, x: float, y: float, text: str, *, size: float, primary: str, anchor: str = "left"
) -> None:
    """Draw one line, switching faces where the primary one lacks a character."""
    if anchor != "left":
        width = text_width(text, size=size, primary=primary)
        x -= width / 2 if anchor == "centre" else width
    pieces = runs(text, primary)
    if len(pieces) == 1:
        canvas.setFont(pieces[0][0], size)
        canvas.drawString(x, y, pieces[0][1])
        return
    line = canvas.beginText(x, y)  # one text object, so the line extracts as one line
    for font, chunk in pieces:
        line.setFont(font, size)
        line.textOut(chunk)
    canvas.drawText(line)
