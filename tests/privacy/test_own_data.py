"""The person's own data: they download everything held about them, and ask for it to be
deleted; an organizer carries the request out, keeping (and saying) what must be kept."""

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates.models import Certificate
from core.models import AuditEntry
from people.models import User
from privacy import consent
from privacy.models import ErasedEntry, ErasureRequest
from submissions.enums import EntryStatus
from submissions.models import Entry
from tests.certificates.conftest import NAMES, published  # noqa: F401  (the fixture)
from tests.certificates.test_certificates import issue
from tests.factories import EntryFactory, JudgeFactory, RoundResultFactory
from tests.privacy.conftest import CHILD_BORN
from tests.privacy.helpers import PDF, api

PUBLISHED = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


@pytest.fixture
def issued(published, django_capture_on_commit_callbacks):  # noqa: F811
    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)
    return published


@pytest.fixture
def student(issued, role_users, contest, category, staff):
    """role_users' student: a child whose library recorded their guardian's paper form; winner
    of Giải Nhất in the published contest; an entry with a file, scored, in a contest still open."""
    student = role_users["student"]
    student.birth_date = CHILD_BORN
    student.save()
    consent.guardian_consent_paper(
        actor=staff,
        child=student,
        guardian_name="Trần Thị Cúc",
        relation="mother",
        scan=SimpleUploadedFile("phieu.pdf", PDF),
        publish=True,
    )
    running = EntryFactory(category=category, entrant=student, title="Bài năm nay")
    running.attachment.save("bai.pdf", ContentFile(b"%PDF-1.4 bai nam nay"), save=True)
    running.attachment_name = "Bài năm nay.pdf"
    running.save()
    RoundResultFactory(entry=running, score="55.5000")  # not published: not even the entrant reads it
    return student


def unzip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.time_machine(PUBLISHED, tick=False)
def test_a_person_downloads_everything_held_about_them(student, issued, contest):
    response = api(student).get(reverse("privacy-export"))

    assert (response.status_code, response["Content-Type"]) == (200, "application/zip")
    archive = unzip(response)
    prize = Certificate.objects.get(kind="prize", holder=student)
    taking_part = Certificate.objects.get(kind="participation", holder=student)
    running = Entry.objects.get(entrant=student, contest=contest)
    (consent_id,) = student.guardian_consents.values_list("pk", flat=True)
    assert sorted(archive.namelist()) == sorted(
        [
            "data.json",
            f"entries/{running.code}/{running.attachment_name}",
            f"guardian-consents/{consent_id}.pdf",
            f"certificates/{prize.code}.pdf",
            f"certificates/{taking_part.code}.pdf",
        ]
    )
    assert archive.read(f"entries/{running.code}/{running.attachment_name}") == b"%PDF-1.4 bai nam nay"
    data = json.loads(archive.read("data.json"))
    assert (data["person"]["full_name"], data["person"]["birth_date"]) == (NAMES[0], "2015-03-01")
    assert [(c["method"], c["guardian_name"], c["publish"]) for c in data["guardian_consents"]] == [
        ("paper", "Trần Thị Cúc", True)
    ]
    won, now = data["entries"]
    assert (won["code"], won["prizes"], [r["rank"] for r in won["results"]]) == (
        issued.entries[0].code,
        ["Giải Nhất"],
        [1],
    )
    assert (now["code"], now["title"], now["results"], now["prizes"]) == (running.code, "Bài năm nay", [], [])
    assert {c["code"] for c in data["certificates"]} == {prize.code, taking_part.code}
    assert "55.5" not in archive.read("data.json").decode()


def test_nobody_else_s_data_is_in_the_download(student, issued):
    other = User.objects.get(pk=issued.entries[1].entrant_id)

    data = json.loads(unzip(api(other).get(reverse("privacy-export"))).read("data.json"))

    assert [entry["code"] for entry in data["entries"]] == [issued.entries[1].code]
    assert data["guardian_consents"] == []


@pytest.mark.time_machine(PUBLISHED, tick=False)
def test_asking_for_deletion_twice_is_a_conflict(student):
    first = api(student).post(reverse("privacy-erasure"), {"reason": "Con tôi không muốn tham gia nữa"}, format="json")
    second = api(student).post(reverse("privacy-erasure"), {}, format="json")

    assert (first.status_code, first.json()["status"]) == (201, "pending")
    assert second.status_code == 409


