import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject
from rest_framework.test import APIClient

from submissions.cleaning import Refused
from submissions.cleaning.pdf import pdf_clean
from submissions.models import Entry
from tests.factories import CategoryFactory
from tests.files import (
    PDF,
    docx_bytes,
    docx_with_corrupt_stream,
    image_bytes,
    multipart_raw,
    pdf_with,
    relationships,
    upload,
    zip_bomb_docx,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def files_category(contest):
    return CategoryFactory(contest=contest, name="Bảng tệp", formats=["file", "text"], max_file_mb=1)


def send(user, contest, category, attachment, language="vi"):
    client = APIClient()
    client.force_authenticate(user)
    data = {"category": category.pk, "title": "Bài dự thi", "book_title": "Tắt đèn", "book_author": "Ngô Tất Tố"}
    return client.post(
        reverse("contest-entries", kwargs={"contest_id": contest.pk}),
        data | {"attachment": attachment},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("bai-du-thi.pdf", PDF, "pdf"),
        ("Bài dự thi.docx", docx_bytes(), "docx"),
        ("anh-chup.JPG", image_bytes("JPEG"), "jpeg"),
        ("so-do.png", image_bytes("PNG"), "png"),
    ],
)
def test_each_allowed_file_type_is_stored_under_a_random_name(role_users, contest, files_category, name, data, kind):
    response = send(role_users["student"], contest, files_category, upload(name, data))

    assert response.status_code == 201, response.json()
    entry = Entry.objects.get()
    assert (entry.attachment_name, entry.attachment_type, entry.attachment_size) == (name, kind, len(data))
    original, blind = Path(entry.attachment.path), Path(entry.blind_attachment.path)
    assert stored_files() == sorted([original, blind])  # the upload, and the judges' copy
    assert original.read_bytes() == data
    assert blind.suffix == original.suffix and blind.name != original.name
    assert name.split(".")[0] not in original.name + blind.name  # nothing the entrant typed reaches the disk
    assert response.json()["attachment"] == f"/api/entries/{entry.pk}/attachment/"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "bai.pdf",
            b"MZ\x90\x00 not a pdf at all",
            "Không nhận loại tệp này. Các loại được nhận: DOCX, JPEG, PDF, PNG.",
        ),
        ("bai.pdf", image_bytes("PNG"), "Nội dung tệp không đúng với tên tệp (bai.pdf); hãy gửi đúng tệp."),
        ("virus.docx", PDF, "Nội dung tệp không đúng với tên tệp (virus.docx); hãy gửi đúng tệp."),
        ("bai.docx", b"PK\x03\x04" + b"\x00" * 40, "Đây không phải tài liệu Word (DOCX)."),
        ("bom.docx", zip_bomb_docx(), "Tài liệu này giải nén ra lớn bất thường so với dung lượng; không thể nhận."),
        ("hong.docx", docx_with_corrupt_stream(), "Đây không phải tài liệu Word (DOCX)."),
        ("lon.pdf", PDF + b"0" * (1024 * 1024), "Tệp nặng 1.0 MB; bảng thi này chỉ nhận tối đa 1 MB."),
        ("rong.pdf", b"", "Tệp rỗng."),
        (
            "anh.png",
            image_bytes("PNG", size=(8000, 6000), mode="1"),
            "Ảnh có 8000×6000 điểm ảnh; chỉ nhận tối đa 40 megapixel.",
        ),
        ("hong.png", image_bytes("PNG")[:40], "Ảnh bị hỏng, không đọc được."),
    ],
    ids=[
        "unknown-bytes",
        "png-named-pdf",
        "pdf-named-docx",
        "broken-zip",
        "zip-bomb",
        "corrupt-docx",
        "too-big",
        "empty",
        "pixel-flood",
        "truncated-image",
    ],
)
def test_bad_files_are_400_and_nothing_is_stored(role_users, contest, files_category, name, data, message):
    response = send(role_users["student"], contest, files_category, upload(name, data))

    assert response.status_code == 400
    assert response.json()["attachment"] == [message]
    assert (Entry.objects.count(), stored_files()) == (0, [])


def test_a_type_the_category_does_not_allow_is_400(role_users, contest):
    pdf_only = CategoryFactory(contest=contest, formats=["file"], allowed_file_types=["pdf"])

    response = send(role_users["student"], contest, pdf_only, upload("anh.png", image_bytes("PNG")), language="en")

    assert (response.status_code, response.json()["attachment"]) == (400, ["This category accepts only: PDF."])


