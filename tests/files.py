"""Real files of each kind, made in memory, for upload tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image_bytes(kind: str, size=(64, 48), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color=0 if mode == "1" else (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def docx_bytes(*, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document><w:body>Tôi yêu sách</w:body></w:document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb_docx() -> bytes:
    """A valid-looking DOCX holding 50 MB of zeros: ~50 KB on the wire."""
    return docx_bytes(extra={"word/media/padding.bin": bytes(50 * 1024 * 1024)})


def upload(name: str, data: bytes, content_type="application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def multipart_raw(fields: dict[str, str], *, file_field: str, file_name: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body with the file name exactly as given (Django's test client would strip
    a path from it before sending, as a browser does)."""
    boundary = "----docsachboundary"
    parts = []
    for key, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def docx_with_corrupt_stream() -> bytes:
    """A DOCX whose document.xml is declared deflated but holds garbage."""
    data = bytearray(docx_bytes(extra={"word/styles.xml": "<styles>" + "x" * 4000 + "</styles>"}))
    start = data.index(b"word/styles.xml") + len(b"word/styles.xml")
    data[start : start + 40] = b"\xff" * 40
    return bytes(data)
