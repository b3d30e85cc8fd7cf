"""The text of attachments, read as hostile files in a child process."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from screening import extraction
from screening.models import Fingerprint, Pair
from tests.screening import essays

FONT = Path(__file__).resolve().parents[2] / "certificates" / "fonts" / "DejaVuSerif.ttf"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(paragraphs: list[str], *, prolog: str = "", padding: int = 0) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    xml = f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{W}"><w:body>{body}'
    xml += "<w:p><w:r><w:t></w:t></w:r></w:p>" * padding + "</w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def pdf(lines: list[str]) -> bytes:
    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONT)))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("DejaVuSerif", 10)
    y = 800
    for line in lines:
        page.drawString(40, y, line)
        y -= 14
        if y < 40:
            page.showPage()
            page.setFont("DejaVuSerif", 10)
            y = 800
    page.save()
    return buffer.getvalue()


def written(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_a_docx_and_a_pdf_give_their_vietnamese_text(tmp_path):
    word = written(tmp_path, "bai.docx", docx(["Dế Mèn phiêu lưu ký", "Tôi yêu văn hóa đọc."]))
    printed = written(tmp_path, "bai.pdf", pdf(["Dế Mèn phiêu lưu ký", "Tôi yêu văn hóa đọc."]))

    results = extraction.extract_many([(word, "docx"), (printed, "pdf")])

    assert results[0] == extraction.Extracted(text="Dế Mèn phiêu lưu ký\nTôi yêu văn hóa đọc.")
    assert results[1].error == ""
    assert results[1].text.split() == ["Dế", "Mèn", "phiêu", "lưu", "ký", "Tôi", "yêu", "văn", "hóa", "đọc."]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("damaged.docx", b"PK\x03\x04 not a zip at all"),
        ("damaged.pdf", b"%PDF-1.4\n garbage, no objects\n%%EOF"),
        # Entities that expand a billion times: refused before any expansion.
        (
            "laughs.docx",
            docx(
                ["&lol9;"],
                prolog='<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol9 "&lol;&lol;&lol;&lol;&lol;&lol;">]>',
            ),
        ),
        # 40 MB of markup in a 100 KB file: more than a document may unpack to.
        ("bomb.docx", docx(["x"], padding=1_200_000)),
    ],
)
def test_hostile_or_damaged_files_are_reported_unread(tmp_path, name, data):
    path = written(tmp_path, name, data)

    [result] = extraction.extract_many([(path, name.rsplit(".", 1)[1])])

    assert result == extraction.Extracted(error=extraction.UNREADABLE)


def test_a_pdf_without_text_is_reported_as_a_scan(tmp_path):
    path = written(tmp_path, "scan.pdf", pdf([]))

    assert extraction.extract_many([(path, "pdf")]) == [extraction.Extracted(error=extraction.NO_TEXT)]


def test_a_file_that_takes_longer_than_the_limit_is_given_up_and_the_next_one_still_read(tmp_path):
    path = written(tmp_path, "bai.docx", docx(["Tôi yêu sách"]))

    # No child answers within no time at all: each file is given up in turn, a new child each.
    results = extraction.extract_many([(path, "docx"), (path, "docx")], timeout=0)

    assert results == [extraction.Extracted(error=extraction.TIMEOUT_ERROR)] * 2


def test_an_essay_sent_as_a_docx_is_screened_like_typed_text(contest, write, screen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    original = write(essays.ORIGINAL)
    copy = write("", attachment=ContentFile(docx(essays.SENTENCES), name="bai.docx"), attachment_type="docx")

    run = screen(contest)

    assert [(p.entry_id, p.other_id, str(p.similarity)) for p in Pair.objects.all()] == [
        (original.pk, copy.pk, "1.0000")
    ]
    assert Fingerprint.objects.get(entry=copy).attachment_text.startswith(essays.SENTENCES[0])
    assert run.unreadable == 0


def test_an_unreadable_attachment_is_counted_on_the_run(contest, write, screen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = write("Bài viết ngắn kèm tệp hỏng.")
    entry.attachment.save("bai.pdf", ContentFile(b"%PDF-1.4\n garbage\n%%EOF"))
    entry.attachment_type = "pdf"
    entry.save()

    run = screen(contest)

    assert (run.unreadable, Fingerprint.objects.get(entry=entry).attachment_error) == (1, "unreadable")
