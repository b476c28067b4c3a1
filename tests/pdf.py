"""Reading PDFs back in tests: their text, and whether every font is embedded."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_text(response) -> tuple[str, PdfReader]:
    """The text of every page of a PDF response (which must be one), and its reader."""
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def fonts_embedded(reader: PdfReader) -> bool:
    """True when the PDF has fonts and every one carries its TrueType program (a CID font's through
    its descendant font)."""
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()
            if "/DescendantFonts" in descendant:
                descendant = descendant["/DescendantFonts"][0].get_object()
            fonts.append("/FontFile2" in descendant["/FontDescriptor"].get_object())
    return bool(fonts) and all(fonts)
