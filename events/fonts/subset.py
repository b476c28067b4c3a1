"""Rebuild the committed font subsets (not run by the app; needs fontTools, which the app does not).

    python -m venv /tmp/ft && /tmp/ft/bin/pip install "fonttools==4.*"
    npm pack @expo-google-fonts/noto-sans-sc@0.4.3 @expo-google-fonts/noto-sans@0.4.2  # OFL-1.1 TTFs
    /tmp/ft/bin/python events/fonts/subset.py NotoSansSC_400Regular.ttf NotoSans_400Regular.ttf

Keeps TrueType outlines (reportlab embeds subsets of `glyf` fonts only), every character of GB 2312
in the Chinese face, Latin and punctuation in both, and drops hinting and OpenType layout tables,
which reportlab does not use.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Latin-1, Latin Extended-A (pinyin with tone marks, European names), general punctuation, currency
# signs, letterlike symbols, arrows, the multiplication and the minus sign.
LATIN = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x180),
    0x1CD, 0x1CE, 0x1CF, 0x1D0, 0x1D1, 0x1D2, 0x1D3, 0x1D4, 0x1D5, 0x1D6, 0x1D7, 0x1D8, 0x1D9, 0x1DA, 0x1DB, 0x1DC,
    *range(0x2000, 0x2070),
    *range(0x20A0, 0x20C1),
    *range(0x2100, 0x2150),
    *range(0x2190, 0x21A0),
    0x2212, 0x2215, 0x2219, 0x221E, 0x2248, 0x2260, 0x2264, 0x2265, 0x25CF, 0x25CB, 0x2713, 0xFFFD,
]  # fmt: skip


def gb2312() -> list[int]:
    """Every character GB 2312 encodes: rows 0xA1–0xF7, cells 0xA1–0xFE (hanzi, symbols, kana...)."""
    chars = []
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(ord(bytes((row, cell)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def subset(source: str, target: str, codepoints: list[int]) -> None:
    from fontTools import subset as ft_subset  # noqa: PLC0415  build-time tool, not an app dependency
    from fontTools.ttLib import TTFont  # noqa: PLC0415  build-time tool, not an app dependency

    options = ft_subset.Options()
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "STAT", "vhea", "vmtx", "VORG", "DSIG"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    font = TTFont(source)
    if "glyf" not in font:
        raise SystemExit(f"{source} has no TrueType outlines (CFF cannot be embedded by reportlab)")
    cmap = font.getBestCmap()
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=[cp for cp in codepoints if cp in cmap])
    subsetter.subset(font)
    font.save(HERE / target)
    missing = [chr(cp) for cp in codepoints if cp not in cmap]
    print(
        f"{target}: {len(font.getBestCmap())} characters, {(HERE / target).stat().st_size} bytes; absent: {len(missing)}"
    )


if __name__ == "__main__":
    chinese, latin = sys.argv[1:3]
    subset(chinese, "NotoSansSC-Regular-GB2312.ttf", sorted({*gb2312(), *LATIN, 0x3000, 0x30FB}))
    subset(latin, "NotoSans-Regular-Latin.ttf", LATIN)
