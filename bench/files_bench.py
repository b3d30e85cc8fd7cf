"""What the judges' copy costs an upload: a benchmark, not a test. For a realistic file of each
kind it prints, measured in the same run, the time of storing the upload (written to disk and
synced, as every upload is), of the checks it already had (type by bytes, the DOCX unpacked
under its budget, the image's header verified), and of making the copy (submissions.cleaning),
with the copy's time as a ratio of the storing's. No database.

    make bench-files          # BENCH_ROUNDS=3 (the best of each is printed)
"""

import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def best(function, *args) -> float:
    seconds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function(*args)
        seconds.append(time.perf_counter() - start)
    return min(seconds)


def photo(size=(4000, 3000)) -> bytes:
    """A 12-megapixel phone photo's worth of JPEG, with EXIF."""
    from PIL import Image

    image = Image.merge("RGB", [Image.effect_noise(size, 40 + 10 * band) for band in range(3)])
    exif = Image.Exif()
    exif[0x0112], exif[0x013B] = 6, "Hoàng Thị Bích Ngọc"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def scan_png(size=(2480, 3508)) -> bytes:
    """An A4 page scanned at 300 dpi, greyscale."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise(size, 20).point(lambda v: 255 if v > 100 else 0).save(buffer, "PNG")
    return buffer.getvalue()


def essay_pdf(pages=30) -> bytes:
    """A 30-page essay with a photo on every page, as reportlab writes it."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = ImageReader(io.BytesIO(photo((1200, 900))))
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=(595, 842))
    document.setAuthor("Hoàng Thị Bích Ngọc")
    for number in range(pages):
        document.drawImage(picture, 72, 400, width=451, height=338)
        for line in range(20):
            document.drawString(
                72, 380 - 14 * line, f"Trang {number + 1}, dòng {line + 1}: cuốn sách dạy tôi lắng nghe."
            )
        document.showPage()
    document.save()
    return buffer.getvalue()


def essay_docx(paragraphs=3000, pictures=5) -> bytes:
    from tests.files import docx_with_author

    who = {"full_name": "Hoàng Thị Bích Ngọc", "username": "ngoc", "email": "ngoc@zeta.edu.vn", "library": "Zeta"}
    base = docx_with_author(who)
    text = "".join(
        f"<w:p><w:r><w:t>Đoạn {n}: cuốn sách dạy tôi biết lắng nghe.</w:t></w:r></w:p>" for n in range(paragraphs)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + text.encode())
            target.writestr(member.filename, data)
        for number in range(pictures):
            target.writestr(f"word/media/photo{number}.jpeg", photo((1600, 1200)))
    return buffer.getvalue()


def main() -> None:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from contests.enums import FileType
    from submissions import files as checks_module
    from submissions.files import attachment_blind_copy

    def checks_before(upload, kind) -> None:
        """What attachment_inspect did before it made a copy."""
        upload.seek(0)
        checks_module._sniff(upload.read(16))
        if kind == FileType.DOCX:
            checks_module._docx_check(upload)
        elif kind in (FileType.JPEG, FileType.PNG):
            checks_module._image_check(upload)

    files = {
        FileType.JPEG: ("photo.jpg", photo()),
        FileType.PNG: ("scan.png", scan_png()),
        FileType.PDF: ("essay.pdf", essay_pdf()),
        FileType.DOCX: ("essay.docx", essay_docx()),
    }

    def store(data: bytes) -> None:
        with tempfile.NamedTemporaryFile() as stored:
            stored.write(data)
            stored.flush()
            os.fsync(stored.fileno())

    print(f"{'kind':6} {'size':>8} {'store':>8} {'checks':>8} {'copy':>8} {'copy/store':>11}")
    for kind, (name, data) in files.items():
        stored = best(store, data)
        checks = best(checks_before, SimpleUploadedFile(name, data), kind)
        copy = best(attachment_blind_copy, data, kind)
        print(
            f"{kind:6} {len(data) / 1048576:6.1f}MB {stored * 1000:6.0f}ms {checks * 1000:6.0f}ms "
            f"{copy * 1000:6.0f}ms {copy / stored:10.1f}x"
        )
    one_page = best(attachment_blind_copy, essay_pdf(pages=1), FileType.PDF)
    print(f"a one-page PDF's copy: {one_page * 1000:.0f}ms (most of it the checking process's start)")


if __name__ == "__main__":
    main()
