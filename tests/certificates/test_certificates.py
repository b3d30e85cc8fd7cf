"""Issuing, rendering, verifying, revoking and downloading a contest's certificates."""

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from rest_framework.throttling import ScopedRateThrottle

from certificates.models import Certificate
from certificates.services import code_display
from core.models import AuditEntry
from tests.certificates.conftest import NAMES
from tests.results.helpers import api


def issue(client, contest, capture) -> dict:
    """POST answers at once (202, the job running); returns the job as it reads once rendered."""
    with capture(execute=True):
        response = client.post(reverse("contest-certificates", kwargs={"pk": contest.pk}))
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "running"
    return client.get(reverse("job-detail", kwargs={"pk": response.json()["id"]})).json()


def pdf_text(certificate) -> str:
    with certificate.file.open("rb") as stream:
        return pypdf.PdfReader(io.BytesIO(stream.read())).pages[0].extract_text()


def test_a_published_contest_issues_one_certificate_per_holder_and_award(published, django_capture_on_commit_callbacks):
    job = issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)

    certificates = {
        (c.kind, c.holder_name, c.award, c.library_name) for c in Certificate.objects.filter(contest=published.contest)
    }
    library = "Thư viện Đại học Vinh"
    assert certificates == {
        ("prize", NAMES[0], "Giải Nhất — THPT & Đại học", library),
        ("prize", NAMES[1], "Giải Nhì — THPT & Đại học", library),
        ("prize", NAMES[2], "Bài viết sáng tạo — THPT & Đại học", library),
        *{("participation", name, "Đã tham gia cuộc thi", library) for name in NAMES},
        ("judge", "Vũ Hoàng Long", "Giám khảo Chung khảo", ""),
        ("collective", library, "Đơn vị tích cực", library),
    }
    assert (job["total"], job["done"], job["status"]) == (10, 10, "done")


@pytest.mark.parametrize("index", range(len(NAMES)))
def test_the_pdf_gives_back_the_holders_name_with_every_tone_mark(published, django_capture_on_commit_callbacks, index):
    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(kind="participation", holder=published.entries[index].entrant)

    text = pdf_text(certificate)

    assert NAMES[index] in text.splitlines()
    assert "GIẤY CHỨNG NHẬN" in text


def test_the_qr_code_opens_the_verification_page(published, django_capture_on_commit_callbacks, settings, client):
    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(kind="prize", holder=published.entries[0].entrant)

    with certificate.file.open("rb") as stream:
        page = pdfium.PdfDocument(stream.read())[0].render(scale=3).to_pil()
    (decoded,) = zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode)
    page_response = client.get(decoded.text.removeprefix(settings.SITE_URL), HTTP_ACCEPT_LANGUAGE="vi")

    assert decoded.text == f"{settings.SITE_URL}/verify/{certificate.code}/"
    assert page_response.status_code == 200
    html = page_response.content.decode()
    assert NAMES[0] in html and "Giải Nhất — THPT &amp; Đại học" in html


def test_issuing_again_adds_and_renders_only_what_is_missing(published, django_capture_on_commit_callbacks):
    client = api(published.organizer)
    issue(client, published.contest, django_capture_on_commit_callbacks)
    before = dict(Certificate.objects.values_list("pk", "rendered_at"))
    Certificate.objects.filter(kind="judge").update(rendered_at=None, file="")  # as if its worker died

    again = issue(client, published.contest, django_capture_on_commit_callbacks)

    after = dict(Certificate.objects.values_list("pk", "rendered_at"))
    judge_certificate = Certificate.objects.get(kind="judge")
    assert (again["total"], again["done"]) == (10, 10)
    assert set(after) == set(before)
    assert {pk: at for pk, at in after.items() if pk != judge_certificate.pk} == {
        pk: at for pk, at in before.items() if pk != judge_certificate.pk
    }
    assert after[judge_certificate.pk] > before[judge_certificate.pk]