@pytest.mark.time_machine(PUBLISHED, tick=False)
def test_the_organizer_sees_what_must_be_kept(student, issued, organizer):
    api(student).post(reverse("privacy-erasure"), {}, format="json")

    response = api(organizer).get(reverse("erasure-request-list"), HTTP_ACCEPT_LANGUAGE="en")

    (request,) = response.json()["results"]
    (kept,) = request["kept"]
    assert (request["person_name"], request["library_name"], request["status"]) == (
        NAMES[0],
        "Thư viện Đại học Vinh",
        "pending",
    )
    assert (kept["entry"], kept["contest"], kept["prize"], kept["until"]) == (
        issued.entries[0].code,
        "Đại sứ Văn hóa đọc 2025",
        "Giải Nhất",
        "2027-06-01T10:00:00+07:00",
    )
    assert kept["why"].startswith("A published prize stays in the contest's record")


@pytest.mark.time_machine(PUBLISHED, tick=False)
def test_carrying_out_removes_all_but_the_published_prize(student, issued, organizer, contest):
    api(student).post(reverse("privacy-erasure"), {}, format="json")
    request = ErasureRequest.objects.get()
    running = Entry.objects.get(entrant=student, contest=contest)
    scan = student.guardian_consents.get().scan
    scan_name, storage = scan.name, scan.storage

    response = api(organizer).post(reverse("erasure-request-carry-out", kwargs={"pk": request.pk}))

    assert response.status_code == 200
    assert response.json()["report"] == {
        "entries": 1,
        "winners": 0,
        "files": 2,
        "people": 1,
        "certificates": 0,
        "kept": [issued.entries[0].code],
    }
    running.refresh_from_db()
    assert (running.status, running.title, running.attachment.name) == (EntryStatus.WITHDRAWN, "", "")
    assert not storage.exists(scan_name)
    assert set(ErasedEntry.objects.values_list("entry_id", flat=True)) == {running.pk}
    student.refresh_from_db()
    assert (student.full_name, student.email, student.birth_date, student.is_active) == ("", "", None, False)
    won = Entry.objects.get(pk=issued.entries[0].pk)
    assert won.title == issued.entries[0].title  # the published prize is kept
    public = api(None).get(reverse("contest-results", kwargs={"pk": issued.contest.pk})).json()["results"][0]
    assert public["entrant"] == {"id": None, "full_name": won.code, "name_withheld": True}
    assert AuditEntry.objects.filter(action="privacy.erasure_carried_out", target_id=request.pk).count() == 1
    again = api(organizer).post(reverse("erasure-request-carry-out", kwargs={"pk": request.pk}))
    assert again.status_code == 409


def test_a_judge_s_request_waits_for_their_roles_to_go(issued, organizer, places):
    judge = User.objects.get(pk=issued.entries[4].entrant_id)
    JudgeFactory(user=judge)
    api(judge).post(reverse("privacy-erasure"), {}, format="json")

    response = api(organizer).post(reverse("erasure-request-carry-out", kwargs={"pk": ErasureRequest.objects.get().pk}))

    assert response.status_code == 409
    judge.refresh_from_db()
    assert judge.full_name == NAMES[4]


def test_organizers_of_another_network_do_not_see_the_request(student, places):
    from tests.factories import NetworkOrganizerFactory

    outsider = NetworkOrganizerFactory(network=places.south).user
    api(student).post(reverse("privacy-erasure"), {}, format="json")

    listed = api(outsider).get(reverse("erasure-request-list"))
    done = api(outsider).post(reverse("erasure-request-carry-out", kwargs={"pk": ErasureRequest.objects.get().pk}))

    assert (listed.json()["count"], done.status_code) == (0, 404)


@pytest.mark.time_machine(PUBLISHED, tick=False)
def test_what_is_kept_is_said_in_vietnamese_too(student, organizer):
    api(student).post(reverse("privacy-erasure"), {}, format="json")

    response = api(organizer).get(reverse("erasure-request-list"), HTTP_ACCEPT_LANGUAGE="vi")

    (kept,) = response.json()["results"][0]["kept"]
    assert kept["why"].startswith("Giải thưởng đã công bố được giữ trong hồ sơ cuộc thi")
    assert "01-06-2027" in kept["why"]


@pytest.mark.parametrize("count", [1, 3])
def test_the_requests_list_reads_a_fixed_number_of_queries(issued, organizer, count, django_assert_num_queries):
    askers = [User.objects.get(pk=entry.entrant_id) for entry in issued.entries[:count]]
    for asker in askers:
        api(asker).post(reverse("privacy-erasure"), {}, format="json")
    client = api(organizer)

    # the same for one request as for three: no query per row
    with django_assert_num_queries(3):
        response = client.get(reverse("erasure-request-list"))

    assert response.json()["count"] == count
