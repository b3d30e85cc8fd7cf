"""GET /api/contests/{id}/: the stage, the one next step and the actions the stage allows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contests.enums import ContestStatus, RoundStatus
from results.models import Award
from tests.clients import client_for
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    ContestFactory,
    EntryFactory,
    NetworkFactory,
    NetworkOrganizerFactory,
    PrizeTierFactory,
    RoundFactory,
    ScoreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    return NetworkFactory()


@pytest.fixture
def organizer(network):
    return NetworkOrganizerFactory(network=network).user


def contest_in(network, status, **kwargs):
    past = status not in (ContestStatus.DRAFT, ContestStatus.OPEN)
    return ContestFactory(
        network=network,
        status=status,
        submission_opens_at=timezone.now() - timedelta(days=30),
        submission_closes_at=timezone.now() + (timedelta(days=-2) if past else timedelta(days=5)),
        **kwargs,
    )


def workflow(user, contest) -> dict:
    response = client_for(user).get(f"/api/contests/{contest.pk}/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["allowed_actions"] == data["workflow"]["allowed_actions"]
    return data["workflow"]


def test_a_draft_offers_opening_and_an_open_contest_closing_never_publishing(network, organizer):
    draft = contest_in(network, ContestStatus.DRAFT)
    open_contest = contest_in(network, ContestStatus.OPEN)

    assert workflow(organizer, draft) == {
        "stage": "draft",
        "next_step": "open",
        "round": None,
        "done": None,
        "total": None,
        "allowed_actions": ["edit", "open"],
        "round_stages": {},
    }
    flow = workflow(organizer, open_contest)
    assert (flow["next_step"], flow["allowed_actions"]) == ("wait_entries", ["edit", "close", "release_comments"])


def test_a_round_not_yet_assigned_is_not_being_judged(network, organizer):
    contest = contest_in(network, ContestStatus.JUDGING)
    first = RoundFactory(contest=contest, order=1, status=RoundStatus.CLOSED)
    final = RoundFactory(contest=contest, order=2, name="Chung khảo")
    AssignmentFactory(round=first)

    flow = workflow(organizer, contest)

    assert flow == {
        "stage": "judging",
        "next_step": "assign",
        "round": {"id": final.pk, "name": "Chung khảo"},
        "done": None,
        "total": None,
        "allowed_actions": ["edit", "reopen", "assign", "release_comments"],
        "round_stages": {str(first.pk): "closed", str(final.pk): "not_started"},
    }


def test_a_round_being_judged_counts_its_marks_and_may_be_closed(network, organizer):
    contest = contest_in(network, ContestStatus.JUDGING)
    judging_round = RoundFactory(contest=contest, order=1)
    ScoreFactory(assignment=AssignmentFactory(round=judging_round), submitted=True)
    ScoreFactory(assignment=AssignmentFactory(round=judging_round), submitted=False)
    AssignmentFactory(round=judging_round)

    flow = workflow(organizer, contest)

    assert {key: flow[key] for key in ("next_step", "done", "total", "allowed_actions", "round_stages")} == {
        "next_step": "wait_marks",
        "done": 1,
        "total": 3,
        "allowed_actions": ["edit", "reopen", "assign", "close_round", "release_comments"],
        "round_stages": {str(judging_round.pk): "judging"},
    }


def test_a_closed_final_round_leads_to_awarding_then_publishing(network, organizer):
    contest = contest_in(network, ContestStatus.JUDGING)
    final = RoundFactory(contest=contest, order=1, status=RoundStatus.CLOSED)
    AssignmentFactory(round=final)
    tier = PrizeTierFactory(contest=contest, rank=1)

    flow = workflow(organizer, contest)
    assert (flow["next_step"], flow["allowed_actions"]) == (
        "award",
        ["edit", "reopen", "award", "publish", "release_comments"],
    )

    entry = EntryFactory(category=CategoryFactory(contest=contest))
    Award.objects.create(contest=contest, entry=entry, category=entry.category, tier=tier, rank=1)
    assert workflow(organizer, contest)["next_step"] == "publish"


def test_a_published_contest_offers_no_award_and_no_publish(network, organizer):
    contest = contest_in(network, ContestStatus.PUBLISHED, comments_released=True)
    RoundFactory(contest=contest, order=1, status=RoundStatus.CLOSED)
    PrizeTierFactory(contest=contest, rank=1)

    flow = workflow(organizer, contest)

    assert (flow["next_step"], flow["allowed_actions"]) == ("certificates", ["unpublish", "certificates", "archive"])


def test_nobody_but_the_contests_organizers_is_offered_an_action(network):
    contest = contest_in(network, ContestStatus.OPEN)
    elsewhere = NetworkOrganizerFactory(network=NetworkFactory()).user

    assert workflow(elsewhere, contest)["allowed_actions"] == []
    assert workflow(UserFactory(), contest)["allowed_actions"] == []
    assert workflow(None, contest)["allowed_actions"] == []
    above = NetworkOrganizerFactory(network=network).user  # the network's own: theirs
    assert workflow(above, contest)["allowed_actions"] == ["edit", "close", "release_comments"]


def test_comments_are_released_after_the_results_are_out(network, organizer):
    contest = contest_in(network, ContestStatus.PUBLISHED)

    response = client_for(organizer).patch(f"/api/contests/{contest.pk}/", {"comments_released": True}, format="json")

    assert response.status_code == 200, response.content
    contest.refresh_from_db()
    assert contest.comments_released is True
    refused = client_for(organizer).patch(f"/api/contests/{contest.pk}/", {"title": "Khác"}, format="json")
    assert refused.status_code == 409


def test_a_closed_contest_leads_to_assigning_its_first_round(network, organizer):
    contest = contest_in(network, ContestStatus.CLOSED)
    first = RoundFactory(contest=contest, order=1, name="Sơ khảo")
    RoundFactory(contest=contest, order=2)

    flow = workflow(organizer, contest)

    assert (flow["next_step"], flow["round"], flow["allowed_actions"]) == (
        "assign",
        {"id": first.pk, "name": "Sơ khảo"},
        ["edit", "start_judging", "reopen", "assign", "release_comments"],
    )
    assert set(flow["round_stages"].values()) == {"not_started"}