def test_a_worker_killed_while_writing_leaves_no_part_file_once_the_certificate_is_rendered_again(
    published, django_capture_on_commit_callbacks, settings
):
    client = api(published.organizer)
    issue(client, published.contest, django_capture_on_commit_callbacks)
    judge_certificate = Certificate.objects.get(kind="judge")
    folder = Path(judge_certificate.file.path).parent
    # What SIGKILL leaves in the middle of _write_atomically: the row not marked, a .part beside.
    Certificate.objects.filter(pk=judge_certificate.pk).update(rendered_at=None, file="")
    (folder / f".{judge_certificate.code}.pdf.k1ll3d.part").write_bytes(b"%PDF-1.4 half a pa")

    issue(client, published.contest, django_capture_on_commit_callbacks)

    assert sorted(path.name for path in folder.iterdir() if path.suffix != ".pdf") == []
    assert (folder / f"{judge_certificate.code}.pdf").read_bytes().startswith(b"%PDF")


def test_certificates_wait_for_publication(places, role_users, django_capture_on_commit_callbacks):
    from tests.factories import ContestFactory

    contest = ContestFactory(network=places.north, status="judging")

    response = api(role_users["network_organizer"]).post(reverse("contest-certificates", kwargs={"pk": contest.pk}))

    assert response.status_code == 409
    assert Certificate.objects.count() == 0


def test_participation_certificates_can_be_switched_off(published, django_capture_on_commit_callbacks):
    url = reverse("contest-certificate-design", kwargs={"pk": published.contest.pk})
    api(published.organizer).put(url, {"participation": False}, format="json")

    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)

    assert sorted(Certificate.objects.values_list("kind", flat=True)) == [
        "collective",
        "judge",
        "prize",
        "prize",
        "prize",
    ]


# Verification -------------------------------------------------------------------------------


def verify(code, **headers):
    return api(None).get(reverse("certificate-verify", kwargs={"code": code}), **headers)


def test_verify_answers_for_a_valid_code_however_it_is_typed(published, django_capture_on_commit_callbacks):
    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(kind="prize", holder=published.entries[0].entrant)

    typed = verify(code_display(certificate.code).lower())

    assert typed.status_code == 200
    assert typed.json() == {
        "valid": True,
        "code": code_display(certificate.code),
        "holder": NAMES[0],
        "contest": "Đại sứ Văn hóa đọc 2025",
        "award": "Giải Nhất — THPT & Đại học",
        "library": "Thư viện Đại học Vinh",
        "issued_at": typed.json()["issued_at"],
        "revoked_at": None,
    }


# 23:30 UTC is already the next morning in Vietnam, where the page tells the date.
@pytest.mark.time_machine(datetime(2026, 11, 29, 23, 30, tzinfo=UTC), tick=False)
def test_a_revoked_certificate_says_so_with_the_date(published, django_capture_on_commit_callbacks, client):
    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(kind="prize", holder=published.entries[0].entrant)
    url = reverse("certificate-revoke", kwargs={"pk": certificate.pk})

    without = api(published.organizer).post(url, {"reason": ""}, format="json")
    revoked = api(published.organizer).post(url, {"reason": "Đạo văn"}, format="json")
    twice = api(published.organizer).post(url, {"reason": "Đạo văn"}, format="json")
    answer = verify(certificate.code).json()
    page = client.get(reverse("verify-page-code", kwargs={"code": certificate.code}), HTTP_ACCEPT_LANGUAGE="en")

    certificate.refresh_from_db()
    assert (without.status_code, revoked.status_code, twice.status_code) == (400, 200, 409)
    assert (answer["valid"], answer["revoked_at"]) == (False, revoked.json()["revoked_at"])
    assert answer["revoked_at"] is not None
    assert certificate.revoked_at == datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    assert "This certificate was revoked on 11/30/2026." in page.content.decode()
    assert AuditEntry.objects.get(action="certificate.revoked").reason == "Đạo văn"


def test_an_unknown_code_is_a_404(db, client):
    answer = verify("ABCD-EFGH-JKMN", HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(reverse("verify-page-code", kwargs={"code": "ABCDEFGHJKMN"}), HTTP_ACCEPT_LANGUAGE="en")

    assert answer.status_code == 404
    assert answer.json() == {"detail": "No certificate has this code."}
    assert page.status_code == 404
    assert "No certificate has this code." in page.content.decode()


def test_verification_is_throttled(db, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"verify": "3/minute"})

    statuses = [verify("ABCDEFGHJKMN").status_code for _ in range(4)]

    assert statuses == [404, 404, 404, 429]


def test_the_codes_are_long_random_and_unique(published, django_capture_on_commit_callbacks):
    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)

    codes = list(Certificate.objects.values_list("code", flat=True))

    assert len(set(codes)) == len(codes) == 10
    assert all((len(code) == 12 and code.isalnum() and code.isupper()) or code.isdigit() for code in codes)