@pytest.mark.parametrize("file_name", ["../../etc/passwd.pdf", "..\\..\\windows\\bai.pdf", ".."])
def test_a_path_in_the_file_name_is_400_and_nothing_is_stored(role_users, contest, files_category, file_name):
    body, content_type = multipart_raw(
        {"category": str(files_category.pk), "title": "Bài", "book_title": "Sách", "book_author": "Tác giả"},
        file_field="attachment",
        file_name=file_name,
        data=PDF,
    )
    client = APIClient()
    client.force_authenticate(role_users["student"])

    response = client.generic(
        "POST",
        reverse("contest-entries", kwargs={"contest_id": contest.pk}),
        body,
        content_type,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert (response.status_code, response.json()) == (400, {"detail": "File names must not contain a folder path."})
    assert (Entry.objects.count(), stored_files()) == (0, [])


def test_attachment_download_is_permission_checked_and_an_attachment(role_users, contest, files_category, places):
    send(role_users["student"], contest, files_category, upload("Bài dự thi.pdf", PDF))
    entry = Entry.objects.get()
    url = reverse("entry-attachment", kwargs={"pk": entry.pk})

    def fetch(role):
        client = APIClient()
        if role_users[role]:
            client.force_authenticate(role_users[role])
        return client.get(url)

    statuses = {role: fetch(role).status_code for role in role_users}
    response = fetch("student")

    assert statuses == {
        "anonymous": 401,
        "student": 200,
        "judge": 404,  # judges download through their assignment, blind
        "library_staff": 200,
        "network_organizer": 200,
        "platform_organizer": 200,
    }
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''B%C3%A0i%20d%E1%BB%B1%20thi.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_student_of_another_library_cannot_download(contest, files_category, role_users, places):
    from tests.factories import StudentFactory

    send(role_users["student"], contest, files_category, upload("bai.pdf", PDF))
    stranger = StudentFactory(library=places.north_library)
    client = APIClient()
    client.force_authenticate(stranger)

    response = client.get(reverse("entry-attachment", kwargs={"pk": Entry.objects.get().pk}))

    assert response.status_code == 404


# --- active content: refused with the reason, nothing stored ----------------------------------


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    action.update({NameObject(f"/{key}"): value for key, value in entries.items()})
    return action


def _link(action: DictionaryObject) -> ArrayObject:
    return ArrayObject(
        [
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Link"),
                    NameObject("/Rect"): ArrayObject(
                        [NumberObject(0), NumberObject(0), NumberObject(9), NumberObject(9)]
                    ),
                    NameObject("/A"): action,
                }
            )
        ]
    )


