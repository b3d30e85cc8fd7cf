"""A submission sent again after its answer was lost (Idempotency-Key) makes one entry; a
request that dies leaves no upload behind."""

import os
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from contests.models import Category, Contest
from core.idempotency import idempotency_keys_prune
from core.models import IdempotencyKey
from submissions.models import Entry
from submissions.services import attachments_orphaned_delete
from tests.factories import CategoryFactory, ContestFactory, EntryFactory, StudentFactory
from tests.files import PDF, upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def entry_files(entry) -> list[Path]:
    """The entry's upload and the judges' copy made from it."""
    return sorted(Path(f.path) for f in (entry.attachment, entry.blind_attachment))


def stored_files() -> list[Path]:
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def student(role_users):
    return role_users["student"]


@pytest.fixture
def roomy(category):
    """Room for three entries each: a second entry would not be stopped by the quota."""
    Category.objects.filter(pk=category.pk).update(max_entries_per_entrant=3)
    category.refresh_from_db()
    return category


def essay(category, **overrides):
    return {
        "category": category.pk,
        "title": "Cuốn sách thay đổi tôi",
        "book_title": "Dế Mèn phiêu lưu ký",
        "book_author": "Tô Hoài",
        "body": "Tôi đã đọc cuốn sách này.",
    } | overrides


def submit(user, contest, data, key=None, fmt="json", language="en"):
    client = APIClient()
    client.force_authenticate(user)
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    url = reverse("contest-entries", kwargs={"contest_id": contest.pk})
    return client.post(url, data, format=fmt, HTTP_ACCEPT_LANGUAGE=language, **headers)


def test_a_submission_sent_again_with_its_key_answers_as_the_first_and_makes_one_entry(student, contest, roomy):
    first = submit(student, contest, essay(roomy), key="4d1c0c8e-5b7a-4d42-9b1e-8f0c2a3e6d11")

    again = submit(student, contest, essay(roomy), key="4d1c0c8e-5b7a-4d42-9b1e-8f0c2a3e6d11")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Entry.objects.count() == 1


def test_an_upload_sent_again_with_its_key_is_stored_once(student, contest, roomy):
    Category.objects.filter(pk=roomy.pk).update(formats=["text", "file"])

    answers = [
        submit(student, contest, essay(roomy) | {"attachment": upload("bai.pdf", PDF)}, key="k-1", fmt="multipart")
        for _ in range(2)
    ]

    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json()["code"] == answers[1].json()["code"]
    assert Entry.objects.count() == 1
    assert stored_files() == entry_files(Entry.objects.get())


def test_the_same_key_with_a_different_submission_is_a_422(student, contest, roomy):
    submit(student, contest, essay(roomy), key="k-1")

    response = submit(student, contest, essay(roomy, title="Một bài khác"), key="k-1")

    assert response.status_code == 422
    assert response.json() == {
        "detail": "This Idempotency-Key was sent before with a different request; use a new key for a new submission.",
        "code": "idempotency_key_reused",
    }
    assert Entry.objects.count() == 1


def test_a_retry_after_the_deadline_still_gets_the_entry_it_made(student, contest, roomy):
    first = submit(student, contest, essay(roomy), key="k-1")
    Contest.objects.filter(pk=contest.pk).update(submission_closes_at=timezone.now() - timedelta(seconds=1))

    again = submit(student, contest, essay(roomy), key="k-1")
    late = submit(student, contest, essay(roomy), key="k-2")

    assert (again.status_code, again.json()["code"]) == (201, first.json()["code"])
    assert late.status_code == 409


def test_a_refused_submission_does_not_use_its_key_up(student, contest, roomy):
    refused = submit(student, contest, essay(roomy, video_url="https://example.com/x"), key="k-1")

    accepted = submit(student, contest, essay(roomy), key="k-1")

    assert (refused.status_code, accepted.status_code) == (400, 201)
    assert Entry.objects.count() == 1


def test_keys_are_per_person(student, contest, roomy, places):
    other = StudentFactory(library=places.north_library)

    answers = [submit(user, contest, essay(roomy), key="k-1") for user in (student, other)]

    assert [a.status_code for a in answers] == [201, 201]
    assert Entry.objects.count() == 2


def test_a_key_older_than_its_hours_is_forgotten(student, contest, roomy, settings):
    settings.IDEMPOTENCY_KEY_HOURS = 24
    submit(student, contest, essay(roomy), key="k-1")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))

    again = submit(student, contest, essay(roomy), key="k-1")

    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert Entry.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1


def test_without_a_key_each_submission_is_its_own(student, contest, roomy):
    answers = [submit(student, contest, essay(roomy)) for _ in range(2)]

    assert [a.status_code for a in answers] == [201, 201]
    assert Entry.objects.count() == 2
    assert IdempotencyKey.objects.count() == 0


@pytest.mark.parametrize("key", ["", "x" * 256, "khóa", "a b", "a\tb"])
def test_a_malformed_key_is_a_400(student, contest, roomy, key):
    response = submit(student, contest, essay(roomy), key=key)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The Idempotency-Key header must be 1 to 255 visible ASCII characters, such as a UUID.",
        "code": "idempotency_key_invalid",
    }
    assert Entry.objects.count() == 0