# Downloads ----------------------------------------------------------------------------------


def test_the_list_filters_by_kind_and_refuses_an_unknown_one(published, role_users, django_capture_on_commit_callbacks):
    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)
    client = api(role_users["student"])

    prizes = client.get(reverse("certificate-list"), {"kind": "prize"}).json()
    unknown = client.get(reverse("certificate-list"), {"kind": "giai"}, HTTP_ACCEPT_LANGUAGE="en")

    assert [c["award"] for c in prizes["results"]] == ["Giải Nhất — THPT & Đại học"]
    assert unknown.status_code == 400
    assert unknown.json() == {"kind": ['"giai" is not a valid choice.']}


def test_a_holder_downloads_their_own_pdf_and_nobody_elses(
    published, role_users, other_student, django_capture_on_commit_callbacks
):
    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)
    own = Certificate.objects.get(kind="prize", holder=role_users["student"])
    url = reverse("certificate-pdf", kwargs={"pk": own.pk})

    mine = api(role_users["student"]).get(url)
    theirs = api(other_student).get(url)
    listed = api(role_users["student"]).get(reverse("certificate-list")).json()

    assert mine.status_code == 200
    assert mine["Content-Type"] == "application/pdf"
    assert b"".join(mine.streaming_content).startswith(b"%PDF")
    assert theirs.status_code == 404
    assert sorted((c["kind"], c["award"]) for c in listed["results"]) == [
        ("participation", "Đã tham gia cuộc thi"),
        ("prize", "Giải Nhất — THPT & Đại học"),
    ]


def zip_names(response) -> list[str]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    return sorted(zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist())


def test_library_staff_download_their_librarys_certificates_as_one_zip(
    published, role_users, places, django_capture_on_commit_callbacks
):
    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)
    url = reverse("contest-certificates-zip", kwargs={"pk": published.contest.pk})

    names = zip_names(api(role_users["library_staff"]).get(url))
    elsewhere = api(role_users["library_staff"]).get(url, {"library": places.south_library.pk})

    assert len(names) == 9  # everything but the judge's, who belongs to no library
    assert all(name.startswith("Thư viện Đại học Vinh/") for name in names)
    assert elsewhere.status_code == 403


def test_organizers_download_all_of_their_contests_certificates(published, django_capture_on_commit_callbacks):
    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)

    names = zip_names(
        api(published.organizer).get(reverse("contest-certificates-zip", kwargs={"pk": published.contest.pk}))
    )

    assert len(names) == 10
    assert f"Vũ Hoàng Long/Vũ Hoàng Long — {code_display(Certificate.objects.get(kind='judge').code)}.pdf" in names


def test_a_certificate_not_rendered_yet_answers_409(published, django_capture_on_commit_callbacks, role_users):
    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)
    own = Certificate.objects.get(kind="prize", holder=role_users["student"])
    Certificate.objects.filter(pk=own.pk).update(rendered_at=None)

    response = api(role_users["student"]).get(reverse("certificate-pdf", kwargs={"pk": own.pk}))

    assert response.status_code == 409


# Design -------------------------------------------------------------------------------------


def noisy_png(width=2600, height=1800) -> bytes:
    import os

    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_an_uploaded_background_is_downscaled_and_printed(published, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = noisy_png()
    url = reverse("contest-certificate-design", kwargs={"pk": published.contest.pk})
    response = api(published.organizer).put(
        url,
        {
            "background": SimpleUploadedFile("nen.png", png, content_type="image/png"),
            "signatory_name": "Nguyễn Văn Hùng",
            "signatory_title": "Trưởng Ban tổ chức",
        },
        format="multipart",
    )
    refused = api(published.organizer).put(
        url, {"logo": SimpleUploadedFile("logo.png", b"not a picture")}, format="multipart"
    )
    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)

    design = published.contest.certificate_design
    assert len(png) > 2_000_000
    assert response.status_code == 200 and response.json()["has_background"] is True
    assert design.background.size <= 200_000
    assert refused.status_code == 400 and set(refused.json()) == {"logo"}
    certificate = Certificate.objects.get(kind="judge")
    with certificate.file.open("rb") as stream:
        data = stream.read()
    assert b"/DCTDecode" in data and b"ASCII85Decode" not in data
    assert "Nguyễn Văn Hùng" in pdf_text(certificate)
