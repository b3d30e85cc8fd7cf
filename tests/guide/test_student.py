"""A student's side: the quota and eligibility per category before typing, and how each entry
fared once results are out (round reached, prizes, certificate, the released comments)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate
from contests.enums import AdvanceRule, ContestStatus, RoundStatus
from results.enums import AwardKind
from results.models import Award
from submissions.enums import EntryStatus
from tests.clients import client_for
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    ContestFactory,
    EntryFactory,
    LibraryFactory,
    NetworkFactory,
    PrizeTierFactory,
    RoundFactory,
    RoundResultFactory,
    ScoreFactory,
    StudentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_eligibility_gives_each_categorys_quota_and_the_codes_already_sent():
    network = NetworkFactory()
    student = StudentFactory(library=LibraryFactory(network=network))
    contest = ContestFactory(network=network)
    essays = CategoryFactory(contest=contest, name="Bài viết", max_entries_per_entrant=1)
    videos = CategoryFactory(contest=contest, name="Video", max_entries_per_entrant=2)
    EntryFactory(category=essays, entrant=student, code="DSVH26-8MT5HP")
    EntryFactory(category=videos, entrant=student, code="DSVH26-AAAAAA", status=EntryStatus.WITHDRAWN)
    EntryFactory(category=videos, entrant=student, code="DSVH26-BBBBBB", status=EntryStatus.DISQUALIFIED)

    response = client_for(student).get("/api/me/eligibility/", {"contest": contest.pk})

    assert response.status_code == 200
    assert response.json() == {
        "contest": contest.pk,
        "accepts_entries": True,
        "has_library": True,
        "library_takes_part": True,
        "categories": [
            {
                "category": essays.pk,
                "name": "Bài viết",
                "max_entries": 1,
                "used": 1,
                "codes": ["DSVH26-8MT5HP"],
                "can_send": False,
            },
            {
                "category": videos.pk,
                "name": "Video",
                "max_entries": 2,
                "used": 1,  # a withdrawn entry frees its place, a disqualified one does not
                "codes": ["DSVH26-BBBBBB"],
                "can_send": True,
            },
        ],
    }


def test_eligibility_says_a_library_outside_the_contests_networks_cannot_take_part():
    student = StudentFactory()  # a library of another network
    contest = ContestFactory()
    CategoryFactory(contest=contest)

    data = client_for(student).get("/api/me/eligibility/", {"contest": contest.pk}).json()

    assert (data["library_takes_part"], [c["can_send"] for c in data["categories"]]) == (False, [False])


@pytest.mark.parametrize(("query", "status"), [({}, 400), ({"contest": "x"}, 400), ({"contest": 999999}, 404)])
def test_eligibility_refuses_a_missing_or_unknown_contest(query, status):
    assert client_for(StudentFactory()).get("/api/me/eligibility/", query).status_code == status


@pytest.fixture
def published():
    """Last year's contest, published: the student's entry reached the final and won Giải Nhì;
    their other entry stopped in round 1. Two judges commented on the winner."""
    student = StudentFactory()
    contest = ContestFactory(
        title="Đại sứ Văn hóa đọc 2025",
        status=ContestStatus.PUBLISHED,
        published_at=timezone.now(),
        submission_opens_at=timezone.now() - timedelta(days=200),
        submission_closes_at=timezone.now() - timedelta(days=100),
    )
    category = CategoryFactory(contest=contest)
    first = RoundFactory(contest=contest, order=1, name="Sơ khảo", status=RoundStatus.CLOSED)
    final = RoundFactory(
        contest=contest, order=2, name="Chung khảo", status=RoundStatus.CLOSED, advance=AdvanceRule.NONE
    )
    winner = EntryFactory(category=category, entrant=student, code="DSVH25-000001")
    other = EntryFactory(category=category, entrant=student, code="DSVH25-000002")
    RoundResultFactory(round=first, entry=winner, rank=1, advanced=True)
    RoundResultFactory(round=final, entry=winner, rank=2)
    RoundResultFactory(round=first, entry=other, rank=9, advanced=False)
    tier = PrizeTierFactory(contest=contest, name="Giải Nhì", rank=2)
    Award.objects.create(contest=contest, entry=winner, category=category, tier=tier, rank=2)
    Award.objects.create(contest=contest, entry=winner, category=category, kind=AwardKind.SPECIAL, name="Giải ảnh đẹp")
    certificate = Certificate.objects.create(
        contest=contest,
        kind="prize",
        subject="award:1",
        holder=student,
        entry=winner,
        holder_name=student.full_name,
        award="Giải Nhì",
        code="ABCD2345EFGH",
    )
    for round_, comment in ((first, "Bài viết cảm động."), (final, "Dẫn chứng phong phú."), (final, "")):
        judge = UserFactory(full_name="Giám khảo Tên Thật")
        ScoreFactory(assignment=AssignmentFactory(round=round_, entry=winner, judge=judge), comment=comment)
    return student, contest, winner, other, certificate


def test_outcomes_say_how_each_entry_fared_without_comments_until_released(published):
    student, contest, winner, other, certificate = published

    response = client_for(student).get("/api/me/outcomes/")

    assert response.status_code == 200
    assert response.json() == [
        {
            "entry": winner.pk,
            "code": "DSVH25-000001",
            "contest": contest.pk,
            "contest_title": "Đại sứ Văn hóa đọc 2025",
            "status": "submitted",
            "round_reached": {"id": contest.rounds.get(order=2).pk, "name": "Chung khảo", "order": 2},
            "advanced": False,
            "prizes": ["Giải Nhì", "Giải ảnh đẹp"],
            "certificates": [{"id": certificate.pk, "code": "ABCD2345EFGH", "kind": "prize", "award": "Giải Nhì"}],
            "comments_released": False,
            "comments": [],
        },
        {
            "entry": other.pk,
            "code": "DSVH25-000002",
            "contest": contest.pk,
            "contest_title": "Đại sứ Văn hóa đọc 2025",
            "status": "submitted",
            "round_reached": {"id": contest.rounds.get(order=1).pk, "name": "Sơ khảo", "order": 1},
            "advanced": False,
            "prizes": [],
            "certificates": [],
            "comments_released": False,
            "comments": [],
        },
    ]


def test_released_comments_come_without_the_judges_names(published):
    student, contest, _winner, _other, _certificate = published
    contest.comments_released = True
    contest.save()

    response = client_for(student).get("/api/me/outcomes/")

    assert response.json()[0]["comments"] == [
        {"round_name": "Sơ khảo", "comment": "Bài viết cảm động."},
        {"round_name": "Chung khảo", "comment": "Dẫn chứng phong phú."},
    ]
    assert "Giám khảo Tên Thật" not in response.content.decode()


def test_outcomes_wait_for_the_results(published):
    student, contest, *_ = published
    contest.status = ContestStatus.JUDGING
    contest.save()

    assert client_for(student).get("/api/me/outcomes/").json() == []
