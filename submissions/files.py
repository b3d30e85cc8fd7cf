"""Attachments: what a file is, judged by its bytes, never by its name.

Each check refuses with a message for the person uploading; nothing is stored until every
check has passed. The last check makes the judges' copy (submissions.cleaning): a file that
cannot be cleaned, or holds content that acts by itself, is refused like any other.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext_lazy as _
from PIL import Image

from contests.enums import FileType
from core.errors import DomainError
from submissions.cleaning import Refused
from submissions.cleaning.docx import docx_clean
from submissions.cleaning.images import jpeg_clean, png_clean
from submissions.cleaning.pdf import pdf_clean

EXTENSIONS = {
    FileType.PDF: {".pdf"},
    FileType.DOCX: {".docx"},
    FileType.JPEG: {".jpg", ".jpeg"},
    FileType.PNG: {".png"},
}
CONTENT_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.JPEG: "image/jpeg",
    FileType.PNG: "image/png",
}
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel scan is plenty; more is a decompression bomb
DOCX_MAX_UNPACKED = 100 * 1024 * 1024  # what a DOCX may hold once unzipped
DOCX_MAX_MEMBERS = 2000
DOCX_MAX_RATIO = 150  # real documents compress ~2-20x; bombs compress thousands of times
# Every download of an attachment, the entrant's and the judge's alike: the file runs nothing and
# loads nothing if a browser opens it, and only this site's pages may frame it (the judge's page).
ATTACHMENT_CSP = "default-src 'none'; sandbox; frame-ancestors 'self'"


class AttachmentInvalid(DomainError):
    default_message = _("This file cannot be accepted.")

    def __init__(self, message=None):
        super().__init__(message, field="attachment")


@dataclass(frozen=True)
class Inspected:
    file_type: str
    size: int
    name: str
    blind: bytes  # the judges' copy: the same document without its author's metadata

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.file_type]


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return FileType.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
    if head.startswith(b"PK\x03\x04"):
        return FileType.DOCX  # a zip; _docx_check decides whether it is a Word document
    return None


def attachment_inspect(upload, *, allowed_types: list[str], max_bytes: int) -> Inspected:
    name = PurePath(upload.name or "").name
    if not name or name in {".", ".."}:
        raise AttachmentInvalid(_("The file has no name."))
    if len(name) > 200:  # phones make long names; keep the end that says what the file is
        suffix = PurePath(name).suffix[:10]
        name = name[: 200 - len(suffix)] + suffix
    if upload.size > max_bytes:
        raise AttachmentInvalid(
            _("The file is {size} MB; this category accepts at most {limit} MB.").format(
                size=f"{upload.size / 1048576:.1f}", limit=max_bytes // 1048576
            )
        )
    if upload.size == 0:
        raise AttachmentInvalid(_("The file is empty."))
    upload.seek(0)
    head = upload.read(1024)
    detected = _sniff(head)
    upload.seek(0)
    allowed = ", ".join(FileType(t).label for t in allowed_types)
    if detected is None and b"%PDF-" in head:  # PDF readers look this far for the header; browsers too, for HTML
        raise AttachmentInvalid(_REFUSALS["pdf_preamble"])
    if detected is None:
        raise AttachmentInvalid(_("This kind of file is not accepted. Accepted: {types}.").format(types=allowed))
    if PurePath(name).suffix.lower() not in EXTENSIONS[detected]:
        raise AttachmentInvalid(
            _("The file's content is not what its name says ({name}); send the real file.").format(name=name)
        )
    if detected not in allowed_types:
        raise AttachmentInvalid(_("This category accepts only: {types}.").format(types=allowed))
    if detected == FileType.DOCX:
        _docx_check(upload)
    elif detected in (FileType.JPEG, FileType.PNG):
        _image_check(upload)
    upload.seek(0)
    blind = attachment_blind_copy(upload.read(), detected)
    upload.seek(0)
    return Inspected(file_type=detected, size=upload.size, name=name, blind=blind)


_CLEANERS = {FileType.PDF: pdf_clean, FileType.DOCX: docx_clean, FileType.JPEG: jpeg_clean, FileType.PNG: png_clean}
_REFUSALS = {
    "pdf_damaged": _("The PDF is damaged and cannot be read."),
    "pdf_encrypted": _("This PDF is protected by a password; send one that opens without a password."),
    "pdf_too_complex": _(
        "This PDF could not be checked within the time and memory allowed; export it again as a simpler PDF."
    ),
    "pdf_preamble": _("This PDF has something else before its start; it cannot be accepted. Export it again."),
    "pdf_polyglot": _("This PDF also holds a web page (HTML); it cannot be accepted. Export it again as a plain PDF."),
    "pdf_active": _(
        "This PDF holds content that runs or opens something by itself ({found}); it cannot be accepted. "
        "Print or export it again as a plain PDF."
    ),
    "docx_damaged": _("This is not a Word (DOCX) document."),
    "docx_macros": _(
        "This Word document contains macros (VBA); they are not accepted. Save it as a plain Word document (.docx)."
    ),
    "docx_activex": _("This Word document contains ActiveX controls; they are not accepted."),
    "docx_embedded": _(
        "This Word document contains embedded objects (a spreadsheet, another file ...); they are not accepted. "
        "Paste them as pictures, or send the document as PDF."
    ),
    "docx_external": _(
        "This Word document loads something from outside itself when it is opened ({found}); it cannot be "
        "accepted. Copy its content into a new blank document, or send it as PDF."
    ),
    "docx_dde": _("This Word document contains a DDE field, which can run programs; it cannot be accepted."),
    "image_damaged": _("The image is damaged and cannot be read."),
}


def attachment_blind_copy(data: bytes, file_type: str) -> bytes:
    """The judges' copy of a file of a known type; AttachmentInvalid names what stands in the way."""
    try:
        return _CLEANERS[file_type](data)
    except Refused as refused:
        raise AttachmentInvalid(_REFUSALS[refused.reason].format(found=", ".join(refused.found))) from None


