import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from contests.enums import ContestStatus
from core.models import AuditEntry
from core.outbox import outbox_sweep
from submissions.content import CODE_ALPHABET, words_count
from submissions.models import Entry
from tests.factories import CategoryFactory, ContestFactory, EntryFactory, StudentFactory


@pytest.fixture
def student(role_users):
    return role_users["student"]


def submit(user, contest, data, *, fmt="json", language="vi"):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(
        reverse("contest-entries", kwargs={"contest_id": contest.pk}), data, format=fmt, HTTP_ACCEPT_LANGUAGE=language
    )


def essay(category, **overrides):
    return {
        "category": category.pk,
        "title": "Cuốn sách thay đổi cuộc đời tôi",
        "book_title": "Dế Mèn phiêu lưu ký",
        "book_author": "Tô Hoài",
        "book_publisher": "NXB Kim Đồng",
        "book_year": 2019,
        "book_isbn": "978-604-2-12345-7",
        "body": "Tôi đã đọc cuốn sách này vào mùa hè năm lớp sáu.",
    } | overrides


def test_student_submits_an_essay_and_gets_a_sealed_code(
    student, contest, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(student, contest, essay(category))

    assert response.status_code == 201, response.json()
    body = response.json()
    entry = Entry.objects.get()
    assert re.fullmatch(r"DSVH26-[2-9A-HJKMNP-Z]{6}", body["code"])
    assert (body["status"], body["word_count"], body["library"]["id"], body["editable"]) == (
        "submitted",
        12,
        student.library_id,
        True,
    )
    assert body["book_isbn"] == "9786042123457"
    assert (entry.entrant, entry.library, entry.submitted_by, entry.is_paper) == (
        student,
        student.library,
        student,
        False,
    )
    assert [m.to for m in mail.outbox] == [[student.email]]
    assert mail.outbox[0].subject == f"Đã nhận bài dự thi: {entry.code}"
    assert AuditEntry.objects.filter(action="entry.submitted", target_id=entry.pk).count() == 1


def test_sealed_codes_are_unique_and_carry_no_personal_data(student, contest, role_users):
    category = CategoryFactory(contest=contest, max_entries_per_entrant=30)
    codes = {submit(student, contest, essay(category)).json()["code"] for _ in range(30)}

    assert len(codes) == 30
    # Drawn, not derived: the prefix and six characters of the alphabet, nothing of the entrant's.
    # (Searching the codes for the entrant's initials or id failed by chance: "ANH" can be drawn.)
    assert all(re.fullmatch(rf"DSVH26-[{CODE_ALPHABET}]{{6}}", code) for code in codes)


def test_fields_a_student_may_not_set_are_ignored(student, contest, category, places):
    response = submit(
        student,
        contest,
        essay(category, status="disqualified", code="HACKED-1", library=places.south_library.pk, score=100),
    )

    entry = Entry.objects.get()
    assert response.status_code == 201
    assert (entry.status, entry.library, entry.code.startswith("DSVH26-")) == (
        "submitted",
        student.library,
        True,
    )


def test_a_multipart_essays_crlf_line_ends_are_stored_as_newlines(student, contest, category):
    response = submit(student, contest, essay(category, body="Dòng một.\r\nDòng hai.\rDòng ba."), fmt="multipart")

    assert response.status_code == 201, response.json()
    assert (response.json()["body"], Entry.objects.get().body) == ("Dòng một.\nDòng hai.\nDòng ba.",) * 2


def test_vietnamese_words_are_counted_per_syllable_and_nfc():
    text = "Văn hóa đọc — nền tảng của tri thức! 📚 (2026)"
    decomposed = "Va\u0306n ho\u0301a đo\u0323c"

    assert (words_count(text), words_count(decomposed)) == (9, 3)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"body": "chữ " * 5001}, "body", "Bài viết có 5001 chữ; bảng thi này cho phép tối đa 5000 chữ."),
        ({"video_url": "http://youtube.com/watch?v=1"}, "video_url", "Đường dẫn video phải bắt đầu bằng https://."),
        (
            {"video_url": "https://vimeo.com/123"},
            "video_url",
            "Đường dẫn video phải trỏ tới: Facebook, Google Drive, TikTok, YouTube.",
        ),
        ({"video_url": "javascript:alert(1)"}, "video_url", "Đường dẫn video phải bắt đầu bằng https://."),
        ({"book_isbn": "978-604-2-12345-3"}, "book_isbn", "ISBN không hợp lệ (cần ISBN-10 hoặc ISBN-13)."),
        ({"title": "   "}, "title", "Trường này không được bỏ trống."),
        ({"body": ""}, "body", "Bài dự thi cần có bài viết, tệp hoặc đường dẫn video."),
    ],
)
def test_bad_content_is_400_with_a_vietnamese_message_and_nothing_stored(
    student, contest, category, change, field, message
):
    response = submit(student, contest, essay(category, **change))

    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert Entry.objects.count() == 0


def test_a_format_the_category_does_not_allow_is_400(student, contest):
    videos_only = CategoryFactory(contest=contest, formats=["video"])

    response = submit(student, contest, essay(videos_only), language="en")

    assert (response.status_code, response.json()["body"]) == (400, ["This category does not take essay text."])
    assert Entry.objects.count() == 0