def test_a_paper_entry_sent_again_with_its_key_makes_one_entry_and_one_student(role_users, contest, roomy, places):
    client = APIClient()
    client.force_authenticate(role_users["library_staff"])
    data = essay(roomy) | {"library": places.north_library.pk, "entrant_full_name": "Phạm Văn Đồng"}
    url = reverse("contest-paper-entries", kwargs={"contest_id": contest.pk})

    answers = [client.post(url, data, format="json", HTTP_IDEMPOTENCY_KEY="giay-1") for _ in range(2)]

    assert [a.status_code for a in answers] == [201, 201]
    assert answers[1].json() == answers[0].json()
    assert Entry.objects.count() == 1


def test_a_csv_import_sent_again_with_its_key_imports_once(role_users, contest, roomy, places):
    client = APIClient()
    client.force_authenticate(role_users["library_staff"])
    csv = (
        "category,entrant_full_name,title,book_title,book_author,body\n"
        f"{roomy.pk},Phạm Văn Đồng,Bài một,Tắt đèn,Ngô Tất Tố,Nội dung một\n"
        f"{roomy.pk},Lê Thị Hoa,Bài hai,Số đỏ,Vũ Trọng Phụng,Nội dung hai\n"
    ).encode()
    url = reverse("contest-paper-entries-import", kwargs={"contest_id": contest.pk})

    answers = [
        client.post(
            url,
            {"library": places.north_library.pk, "file": upload("nhap.csv", csv)},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="nhap-1",
        )
        for _ in range(2)
    ]

    assert [a.status_code for a in answers] == [201, 201], answers[0].json()
    assert answers[1].json() == answers[0].json()
    assert answers[0].json()["imported"] == 2
    assert Entry.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_retries_with_the_same_key_at_the_same_instant_make_one_entry(places):
    contest = ContestFactory(network=places.north)
    category = CategoryFactory(contest=contest, max_entries_per_entrant=5, formats=["text", "file"])
    student = StudentFactory(library=places.north_library)
    barrier = threading.Barrier(4)
    answers = []

    def send():
        try:
            barrier.wait()
            data = essay(category) | {"attachment": upload("bai.pdf", PDF)}
            answers.append(submit(student, contest, data, key="cung-mot-khoa", fmt="multipart"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [a.status_code for a in answers] == [201] * 4
    assert len({a.json()["code"] for a in answers}) == 1
    assert sum(a.has_header("Idempotent-Replayed") for a in answers) == 3
    assert Entry.objects.filter(entrant=student).count() == 1
    assert stored_files() == entry_files(Entry.objects.get(entrant=student))


# --- no orphan upload ---------------------------------------------------------------------------


def test_a_submission_that_fails_after_its_file_was_written_leaves_no_file(student, contest, roomy, monkeypatch):
    Category.objects.filter(pk=roomy.pk).update(formats=["text", "file"])
    EntryFactory(category=roomy, code="DSVH26-222222")
    # Every code drawn is the one taken: the entry cannot be saved once its file is on disk.
    monkeypatch.setattr("secrets.choice", lambda alphabet: alphabet[0])

    response = submit(student, contest, essay(roomy) | {"attachment": upload("bai.pdf", PDF)}, fmt="multipart")

    assert response.status_code == 409
    assert Entry.objects.filter(entrant=student).count() == 0
    assert stored_files() == []


def test_the_sweep_deletes_uploads_no_entry_holds_once_they_are_an_hour_old(student, contest, roomy):
    Category.objects.filter(pk=roomy.pk).update(formats=["text", "file"])
    kept = submit(student, contest, essay(roomy) | {"attachment": upload("bai.pdf", PDF)}, fmt="multipart")
    entry_files_kept = entry_files(Entry.objects.get())
    assert stored_files() == entry_files_kept
    folder = entry_files_kept[0].parent
    # What a worker killed between writing the upload and committing its row leaves behind.
    orphan, fresh = folder / "0123456789abcdef.pdf", folder / "fedcba9876543210.pdf"
    for stray in (orphan, fresh):
        stray.write_bytes(PDF)
    # Stamped on the session's clock, which may have travelled (TEST_CLOCK), not the disk's.
    two_hours_ago, just_now = time.time() - 2 * 3600, time.time()
    for path in (orphan, *entry_files_kept):
        os.utime(path, (two_hours_ago, two_hours_ago))
    os.utime(fresh, (just_now, just_now))

    deleted = attachments_orphaned_delete(older_than=timedelta(hours=1))

    assert deleted == [f"entries/{contest.pk}/{orphan.name}"]
    assert stored_files() == sorted([*entry_files_kept, fresh])
    assert kept.status_code == 201


def test_the_sweep_of_an_empty_media_root_finds_nothing(db):
    assert attachments_orphaned_delete() == []


def test_expired_keys_are_pruned(student, contest, roomy):
    submit(student, contest, essay(roomy), key="cu")
    submit(student, contest, essay(roomy), key="moi")
    IdempotencyKey.objects.filter(key="cu").update(created_at=timezone.now() - timedelta(days=2))

    assert idempotency_keys_prune() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["moi"]


def test_the_reused_key_refusal_is_in_vietnamese_by_default(student, contest, roomy):
    submit(student, contest, essay(roomy), key="k-1")

    response = submit(student, contest, essay(roomy, title="Một bài khác"), key="k-1", language="vi")

    assert response.json()["detail"] == (
        "Idempotency-Key này đã được gửi trước đó cùng một yêu cầu khác; hãy dùng khóa mới cho lần gửi mới."
    )