def _encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
    writer.encrypt(user_password="matkhau", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


ALERT = TextStringObject("app.alert(1)")
PDF_ACTIVE = (
    "Tệp PDF này có nội dung tự chạy hoặc tự mở thứ khác ({}) nên không thể nhận. "
    "Hãy in hoặc xuất lại thành tệp PDF thông thường."
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            pdf_with(
                catalog={
                    "/Names": DictionaryObject(
                        {
                            NameObject("/JavaScript"): DictionaryObject(
                                {
                                    NameObject("/Names"): ArrayObject(
                                        [TextStringObject("x"), _action("/JavaScript", JS=ALERT)]
                                    )
                                }
                            )
                        }
                    )
                }
            ),
            PDF_ACTIVE.format("/JavaScript"),
        ),
        (
            pdf_with(catalog={"/OpenAction": _action("/JavaScript", JS=ALERT)}),
            PDF_ACTIVE.format("/JavaScript, /OpenAction"),
        ),
        (
            pdf_with(catalog={"/OpenAction": _action("/URI", URI=TextStringObject("https://x.example/"))}),
            PDF_ACTIVE.format("/OpenAction"),
        ),
        (
            pdf_with(page_entries={"/Annots": _link(_action("/Launch", F=TextStringObject("calc.exe")))}),
            PDF_ACTIVE.format("/Launch"),
        ),
        (
            pdf_with(page_entries={"/AA": DictionaryObject({NameObject("/O"): _action("/SubmitForm")})}),
            PDF_ACTIVE.format("/AA, /SubmitForm"),
        ),
        (
            pdf_with(page_entries={"/Annots": _link(_action("/URI", URI=TextStringObject("javascript:alert(1)")))}),
            PDF_ACTIVE.format("/URI"),
        ),
        (
            pdf_with(catalog={"/Names": DictionaryObject({NameObject("/EmbeddedFiles"): DictionaryObject()})}),
            PDF_ACTIVE.format("/EmbeddedFiles"),
        ),
        (
            pdf_with(catalog={"/AcroForm": DictionaryObject({NameObject("/XFA"): ArrayObject()})}),
            PDF_ACTIVE.format("/XFA"),
        ),
        # A name may be written with #xx escapes; it is compared once parsed.
        (
            PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript /JS (1) >>"),
            PDF_ACTIVE.format("/JavaScript, /OpenAction"),
        ),
        (
            PDF[:9] + b"<html><body><script>alert(1)</script></body></html>\n" + PDF[9:],
            "Tệp PDF này có chứa cả một trang web (HTML) nên không thể nhận. Hãy xuất lại thành tệp PDF thông thường.",
        ),
        (
            b"<html><script>alert(1)</script></html>\n" + PDF,
            "Tệp PDF này có nội dung lạ đứng trước phần mở đầu nên không thể nhận. Hãy xuất lại tệp.",
        ),
        (
            PDF + b"<SCRIPT src=//x.example/a.js></SCRIPT>",
            "Tệp PDF này có chứa cả một trang web (HTML) nên không thể nhận. Hãy xuất lại thành tệp PDF thông thường.",
        ),
        (_encrypted_pdf(), "Tệp PDF này có mật khẩu; hãy gửi tệp mở được mà không cần mật khẩu."),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R", "Tệp PDF bị hỏng, không đọc được."),
        (b"%PDF-1.7\n" + b"[" * 100_000, "Tệp PDF bị hỏng, không đọc được."),
    ],
    ids=[
        "javascript-names",
        "open-action-js",
        "open-action-uri",
        "launch",
        "additional-actions",
        "javascript-link",
        "embedded-files",
        "xfa",
        "escaped-name",
        "html-polyglot",
        "html-before-the-header",
        "script-anywhere",
        "encrypted",
        "truncated",
        "nested-100k",
    ],
)
def test_a_pdf_that_acts_by_itself_or_cannot_be_read_is_400_and_nothing_is_stored(
    role_users, contest, files_category, data, message
):
    response = send(role_users["student"], contest, files_category, upload("bai.pdf", data))

    assert (response.status_code, response.json()) == (400, {"attachment": [message]})
    assert (Entry.objects.count(), stored_files()) == (0, [])


def _rels(*rows) -> str:
    return relationships(*rows)


DOCX_EXTERNAL = (
    "Tài liệu Word này tải nội dung từ bên ngoài khi được mở ({}) nên không thể nhận. "
    "Hãy chép nội dung sang một tài liệu trống mới, hoặc gửi dạng PDF."
)
DOCX_MACROS = (
    "Tài liệu Word này có macro (VBA), không được chấp nhận. Hãy lưu lại thành tài liệu Word thông thường (.docx)."
)
DDE = "Tài liệu Word này có trường DDE, có thể chạy chương trình, nên không thể nhận."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (docx_bytes(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 VBA"}), DOCX_MACROS),
        (
            docx_bytes(
                content_types='<Override PartName="/word/document.xml" '
                'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>'
            ),
            DOCX_MACROS,
        ),
        (
            docx_bytes(
                extra={
                    "word/_rels/settings.xml.rels": _rels(
                        ("rId1", "attachedTemplate", "https://x.example/t.dotm", "External")
                    )
                }
            ),
            DOCX_EXTERNAL.format("attachedTemplate"),
        ),
        (
            docx_bytes(
                extra={
                    "word/_rels/document.xml.rels": _rels(
                        ("rId1", "hyperlink", "https://vi.wikipedia.org/", "External"),
                        ("rId2", "image", "\\\\x.example\\share\\a.png", "External"),
                        ("rId3", "frame", "https://x.example/", "external"),
                    )
                }
            ),
            DOCX_EXTERNAL.format("frame, image"),
        ),
        (  # a link to a file on the entrant's computer names them, and leaks a password hash when clicked
            docx_bytes(
                extra={
                    "word/_rels/document.xml.rels": _rels(
                        ("rId1", "hyperlink", "file:///C:/Users/bichngoc/Desktop/nguon.docx", "External")
                    )
                }
            ),
            DOCX_EXTERNAL.format("hyperlink"),
        ),
        (
            docx_bytes(extra={"word/activeX/activeX1.xml": "<ax:ocx/>"}),
            "Tài liệu Word này có điều khiển ActiveX, không được chấp nhận.",
        ),
        (
            docx_bytes(extra={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}),
            "Tài liệu Word này có đối tượng nhúng (bảng tính, tệp khác...), không được chấp nhận. "
            "Hãy dán chúng dưới dạng ảnh, hoặc gửi tài liệu dạng PDF.",
        ),
        (
            docx_bytes(
                extra={
                    "word/footer1.xml": '<w:ftr><w:fldSimple w:instr=" DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe '
                    '&quot;/k calc&quot;"/></w:ftr>'
                }
            ),
            DDE,
        ),
        (  # split across runs, as an attacker writes it to slip past a search of one run
            docx_bytes(
                extra={
                    "word/endnotes.xml": "<w:endnotes><w:r><w:instrText>DD</w:instrText></w:r>"
                    '<w:r><w:instrText xml:space="preserve">EAUTO "c:\\\\a.exe"</w:instrText></w:r></w:endnotes>'
                }
            ),
            DDE,
        ),
        (
            docx_bytes(extra={"word/styles.xml": '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa">]><s>&a;</s>'}),
            "Đây không phải tài liệu Word (DOCX).",
        ),
    ],
    ids=[
        "vba-project",
        "macro-content-type",
        "attached-template",
        "linked-image-and-frame",
        "file-hyperlink",
        "activex",
        "ole-object",
        "dde",
        "dde-split",
        "dtd",
    ],
)
def test_a_word_document_with_active_or_outside_content_is_400_and_nothing_is_stored(
    role_users, contest, files_category, data, message
):
    response = send(role_users["student"], contest, files_category, upload("bai.docx", data))

    assert (response.status_code, response.json()) == (400, {"attachment": [message]})
    assert (Entry.objects.count(), stored_files()) == (0, [])


