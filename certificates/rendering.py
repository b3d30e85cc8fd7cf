"""Certificates as PDF, one A4 landscape page each. Pure: no database, no settings, no files but the fonts."""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import unicodedata
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from reportlab import rl_config
from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import Color, HexColor, black, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfutils import readJPEGInfo
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

# With ASCII85 on, every embedded image is re-encoded in pure Python: a 2 MB background costs ~460 ms a page
# instead of ~8 ms. Binary streams are valid PDF, so nothing is lost.
rl_config.useA85 = 0

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
SERIF = "CertificateSerif"
SERIF_BOLD = "CertificateSerif-Bold"

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
TEXT_WIDTH = PAGE_WIDTH - 2 * 100

INK = HexColor("#1f2a44")
ACCENT = HexColor("#8b1a1a")
GOLD = HexColor("#b08d3c")

QR_QUIET_ZONE = 4  # modules of white around the code, as the standard asks
QR_MASK = 2

WORDS = {
    "vi": {"heading": "GIẤY CHỨNG NHẬN", "certifies": "Chứng nhận", "code": "Mã xác minh", "verify": "Xác minh tại"},
    "en": {
        "heading": "CERTIFICATE",
        "certifies": "This certifies that",
        "code": "Verification code",
        "verify": "Verify at",
    },
}


@dataclass(frozen=True)
class CertificateContent:
    language: str  # "vi" or "en"
    contest_title: str
    holder_name: str  # a person, or a library/network for collective certificates
    award: str
    library: str  # may be ""
    place_and_date: str  # formatted by the caller
    signatory_name: str
    signatory_title: str
    code: str  # the verification code, e.g. "7K3F-9QXM-2D4P"
    verify_url: str  # what the QR code encodes
    logo: bytes | None = None  # image file bytes, already downscaled
    background: bytes | None = None  # image file bytes, already downscaled; drawn over the whole page


def certificate_pdf(content: CertificateContent) -> bytes:
    _register_fonts()
    words = WORDS.get(content.language, WORDS["en"])
    out = BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    canvas.setTitle(_nfc(f"{words['heading']} — {content.holder_name}"))
    canvas.setAuthor(_nfc(content.signatory_name))
    if content.background:
        _draw_background(canvas, content.background)
    _draw_border(canvas)
    if content.logo:
        _draw_logo(canvas, content.logo)
    _draw_body(canvas, content, words)
    _draw_signature(canvas, content)
    _draw_verification(canvas, content, words)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def image_downscale(data: bytes, *, max_bytes: int = 200_000, max_side: int = 2480) -> bytes:
    """An upload as an RGB JPEG no larger than max_bytes and no side longer than max_side."""
    image = _open_rgb(data, max_side)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    while True:
        for quality in (85, 75, 65, 50):
            encoded = _jpeg(image, quality)
            if len(encoded) <= max_bytes:
                return encoded
        if max(image.size) <= 16:
            raise ValueError(f"cannot fit the image in {max_bytes} bytes")
        # Bytes grow roughly with the area, so aim straight at the target rather than stepping blindly.
        scale = min(0.9, max(0.25, 0.95 * math.sqrt(max_bytes / len(encoded))))
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)


def _open_rgb(data: bytes, max_side: int) -> Image.Image:
    try:
        image = Image.open(BytesIO(data))
        image.draft("RGB", (max_side, max_side))  # JPEG only: decode at a reduced scale, much faster
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise ValueError("not an image") from error
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent pixels would turn black in a JPEG; put them on white paper instead.
        rgba = image.convert("RGBA")
        paper = Image.new("RGB", rgba.size, "white")
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    return image.convert("RGB")


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


@functools.cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(SERIF, FONTS_DIR / "DejaVuSerif.ttf"))
    pdfmetrics.registerFont(TTFont(SERIF_BOLD, FONTS_DIR / "DejaVuSerif-Bold.ttf"))


def _nfc(text: str) -> str:
    # Decomposed input would draw base letters and combining marks as separate glyphs, which neither looks right
    # in every viewer nor extracts as the same text.
    return unicodedata.normalize("NFC", text).strip()


