"""GET /api/me/home/: where each person lands and what is waiting for them, counted exactly."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from contests.enums import ContestStatus, RoundStatus
from submissions.enums import EntryStatus
from tests.clients import client_for
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    ContestFactory,
    EntryFactory,
    JudgeFactory,
    LibraryFactory,
    LibraryStaffFactory,
    NetworkFactory,
    NetworkOrganizerFactory,
    RoundFactory,
    ScoreFactory,
    StudentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DUE = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def home(user) -> dict:
    response = client_for(user).get("/api/me/home/")
    assert response.status_code == 200, response.content
    return response.json()


def judging_contest(**kwargs):
    return ContestFactory(
        status=ContestStatus.JUDGING,
        submission_opens_at=timezone.now() - timedelta(days=30),
        submission_closes_at=timezone.now() - timedelta(days=2),
        **kwargs,
    )


def test_home_needs_a_signed_in_person():
    assert client_for(None).get("/api/me/home/").status_code == 401


def test_home_counts_a_judges_pending_entries_of_the_rounds_being_judged_only():
    judge = UserFactory()
    contest = judging_contest(title="Đại sứ Văn hóa đọc 2026")
    first = RoundFactory(contest=contest, name="Vòng 1", order=1, due_at=DUE)
    second = RoundFactory(contest=contest, name="Vòng 2", order=2)  # not started: no assignment yet
    JudgeFactory(round=first, user=judge)
    JudgeFactory(round=second, user=judge)
    pending = [AssignmentFactory(round=first, judge=judge) for _ in range(3)]
    ScoreFactory(assignment=AssignmentFactory(round=first, judge=judge), submitted=True)  # done
    ScoreFactory(assignment=AssignmentFactory(round=first, judge=judge), submitted=False)  # a draft: still pending
    withdrawn = AssignmentFactory(round=first, judge=judge)
    withdrawn.entry.status = EntryStatus.WITHDRAWN
    withdrawn.entry.save()
    past = judging_contest(title="Đại sứ Văn hóa đọc 2024")
    closed = RoundFactory(contest=past, order=1, status=RoundStatus.CLOSED)
    JudgeFactory(round=closed, user=judge)
    AssignmentFactory(round=closed, judge=judge)  # a closed round: nothing to do there
    AssignmentFactory(round=first)  # another judge's

    data = home(judge)

    assert data == {
        "landing": "/judge/",
        "roles": ["judge"],
        "tasks": [
            {
                "kind": "judge_pending",
                "role": "judge",
                "count": 4,
                "done": None,
                "total": None,
                "contest": contest.pk,
                "contest_title": "Đại sứ Văn hóa đọc 2026",
                "round": first.pk,
                "round_name": "Vòng 1",
                "due_at": "2026-11-30T17:00:00+07:00",
                "url": f"/judge/?round={first.pk}",
            }
        ],
    }
    assert len(pending) == 3


def test_home_lands_a_student_on_their_entries_with_each_contests_stage():
    national = NetworkFactory()
    province = NetworkFactory(parent=national)
    library = LibraryFactory(network=province)
    student = StudentFactory(library=library)
    open_contest = ContestFactory(title="Mở 2026", network=province)
    other_open = ContestFactory(  # a national contest: every library below takes part
        title="Mở khác", network=national, submission_closes_at=timezone.now() + timedelta(days=9)
    )
    ContestFactory(title="Của tỉnh khác", network=NetworkFactory(parent=national))  # not the student's
    in_judging = judging_contest(title="Đang chấm 2025")
    in_judging.publish_at = DUE
    in_judging.save()
    published = judging_contest(title="Đã công bố 2024")
    published.status = ContestStatus.PUBLISHED
    published.save()
    for _ in range(2):
        EntryFactory(category=CategoryFactory(contest=open_contest), entrant=student)
    EntryFactory(category=CategoryFactory(contest=open_contest), entrant=student, status=EntryStatus.WITHDRAWN)
    EntryFactory(category=CategoryFactory(contest=in_judging), entrant=student)
    EntryFactory(category=CategoryFactory(contest=published), entrant=student)

    data = home(student)

    assert data["landing"] == "/my/entries/"
    assert data["roles"] == ["student"]
    assert [(t["kind"], t["contest_title"], t["count"], t["due_at"]) for t in data["tasks"]] == [
        ("student_sent", "Mở 2026", 2, timezone.localtime(open_contest.submission_closes_at).isoformat()),
        ("student_in_judging", "Đang chấm 2025", 1, "2026-11-30T17:00:00+07:00"),
        ("student_results", "Đã công bố 2024", 1, None),
        ("student_open", "Mở khác", 0, timezone.localtime(other_open.submission_closes_at).isoformat()),
    ]


def test_home_lands_library_staff_on_their_library_with_its_entries_per_open_contest():
    library = LibraryFactory()
    staff = LibraryStaffFactory(library=library).user
    contest = ContestFactory(title="Mở 2026", network=library.network)
    ContestFactory(title="Của mạng lưới khác")  # their library does not take part
    category = CategoryFactory(contest=contest)
    for _ in range(3):
        EntryFactory(category=category, entrant=StudentFactory(library=library))
    EntryFactory(category=category)  # another library's

    data = home(staff)

    assert data["landing"] == "/library/"
    assert [(t["kind"], t["count"], t["url"]) for t in data["tasks"]] == [
        ("library_entries", 3, f"/library/?contest={contest.pk}")
    ]


def test_home_lands_an_organizer_on_their_contests_with_the_current_rounds_progress():
    network = NetworkFactory()
    below = NetworkFactory(parent=network)
    organizer = NetworkOrganizerFactory(network=network).user
    draft = ContestFactory(network=network, title="Nháp", status=ContestStatus.DRAFT)
    open_contest = ContestFactory(network=below, title="Mở")  # a network below: theirs too
    EntryFactory(category=CategoryFactory(contest=open_contest))
    judging = judging_contest(network=network, title="Đang chấm")
    first = RoundFactory(contest=judging, order=1, name="Vòng 1", status=RoundStatus.CLOSED)
    second = RoundFactory(contest=judging, order=2, name="Chung khảo", due_at=DUE)
    AssignmentFactory(round=first)
    ScoreFactory(assignment=AssignmentFactory(round=second), submitted=True)
    AssignmentFactory(round=second)
    AssignmentFactory(round=second)
    ContestFactory(title="Của mạng lưới khác")  # not theirs

    data = home(organizer)

    assert data["landing"] == "/organize/"
    assert data["roles"] == ["network_organizer"]
    by_title = {t["contest_title"]: t for t in data["tasks"]}
    assert sorted(by_title) == ["Mở", "Nháp", "Đang chấm"]
    assert (by_title["Nháp"]["kind"], by_title["Nháp"]["count"]) == ("organize_draft", 0)
    assert (by_title["Mở"]["kind"], by_title["Mở"]["count"]) == ("organize_open", 1)
    keys = ("kind", "round", "round_name", "count", "done", "total", "due_at")
    assert {key: by_title["Đang chấm"][key] for key in keys} == {
        "kind": "organize_judging",
        "round": second.pk,
        "round_name": "Chung khảo",
        "count": 2,
        "done": 1,
        "total": 3,
        "due_at": "2026-11-30T17:00:00+07:00",
    }
    assert draft.pk in [t["contest"] for t in data["tasks"]]


def test_home_reads_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    judge = UserFactory()
    contest = judging_contest()
    judging_round = RoundFactory(contest=contest, order=1)
    JudgeFactory(round=judging_round, user=judge)
    for _ in range(20):
        AssignmentFactory(round=judging_round, judge=judge)

    with django_assert_max_num_queries(8):
        data = home(judge)

    assert data["tasks"][0]["count"] == 20
