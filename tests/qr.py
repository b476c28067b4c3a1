"""Reading QR codes back out of what the app renders: a PNG, or the images on a PDF page.

QR codes only: a QR's modules sometimes also read as a short 1D barcode, which would add a false code.
"""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image


def qr_codes(image: bytes) -> list[str]:
    """The text of every QR code in this image (PNG, JPEG...)."""
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(image)), formats=zxingcpp.BarcodeFormat.QRCode)
    return [result.text for result in found]


def qr_codes_on(page) -> list[str]:
    """The text of every QR code in the images of one pypdf page, in the page's image order."""
    return [code for image in page.images for code in qr_codes(image.data)]
