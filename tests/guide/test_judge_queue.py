"""The judge's queue opens on the rounds being judged; every bad mark is reported at once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from contests.enums import ContestStatus, RoundStatus
from judging.models import Score
from tests.clients import client_for
from tests.factories import (
    AssignmentFactory,
    ContestFactory,
    CriterionFactory,
    JudgeFactory,
    RoundFactory,
    ScoreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def judging_contest(**kwargs):
    return ContestFactory(
        status=ContestStatus.JUDGING,
        submission_opens_at=timezone.now() - timedelta(days=30),
        submission_closes_at=timezone.now() - timedelta(days=2),
        **kwargs,
    )


@pytest.fixture
def queue():
    """A judge with 2 entries in the round being judged (one submitted), 1 in a closed round of the
    same contest and 1 in last year's published contest."""
    judge = UserFactory()
    contest = judging_contest()
    closed = RoundFactory(contest=contest, order=1, status=RoundStatus.CLOSED)
    current = RoundFactory(contest=contest, order=2)
    last_year = judging_contest()
    last_year.status = ContestStatus.PUBLISHED
    last_year.save()
    past = RoundFactory(contest=last_year, order=1)  # never closed, but its results are out
    for judging_round in (closed, current, past):
        JudgeFactory(round=judging_round, user=judge)
    now = [AssignmentFactory(round=current, judge=judge), AssignmentFactory(round=current, judge=judge)]
    ScoreFactory(assignment=now[1], submitted=True)
    before = [AssignmentFactory(round=closed, judge=judge), AssignmentFactory(round=past, judge=judge)]
    return judge, now, before


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def test_the_queue_filters_the_rounds_being_judged_and_says_which_rows_are(queue):
    judge, now, before = queue
    client = client_for(judge)

    assert ids(client.get("/api/assignments/", {"current": "true"})) == sorted(a.pk for a in now)
    assert ids(client.get("/api/assignments/", {"current": "false"})) == sorted(a.pk for a in before)
    rows = client.get("/api/assignments/").json()["results"]
    assert sorted((row["id"], row["current"]) for row in rows) == sorted(
        [(a.pk, True) for a in now] + [(a.pk, False) for a in before]
    )
    pending = client.get("/api/assignments/", {"current": "true", "state": "pending"})
    assert ids(pending) == [now[0].pk]


def test_every_bad_mark_is_reported_at_once_and_nothing_is_written():
    judging_round = RoundFactory(contest=judging_contest(), order=1)
    content = CriterionFactory(round=judging_round, name="Nội dung", max_score=Decimal(10))
    form = CriterionFactory(round=judging_round, name="Hình thức", max_score=Decimal(5))
    style = CriterionFactory(round=judging_round, name="Sáng tạo", max_score=Decimal(5))
    assignment = AssignmentFactory(round=judging_round)
    JudgeFactory(round=judging_round, user=assignment.judge)

    response = client_for(assignment.judge).put(
        f"/api/assignments/{assignment.pk}/score/",
        {"marks": {str(content.pk): 11, str(form.pk): "2.1"}, "submit": True},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {
        "marks": [
            "The mark for “Nội dung” must be between 0 and 10.",
            "Marks go in quarter points (7, 7.25, 7.5, 7.75).",
            "Give a mark for every criterion before submitting; missing: Sáng tạo.",
        ],
        "criteria": [[content.pk], [form.pk], [style.pk]],
    }
    assert Score.objects.count() == 0


def test_a_current_filter_that_is_neither_true_nor_false_is_refused():
    client = client_for(UserFactory())

    response = client.get("/api/assignments/", {"current": "maybe"})

    assert response.status_code == 400
    assert list(response.json()) == ["current"]