def _docx_check(upload) -> None:
    not_docx = AttachmentInvalid(_("This is not a Word (DOCX) document."))
    bomb = AttachmentInvalid(_("This document unpacks to far more than its size; it cannot be accepted."))
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                raise not_docx
            if len(members) > DOCX_MAX_MEMBERS:
                raise bomb
            declared = sum(member.file_size for member in members)
            if declared > DOCX_MAX_UNPACKED or declared > DOCX_MAX_RATIO * max(upload.size, 1):
                raise bomb
            # The sizes in a zip's directory can lie: unpack for real, stopping at the limit.
            budget = min(DOCX_MAX_UNPACKED, DOCX_MAX_RATIO * max(upload.size, 1))
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(64 * 1024):
                        budget -= len(chunk)
                        if budget < 0:
                            raise bomb
    except AttachmentInvalid:
        raise
    except Exception:  # BadZipFile, zlib.error, LZMAError, EOFError ...: all mean "not a usable DOCX"
        raise not_docx from None
    finally:
        upload.seek(0)


def _image_check(upload) -> None:
    try:
        with Image.open(upload) as image:  # reads the header only
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise AttachmentInvalid(
                    _("The image is {width}×{height} pixels; at most 40 megapixels are accepted.").format(
                        width=width, height=height
                    )
                )
            image.verify()
    except AttachmentInvalid:
        raise
    except Image.DecompressionBombError:
        raise AttachmentInvalid(_("The image has far too many pixels; at most 40 megapixels are accepted.")) from None
    except Exception:  # Pillow raises many kinds for broken files; all mean the same here
        raise AttachmentInvalid(_("The image is damaged and cannot be read.")) from None
    finally:
        upload.seek(0)