def _fitted_size(text: str, font: str, size: float, width: float) -> float:
    natural = pdfmetrics.stringWidth(text, font, size)
    return size if natural <= width else size * width / natural


def _centred(canvas: Canvas, text: str, y: float, font: str, size: float, *, width: float = TEXT_WIDTH) -> None:
    text = _nfc(text)
    if not text:
        return
    canvas.setFont(font, _fitted_size(text, font, size, width))
    # One drawString per line, no character spacing: extractors then read the line back exactly as given.
    canvas.drawCentredString(PAGE_WIDTH / 2, y, text)


class _JpegAsIs(ImageReader):
    """A JPEG the PDF embeds byte for byte (DCTDecode), so no page decodes or re-compresses its pixels."""

    def __init__(self, data: bytes) -> None:
        super().__init__(BytesIO(data))
        self._bytes = data
        self._key = hashlib.sha256(data).hexdigest().encode()
        self._dataA = None

    def _jpeg_fh(self) -> BytesIO:
        # A fresh handle each time: a cached reader is shared by every thread rendering the same background.
        return BytesIO(self._bytes)

    def getRGBData(self) -> bytes:
        # drawImage only digests this to name the image within one PDF; the pixels themselves are never needed.
        return self._key


@functools.lru_cache(maxsize=8)
def _cached_reader(digest: str, data: bytes) -> ImageReader:
    del digest  # part of the cache key only
    try:
        image = Image.open(BytesIO(data))
        passthrough = image.format == "JPEG" and image.mode in ("RGB", "L") and _jpeg_info_readable(data)
    except (UnidentifiedImageError, OSError) as error:
        raise ValueError("not an image") from error
    return _JpegAsIs(data) if passthrough else ImageReader(BytesIO(data))


def _jpeg_info_readable(data: bytes) -> bool:
    try:
        readJPEGInfo(BytesIO(data))
    except Exception:  # reportlab raises bare PDFErrors on markers it does not know
        return False
    return True


def _reader(data: bytes) -> ImageReader:
    # Keyed by a digest so that equal bytes from different objects (one contest's background) share a reader.
    return _cached_reader(hashlib.sha256(data).hexdigest(), data)


def _draw_background(canvas: Canvas, data: bytes) -> None:
    reader = _reader(data)
    width, height = reader.getSize()
    # Cover the page keeping the aspect ratio; what falls outside the page is cut off by the page itself.
    scale = max(PAGE_WIDTH / width, PAGE_HEIGHT / height)
    drawn_width, drawn_height = width * scale, height * scale
    x, y = (PAGE_WIDTH - drawn_width) / 2, (PAGE_HEIGHT - drawn_height) / 2
    canvas.drawImage(reader, x, y, drawn_width, drawn_height, mask="auto")