def test_a_video_entry_from_an_allowed_host_is_accepted(student, contest):
    videos_only = CategoryFactory(contest=contest, formats=["video"])

    response = submit(student, contest, essay(videos_only, body="", video_url="https://youtu.be/dQw4w9WgXcQ"))

    assert response.status_code == 201
    assert response.json()["video_url"] == "https://youtu.be/dQw4w9WgXcQ"


def test_a_category_of_another_contest_is_400(student, contest, places):
    other = CategoryFactory(contest=ContestFactory(network=places.north))

    response = submit(student, contest, essay(other), language="en")

    assert (response.status_code, response.json()) == (
        400,
        {"category": ["This category belongs to another contest."]},
    )


@pytest.mark.parametrize(
    "window",
    [
        {
            "submission_opens_at": timezone.now() + timedelta(days=1),
            "submission_closes_at": timezone.now() + timedelta(days=9),
        },
        {
            "submission_opens_at": timezone.now() - timedelta(days=9),
            "submission_closes_at": timezone.now() - timedelta(seconds=1),
        },
        {"status": ContestStatus.DRAFT},
        {"status": ContestStatus.CLOSED},
    ],
    ids=["not-yet-open", "deadline-passed", "draft", "closed"],
)
def test_outside_the_window_is_409_and_nothing_stored(student, contest, category, window):
    for field, value in window.items():
        setattr(contest, field, value)
    contest.save()

    response = submit(student, contest, essay(category), language="en")

    if window.get("status") == ContestStatus.DRAFT:
        assert response.status_code == 404  # a draft is not visible to students at all
    else:
        assert (response.status_code, response.json()["code"]) == (409, "submissions_closed")
    assert Entry.objects.count() == 0


def test_the_quota_is_enforced_and_a_withdrawn_entry_frees_its_place(student, contest, category):
    first = submit(student, contest, essay(category))
    second = submit(student, contest, essay(category), language="en")

    assert (first.status_code, second.status_code) == (201, 409)
    assert second.json() == {
        "detail": "You already have the most entries this category allows.",
        "code": "quota_reached",
    }
    client = APIClient()
    client.force_authenticate(student)
    assert client.delete(reverse("entry-detail", kwargs={"pk": first.json()["id"]})).status_code == 204
    assert submit(student, contest, essay(category)).status_code == 201


def test_a_library_outside_the_contests_network_does_not_take_part(contest, category, places):
    southerner = StudentFactory(library=places.south_library)

    response = submit(southerner, contest, essay(category), language="en")

    assert (response.status_code, response.json()["detail"]) == (
        403,
        "Your library does not take part in this contest.",
    )


def test_a_user_without_a_library_cannot_submit(role_users, contest, category):
    response = submit(role_users["platform_organizer"], contest, essay(category), language="en")

    assert response.status_code == 400
    assert list(response.json()) == ["library"]


def test_entries_list_shows_each_role_its_own_share(role_users, contest, category, places):
    own = EntryFactory(category=category, entrant=role_users["student"])
    classmate = EntryFactory(category=category, entrant=StudentFactory(library=places.north_library))
    EntryFactory(
        category=CategoryFactory(contest=ContestFactory(network=places.south)),
        entrant=StudentFactory(library=places.south_library),
    )

    def codes(role):
        client = APIClient()
        client.force_authenticate(role_users[role])
        return sorted(e["code"] for e in client.get(reverse("entry-list")).json()["results"])

    assert codes("student") == [own.code]
    assert codes("library_staff") == sorted([own.code, classmate.code])
    assert codes("network_organizer") == sorted([own.code, classmate.code])
    assert len(codes("platform_organizer")) == 3


def test_entries_list_takes_a_fixed_number_of_queries(role_users, category, django_assert_num_queries):
    client = APIClient()
    client.force_authenticate(role_users["platform_organizer"])
    EntryFactory(category=category)
    with django_assert_num_queries(2):
        client.get(reverse("entry-list"))
    EntryFactory(category=category)
    EntryFactory(category=category)

    with django_assert_num_queries(2):
        response = client.get(reverse("entry-list"))

    assert response.json()["count"] == 3


def test_submission_with_the_broker_down_is_saved_201_and_its_receipt_sent_once_the_broker_is_back(
    student, contest, category, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(student, contest, essay(category))
    entry = Entry.objects.get()
    unsent = entry.receipt_sent_at, list(mail.outbox)
    broker_down.back()
    outbox_sweep()

    assert response.status_code == 201
    assert unsent == (None, [])  # left in the outbox
    assert [message.subject for message in mail.outbox] == [f"Đã nhận bài dự thi: {entry.code}"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"video_url": "https://www.youtube.com:99999/x"}, "video_url"),
        ({"book_isbn": "²" * 13}, "book_isbn"),
        ({"book_isbn": "٠١٢٣٤٥٦٧٨٩"}, "book_isbn"),
    ],
)
def test_odd_numbers_in_links_and_isbns_are_400_not_500(student, contest, category, change, field):
    response = submit(student, contest, essay(category, **change))

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_non_ascii_page_size_is_400_not_500(student):
    client = APIClient()
    client.force_authenticate(student)

    assert client.get(reverse("entry-list"), {"page_size": "²"}).status_code == 400
