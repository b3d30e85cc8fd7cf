"""Judging is blind: nothing a judge receives names the entrant, their library, or what the
other judges gave. Proven by searching every judge-facing response for those strings."""

import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from contests.enums import ContestStatus
from contests.models import Contest
from judging import services
from judging.models import Assignment
from tests.factories import EntryFactory, LibraryFactory, StudentFactory
from tests.files import (
    PDF,
    attach,
    docx_with_author,
    found_in,
    jpeg_with_author,
    pdf_with_author,
    png_with_author,
    upload,
)
from tests.judging.helpers import api, assign, criteria_ids, mark, panel

ENTRANT = {
    "full_name": "Hoàng Thị Bích Ngọc",
    "username": "bichngoc.thptzeta",
    "email": "ngoc.hoangbich@zeta.edu.vn",
}
LIBRARY = {"name": "Thư viện Trường THPT Chuyên Zeta", "short_name": "THPTZETA"}
ENTRANT_ID = 987_654_321
ATTACHMENT_NAME = "Bich Ngoc - bai du thi.pdf"
OTHER_JUDGE = {"comment": "Lời nhận xét riêng của giám khảo kia", "mark": "9.75"}


@pytest.fixture
def blind_world(first_round, essays, organizer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    library = LibraryFactory(network=first_round.contest.network, **LIBRARY)
    # An id no other row reaches, so that finding its digits anywhere is a leak, not a coincidence.
    entrant = StudentFactory(library=library, pk=ENTRANT_ID, **ENTRANT)
    entry = EntryFactory(category=essays, entrant=entrant, title="Thư gửi người bạn chưa thích đọc sách")
    attach(entry, PDF, name=ATTACHMENT_NAME)
    panel(first_round, 2)
    assign(first_round, organizer)
    mine, theirs = Assignment.objects.order_by("judge_id")
    mark(theirs, OTHER_JUDGE["mark"], 5, comment=OTHER_JUDGE["comment"])
    return mine, entry


def identifying_strings(entry) -> list[str]:
    return [
        *ENTRANT.values(),
        *LIBRARY.values(),
        ATTACHMENT_NAME,
        "Bich Ngoc",
        str(ENTRANT_ID),
        *OTHER_JUDGE.values(),
    ]


def test_nothing_a_judge_receives_names_the_entrant_or_the_other_judges_marks(blind_world, settings):
    mine, entry = blind_world
    judge = api(mine.judge)
    content, form = criteria_ids(mine.round)
    detail_url = reverse("assignment-detail", kwargs={"pk": mine.pk})
    services.judges_remind()  # mine is pending: its judge is reminded

    responses = {
        "queue": judge.get(reverse("assignment-list")),
        "queue, pending": judge.get(reverse("assignment-list"), {"state": "pending"}),
        "detail": judge.get(detail_url),
        "round": judge.get(reverse("round-detail", kwargs={"pk": mine.round_id})),
        "me": judge.get(reverse("auth-me")),
        "draft": judge.put(
            reverse("assignment-score", kwargs={"pk": mine.pk}), {"marks": {content: 6.5}}, format="json"
        ),
        "submitted": judge.put(
            reverse("assignment-score", kwargs={"pk": mine.pk}),
            {"marks": {content: 6.5, form: 3}, "comment": "Tốt", "submit": True},
            format="json",
        ),
        "attachment": judge.get(reverse("assignment-attachment", kwargs={"pk": mine.pk})),
    }
    responses["recusal"] = judge.post(
        reverse("assignment-recuse", kwargs={"pk": mine.pk}), {"reason": "Nhầm"}, format="json"
    )

    assert {name: r.status_code for name, r in responses.items()} == {
        "queue": 200,
        "queue, pending": 200,
        "detail": 200,
        "round": 200,
        "me": 200,
        "draft": 200,
        "submitted": 200,
        "attachment": 200,
        "recusal": 204,
    }
    detail = responses["detail"].json()
    assert detail["entry"]["code"] == entry.code
    assert detail["entry"]["body"] == entry.body
    assert detail["entry"]["attachment"] == reverse("assignment-attachment", kwargs={"pk": mine.pk})
    assert set(detail["entry"]) == {
        "code",
        "category",
        "category_name",
        "title",
        "book_title",
        "book_author",
        "book_publisher",
        "book_year",
        "book_isbn",
        "body",
        "word_count",
        "attachment",
        "attachment_type",
        "video_url",
    }
    attachment = responses.pop("attachment")
    with entry.blind_attachment.open("rb") as blind:
        assert b"".join(attachment.streaming_content) == blind.read()
    assert attachment["Content-Disposition"] == f'inline; filename="{entry.code}.pdf"'
    received = {name: r.content.decode() for name, r in responses.items()}
    received["attachment headers"] = json.dumps(dict(attachment.headers), ensure_ascii=False)
    received["reminder"] = "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [mine.judge.email]
    leaks = {(name, text) for name, body in received.items() for text in identifying_strings(entry) if text in body}
    assert leaks == set()


def test_the_attachment_opens_inline_and_only_this_site_may_frame_it(blind_world):
    mine, entry = blind_world

    response = api(mine.judge).get(reverse("assignment-attachment", kwargs={"pk": mine.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{entry.code}.pdf"'
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # the judge's page frames it; no other site
    entrants_own = api(entry.entrant).get(reverse("entry-attachment", kwargs={"pk": entry.pk}))
    assert response["Content-Security-Policy"] == entrants_own["Content-Security-Policy"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox; frame-ancestors 'self'"
    assert response["X-Content-Type-Options"] == "nosniff"


WHO = {**ENTRANT, "library": LIBRARY["name"]}
AUTHORED = {
    "pdf": ("Bich Ngoc - bai du thi.pdf", lambda: pdf_with_author(WHO)),
    "docx": ("Bich Ngoc - bai du thi.docx", lambda: docx_with_author(WHO)),
    "jpeg": ("Bich Ngoc - anh.jpg", lambda: jpeg_with_author(WHO)),
    "png": ("Bich Ngoc - so do.png", lambda: png_with_author(WHO)),
}


@pytest.mark.parametrize("kind", AUTHORED)
def test_no_byte_a_judge_can_fetch_names_the_entrant_whatever_metadata_the_file_carried(
    kind, judged_contest, essays, first_round, organizer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    library = LibraryFactory(network=judged_contest.network, **LIBRARY)
    # An id no other row reaches, so that finding its digits anywhere is a leak, not a coincidence.
    entrant = StudentFactory(library=library, pk=ENTRANT_ID, **ENTRANT)
    name, build = AUTHORED[kind]
    original = build()
    needles = [*ENTRANT.values(), *LIBRARY.values()]
    # The file names them in its metadata, and the search finds each of them there.
    assert found_in(original, needles) == set(needles) - {LIBRARY["short_name"]}
    Contest.objects.filter(pk=judged_contest.pk).update(status=ContestStatus.OPEN)
    sent = api(entrant).post(
        reverse("contest-entries", kwargs={"contest_id": judged_contest.pk}),
        {
            "category": essays.pk,
            "title": "Thư gửi người bạn chưa thích đọc sách",
            "book_title": "Tắt đèn",
            "book_author": "Ngô Tất Tố",
            "attachment": upload(name, original),
        },
        format="multipart",
    )
    assert sent.status_code == 201, sent.json()
    Contest.objects.filter(pk=judged_contest.pk).update(status=ContestStatus.CLOSED)
    panel(first_round, 2)
    assign(first_round, organizer)
    mine = Assignment.objects.order_by("judge_id").first()
    judge = api(mine.judge)

    fetched = {
        "queue": judge.get(reverse("assignment-list")),
        "detail": judge.get(reverse("assignment-detail", kwargs={"pk": mine.pk})),
        "round": judge.get(reverse("round-detail", kwargs={"pk": mine.round_id})),
        "attachment": judge.get(reverse("assignment-attachment", kwargs={"pk": mine.pk})),
    }

    assert {key: response.status_code for key, response in fetched.items()} == dict.fromkeys(fetched, 200)
    attachment = fetched.pop("attachment")
    received = b"".join(attachment.streaming_content)
    assert received[:3] == original[:3]  # the same kind of file
    assert found_in(received, needles) == set()
    headers = json.dumps(dict(attachment.headers), ensure_ascii=False)
    assert [n for n in [*needles, name] if n in headers] == []
    texts = [response.content.decode() for response in fetched.values()]
    assert [n for n in [*needles, name] for text in texts if n in text] == []
    # The entrant and the organizers still get the file exactly as it was sent.
    entry = mine.entry
    for keeper in (entrant, organizer):
        own = api(keeper).get(reverse("entry-attachment", kwargs={"pk": entry.pk}))
        assert (own.status_code, b"".join(own.streaming_content)) == (200, original)


def test_a_file_sent_before_there_were_judges_copies_is_never_served_to_a_judge(blind_world):
    mine, entry = blind_world
    entry.blind_attachment.delete(save=True)  # as every entry sent before this change
    url = reverse("assignment-attachment", kwargs={"pk": mine.pk})

    before = api(mine.judge).get(url, HTTP_ACCEPT_LANGUAGE="en")
    call_command("attachments_blind_copy", stdout=io.StringIO(), stderr=io.StringIO())
    after = api(mine.judge).get(url)

    assert (before.status_code, before.json()) == (
        409,
        {
            "detail": "This entry's file has not been prepared for blind judging yet; ask the contest's organizers.",
            "code": "attachment_not_ready",
        },
    )
    entry.refresh_from_db()
    with entry.blind_attachment.open("rb") as blind:
        assert (after.status_code, b"".join(after.streaming_content)) == (200, blind.read())