def _draw_border(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(4)
    canvas.rect(20, 20, PAGE_WIDTH - 40, PAGE_HEIGHT - 40)
    canvas.setLineWidth(0.8)
    canvas.rect(30, 30, PAGE_WIDTH - 60, PAGE_HEIGHT - 60)
    canvas.setFillColor(GOLD)
    for x, y in ((30, 30), (PAGE_WIDTH - 30, 30), (30, PAGE_HEIGHT - 30), (PAGE_WIDTH - 30, PAGE_HEIGHT - 30)):
        _diamond(canvas, x, y, 7)
    canvas.restoreState()


def _diamond(canvas: Canvas, x: float, y: float, radius: float) -> None:
    path = canvas.beginPath()
    path.moveTo(x, y + radius)
    path.lineTo(x + radius, y)
    path.lineTo(x, y - radius)
    path.lineTo(x - radius, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_logo(canvas: Canvas, data: bytes) -> None:
    box_width, box_height, top = 160, 62, PAGE_HEIGHT - 42
    canvas.drawImage(
        _reader(data),
        (PAGE_WIDTH - box_width) / 2,
        top - box_height,
        box_width,
        box_height,
        preserveAspectRatio=True,
        anchor="n",
        mask="auto",
    )


def _draw_body(canvas: Canvas, content: CertificateContent, words: dict[str, str]) -> None:
    canvas.setFillColor(INK)
    _centred(canvas, content.contest_title, PAGE_HEIGHT - 128, SERIF_BOLD, 16)
    canvas.setFillColor(ACCENT)
    _centred(canvas, words["heading"], PAGE_HEIGHT - 182, SERIF_BOLD, 40)
    canvas.setFillColor(INK)
    _centred(canvas, words["certifies"], PAGE_HEIGHT - 222, SERIF, 15)
    canvas.setFillColor(ACCENT)
    _centred(canvas, content.holder_name, PAGE_HEIGHT - 272, SERIF_BOLD, 36)
    _rule(canvas, PAGE_HEIGHT - 290, 320)
    canvas.setFillColor(INK)
    _centred(canvas, content.award, PAGE_HEIGHT - 322, SERIF_BOLD, 19)
    _centred(canvas, content.library, PAGE_HEIGHT - 350, SERIF, 15)


def _rule(canvas: Canvas, y: float, width: float) -> None:
    canvas.saveState()
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1)
    canvas.line((PAGE_WIDTH - width) / 2, y, (PAGE_WIDTH + width) / 2, y)
    canvas.restoreState()


def _draw_signature(canvas: Canvas, content: CertificateContent) -> None:
    centre, width = PAGE_WIDTH - 215, 300
    canvas.setFillColor(INK)
    for text, y, font, size in (
        (content.place_and_date, 178, SERIF, 12),
        (content.signatory_title, 158, SERIF_BOLD, 13),
        (content.signatory_name, 78, SERIF_BOLD, 14),
    ):
        text = _nfc(text)
        if text:
            canvas.setFont(font, _fitted_size(text, font, size, width))
            canvas.drawCentredString(centre, y, text)


def _draw_verification(canvas: Canvas, content: CertificateContent, words: dict[str, str]) -> None:
    x, y, side = 52, 52, 96
    canvas.saveState()
    # White behind the code, quiet zone included, so that a dark background cannot make it unreadable.
    canvas.setFillColor(white)
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    canvas.restoreState()
    _draw_qr(canvas, content.verify_url, x, y, side)
    text_x, width = x + side + 10, 290
    lines = (
        (f"{words['code']}: {_nfc(content.code)}", y + 62, SERIF_BOLD, 11, INK),
        (words["verify"], y + 44, SERIF, 9, Color(0.3, 0.3, 0.3)),
        (_nfc(content.verify_url), y + 32, SERIF, 9, Color(0.3, 0.3, 0.3)),
    )
    for text, line_y, font, size, colour in lines:
        canvas.setFillColor(colour)
        canvas.setFont(font, _fitted_size(text, font, size, width))
        canvas.drawString(text_x, line_y, text)


def _draw_qr(canvas: Canvas, value: str, x: float, y: float, side: float) -> None:
    modules = _qr_modules(value)
    count = len(modules) + 2 * QR_QUIET_ZONE
    runs = []
    for row_index, row in enumerate(modules):
        row_y = count - QR_QUIET_ZONE - 1 - row_index
        column = QR_QUIET_ZONE
        for dark, run in itertools.groupby(row):
            length = len(list(run))
            if dark:
                runs.append(f"{column} {row_y} {length} 1 re")
            column += length
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(side / count, side / count)
    canvas.setFillColor(black)
    # In module units, as one path and one fill: the runs merge into a single shape with no hairline seams, and
    # the few hundred rectangles skip reportlab's per-number formatting (pure Python without rl_accel).
    canvas.addLiteral("\n".join(runs) + "\nf")
    canvas.restoreState()


def _qr_modules(value: str) -> list[list[bool]]:
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.version = qr.calculate_version()
    # QrCodeWidget would score all eight masks in pure Python (~10 ms) and then build one shape per module (~20 ms
    # more): five times the rest of the page. Every mask is valid and decodes the same; one fixed mask is enough.
    qr.makeImpl(False, QR_MASK)
    return qr.modules
