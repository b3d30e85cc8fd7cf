from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from submissions.models import Entry
from tests.factories import CategoryFactory
from tests.files import PDF, docx_bytes, docx_with_corrupt_stream, image_bytes, multipart_raw, upload, zip_bomb_docx


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
    [stored] = stored_files()
    assert stored.read_bytes() == data
    assert name.split(".")[0] not in stored.name  # nothing the entrant typed reaches the disk
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