def test_replacing_the_attachment_replaces_both_files_and_leaves_no_other(
    role_users, contest, files_category, django_capture_on_commit_callbacks
):
    student = role_users["student"]
    send(student, contest, files_category, upload("bai.pdf", PDF))
    entry = Entry.objects.get()
    client = APIClient()
    client.force_authenticate(student)
    url = reverse("entry-detail", kwargs={"pk": entry.pk})

    refused = client.patch(
        url, {"attachment": upload("bai.docx", docx_bytes(extra={"word/vbaProject.bin": b"x"}))}, format="multipart"
    )
    kept = stored_files()
    with django_capture_on_commit_callbacks(execute=True):  # the old files go once the change is committed
        replaced = client.patch(url, {"attachment": upload("anh.png", image_bytes("PNG"))}, format="multipart")

    assert refused.status_code == 400
    assert kept == sorted(Path(f.path) for f in (entry.attachment, entry.blind_attachment))
    assert replaced.status_code == 200, replaced.json()
    entry.refresh_from_db()
    assert (entry.attachment_type, entry.attachment_name) == ("png", "anh.png")
    assert stored_files() == sorted(Path(f.path) for f in (entry.attachment, entry.blind_attachment))
    assert Path(entry.blind_attachment.path).read_bytes() == image_bytes("PNG")  # nothing to strip: the same bytes


def test_a_pdf_that_cannot_be_checked_within_its_limits_is_refused_as_too_complex():
    for limits in ({"seconds": 0}, {"max_objects": 3}):
        with pytest.raises(Refused) as refused:
            pdf_clean(PDF, **limits)
        assert refused.value.reason == "pdf_too_complex"


class CopyRefusingStorage(FileSystemStorage):
    """A disk that fills up between the upload and its judges' copy."""

    def _save(self, name, content):
        if isinstance(content, ContentFile):  # the copy; the upload itself comes as an UploadedFile
            raise OSError(28, "No space left on device")
        return super()._save(name, content)


def test_when_the_judges_copy_cannot_be_written_the_upload_is_removed_too(
    role_users, contest, files_category, settings
):
    student = role_users["student"]
    send(student, contest, files_category, upload("bai.pdf", PDF))
    entry = Entry.objects.get()
    before = stored_files()
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": f"{__name__}.CopyRefusingStorage", "OPTIONS": {"location": settings.MEDIA_ROOT}}
    }
    client = APIClient()
    client.force_authenticate(student)

    with pytest.raises(OSError):
        send(student, contest, CategoryFactory(contest=contest, formats=["file"]), upload("bai.pdf", PDF))
    with pytest.raises(OSError):
        client.patch(
            reverse("entry-detail", kwargs={"pk": entry.pk}),
            {"attachment": upload("anh.png", image_bytes("PNG"))},
            format="multipart",
        )

    assert (Entry.objects.count(), stored_files()) == (1, before)
    assert Entry.objects.get().attachment.name == entry.attachment.name
