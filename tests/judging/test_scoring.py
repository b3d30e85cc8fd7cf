import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from contests.enums import ContestStatus, RoundStatus
from core.models import AuditEntry
from judging import services
from judging.models import Assignment, Score
from tests.factories import CriterionFactory, RoundFactory
from tests.judging.helpers import api, assign, criteria_ids, entries_of, mark, panel


@pytest.fixture
def assignment(first_round, essays, places, organizer):
    entries_of(essays, places.north_library, 1)
    panel(first_round, 2)
    assign(first_round, organizer)
    return Assignment.objects.order_by("judge_id").first()


def put_score(assignment, marks, *, user=None, **extra):
    return api(user or assignment.judge).put(
        reverse("assignment-score", kwargs={"pk": assignment.pk}),
        {"marks": marks, **extra},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_judge_saves_a_draft_then_submits(assignment):
    content, form = criteria_ids(assignment.round)

    draft = put_score(assignment, {content: 7.25}, comment="Bài viết cảm xúc")
    submitted = put_score(assignment, {content: "7.5", form: 4}, comment="Bài viết cảm xúc", submit=True)

    assert draft.status_code == 200
    assert (draft.json()["state"], draft.json()["score"]["marks"], draft.json()["score"]["total"]) == (
        "draft",
        {content: "7.25"},
        "14.5000",
    )
    assert submitted.status_code == 200
    assert submitted.json()["state"] == "submitted"
    assert submitted.json()["score"]["marks"] == {content: "7.5", form: "4"}
    assert submitted.json()["score"]["total"] == "19.0000"  # 2 x 7.5 + 1 x 4
    assert Score.objects.get().submitted is True


def test_every_change_of_a_score_is_audited_with_before_and_after(assignment):
    content, form = criteria_ids(assignment.round)
    put_score(assignment, {content: 6})
    put_score(assignment, {content: 6})  # an autosave of the same draft changes nothing
    put_score(assignment, {content: 8, form: 5}, submit=True)

    audit = list(AuditEntry.objects.filter(target_type="judging.score").order_by("pk"))

    assert [(a.actor, a.action, a.target_id) for a in audit] == [
        (assignment.judge, "score.saved", assignment.pk),
        (assignment.judge, "score.submitted", assignment.pk),
    ]
    assert audit[0].before is None
    assert audit[0].after == {"marks": {content: "6"}, "total": "12", "comment": "", "submitted": False}
    assert audit[1].before == audit[0].after
    assert audit[1].after == {"marks": {content: "8", form: "5"}, "total": "21", "comment": "", "submitted": True}


@pytest.mark.parametrize(
    ("marks", "message", "about"),
    [
        ({"content": 10.5}, "The mark for “Nội dung” must be between 0 and 10.", ["content"]),
        ({"content": -1}, "The mark for “Nội dung” must be between 0 and 10.", ["content"]),
        ({"content": 7.1}, "Marks go in quarter points (7, 7.25, 7.5, 7.75).", ["content"]),
        ({"content": "7.125"}, "Marks go in quarter points (7, 7.25, 7.5, 7.75).", ["content"]),
        ({"content": "123456789.5"}, "The mark for “Nội dung” must be between 0 and 10.", ["content"]),
        ({"999999": 5}, "999999 is not a criterion of this round.", None),
        ({"other": 5}, "{other} is not a criterion of this round.", None),
        ({"content": "bảy"}, "per criterion: A valid number is required.", None),
    ],
)
def test_bad_marks_are_refused_and_nothing_is_written(assignment, marks, message, about):
    content, _form = criteria_ids(assignment.round)
    other = CriterionFactory(round=RoundFactory(contest=assignment.round.contest, order=2))
    named = {"content": content, "other": str(other.pk)}
    message = message.replace("{other}", str(other.pk))

    response = put_score(assignment, {named.get(key, key): value for key, value in marks.items()})

    assert response.status_code == 400
    if message.startswith("per criterion: "):  # DRF's own check of the number, under its key
        assert response.json() == {"marks": {content: [message.removeprefix("per criterion: ")]}}
    elif about is None:  # about no criterion of the round
        assert response.json() == {"marks": [message]}
    else:  # the criteria it is about, by id, for the judge's page to put it next to their inputs
        assert response.json() == {"marks": [message], "criteria": [[int(named[key]) for key in about]]}
    assert (Score.objects.count(), AuditEntry.objects.filter(target_type="judging.score").count()) == (0, 0)


def test_submitting_needs_every_criterion(assignment):
    content, form = criteria_ids(assignment.round)

    response = put_score(assignment, {content: 7}, submit=True)
    nothing = put_score(assignment, {}, submit=True)

    assert (response.status_code, response.json()) == (
        400,
        {
            "marks": ["Give a mark for every criterion before submitting; missing: Hình thức."],
            "criteria": [[int(form)]],
        },
    )
    assert (nothing.status_code, nothing.json()) == (
        400,
        {
            "marks": ["Give a mark for every criterion before submitting; missing: Nội dung, Hình thức."],
            "criteria": [[int(content), int(form)]],
        },
    )
    assert Score.objects.count() == 0


def test_a_judge_cannot_score_another_judges_assignment(assignment):
    other = Assignment.objects.exclude(pk=assignment.pk).get()
    content, _form = criteria_ids(assignment.round)

    response = put_score(other, {content: 5}, user=assignment.judge)

    assert response.status_code == 404  # not in their queue: they do not learn it exists
    assert Score.objects.count() == 0


def test_a_closed_round_takes_no_more_marks(assignment):
    content, _form = criteria_ids(assignment.round)
    mark(assignment, 5, 5)
    assignment.round.status = RoundStatus.CLOSED
    assignment.round.save()

    response = put_score(assignment, {content: 9})

    assert (response.status_code, response.json()) == (
        409,
        {"detail": "This round is closed; its marks can no longer change.", "code": "round_closed"},
    )
    assert Score.objects.get().marks[content] == "5"
    detail = api(assignment.judge).get(reverse("assignment-detail", kwargs={"pk": assignment.pk})).json()
    assert detail["editable"] is False


def test_a_published_contest_freezes_the_marks(assignment):
    content, _form = criteria_ids(assignment.round)
    assignment.round.contest.status = ContestStatus.PUBLISHED
    assignment.round.contest.save()

    response = put_score(assignment, {content: 9})

    assert response.status_code == 409
    assert Score.objects.count() == 0


def test_a_judge_taken_off_the_panel_cannot_score(assignment, organizer):
    content, _form = criteria_ids(assignment.round)
    mark(assignment, 5, 5)  # submitted: it stays
    assignment.round.judges.filter(user=assignment.judge).delete()

    response = put_score(assignment, {content: 9})

    assert (response.status_code, response.json()["detail"]) == (403, "This assignment is not yours.")


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_score_at_the_same_instant_leave_one_whole_row(first_round, essays, places, organizer):
    entries_of(essays, places.north_library, 1)
    panel(first_round, 2)
    assign(first_round, organizer)
    assignment = Assignment.objects.order_by("judge_id").first()
    content, form = criteria_ids(first_round)
    payloads = [({content: 1, form: 1}, "một"), ({content: 9, form: 4}, "hai")]
    barrier = threading.Barrier(2)
    statuses = []

    def save(marks, comment):
        try:
            barrier.wait()
            statuses.append(put_score(assignment, marks, comment=comment, submit=True).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=payload) for payload in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200, 200]
    score = Score.objects.get()  # one row
    saved = ({k: Decimal(v) for k, v in score.marks.items()}, score.comment)
    assert saved in [({k: Decimal(v) for k, v in m.items()}, c) for m, c in payloads]  # one write, whole
    last = AuditEntry.objects.filter(target_type="judging.score").order_by("pk").last()
    assert last.after["comment"] == score.comment  # and it is the later one
    assert AuditEntry.objects.filter(target_type="judging.score").count() == 2


def test_a_score_for_an_assignment_moved_to_another_judge_meanwhile_is_refused(assignment, first_round, organizer):
    """The judge read the assignment, then an assignment run gave it to a new judge."""
    stale = Assignment.objects.get(pk=assignment.pk)
    content, _form = criteria_ids(first_round)
    Assignment.objects.filter(pk=assignment.pk).delete()  # what a move does to an unscored assignment

    with pytest.raises(services.Conflict):
        services.score_record(judge=stale.judge, assignment=stale, marks={content: 5})

    assert Score.objects.count() == 0
