"""Judging is blind: nothing a judge receives names the entrant, their library, or what the
other judges gave. Proven by searching every judge-facing response for those strings."""

import json

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from judging import services
from judging.models import Assignment
from tests.factories import EntryFactory, LibraryFactory, StudentFactory
from tests.files import PDF
from tests.judging.helpers import api, assign, criteria_ids, mark, panel

ENTRANT = {
    "full_name": "Hoàng Thị Bích Ngọc",
    "username": "bichngoc.thptzeta",
    "email": "ngoc.hoangbich@zeta.edu.vn",
}
LIBRARY = {"name": "Thư viện Trường THPT Chuyên Zeta", "short_name": "THPTZETA"}
ATTACHMENT_NAME = "Bich Ngoc - bai du thi.pdf"
OTHER_JUDGE = {"comment": "Lời nhận xét riêng của giám khảo kia", "mark": "9.75"}


@pytest.fixture
def blind_world(first_round, essays, organizer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    library = LibraryFactory(network=first_round.contest.network, **LIBRARY)
    entrant = StudentFactory(library=library, **ENTRANT)
    entry = EntryFactory(category=essays, entrant=entrant, title="Thư gửi người bạn chưa thích đọc sách")
    entry.attachment.save("upload.pdf", ContentFile(PDF))
    entry.attachment_type, entry.attachment_name = "pdf", ATTACHMENT_NAME
    entry.save()
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
        str(entry.entrant_id) + ',"',  # an entrant id field would read like this
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
    assert b"".join(attachment.streaming_content) == PDF
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
