import itertools
from decimal import Decimal

import pytest

from contests.enums import ContestStatus
from tests.factories import (
    AnchorFactory,
    AssignmentFactory,
    CategoryFactory,
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    JudgeFactory,
    RoundFactory,
    ScoreFactory,
    StudentFactory,
    UserFactory,
)
from tests.files import PDF, attach
from tests.matrix import MatrixWorld, matrix_check, rows

_order = itertools.count(10)
# The round is the north's: its organizers run it, its judge reads it, nobody else sees it.
ORGANIZERS = {
    "anonymous": 401,
    "student": 404,
    "judge": 403,
    "library_staff": 404,
    "network_organizer": 200,
    "platform_organizer": 200,
}
JUDGE_ONLY = {
    "anonymous": 401,
    "student": 404,
    "judge": 200,
    "library_staff": 404,
    "network_organizer": 404,
    "platform_organizer": 404,
}

MATRIX = [
    *rows("round-detail", "GET", **ORGANIZERS | {"anonymous": 404, "judge": 200}),
    *rows("round-judges", "GET", **ORGANIZERS),
    *rows("round-judges", "POST", **ORGANIZERS | {"network_organizer": 201, "platform_organizer": 201}),
    *rows("round-judge-remove:fresh", "DELETE", **ORGANIZERS | {"network_organizer": 204, "platform_organizer": 204}),
    *rows("round-assign", "POST", **ORGANIZERS),
    *rows("round-anchors", "GET", **ORGANIZERS),
    *rows("round-anchors:fresh", "POST", **ORGANIZERS | {"network_organizer": 201, "platform_organizer": 201}),
    *rows("round-anchor-remove:fresh", "DELETE", **ORGANIZERS | {"network_organizer": 204, "platform_organizer": 204}),
    *rows("round-calibration", "GET", **ORGANIZERS),
    *rows("round-progress", "GET", **ORGANIZERS),
    *rows("round-disagreements", "GET", **ORGANIZERS),
    *rows("round-extra-judge:fresh", "POST", **ORGANIZERS | {"network_organizer": 201, "platform_organizer": 201}),
    *rows("round-close:fresh", "POST", **ORGANIZERS),
    *rows("round-results", "GET", **ORGANIZERS | {"anonymous": 404}),
    *rows("round-results:published", "GET", **dict.fromkeys(ORGANIZERS, 200)),
    *rows("assignment-list", "GET", **dict.fromkeys(ORGANIZERS, 200) | {"anonymous": 401}),
    *rows("assignment-detail:own", "GET", **JUDGE_ONLY),
    *rows("assignment-score:own", "PUT", **JUDGE_ONLY),
    *rows("assignment-recuse:fresh", "POST", **JUDGE_ONLY | {"judge": 204}),
    *rows("assignment-attachment:own", "GET", **JUDGE_ONLY),
]


@pytest.fixture
def world(role_users, places, settings, tmp_path) -> MatrixWorld:
    settings.MEDIA_ROOT = tmp_path
    contest = ContestFactory(network=places.north, status=ContestStatus.CLOSED)
    category = CategoryFactory(contest=contest)
    judging_round = RoundFactory(contest=contest, order=1, judges_per_entry=1, max_spread=Decimal(1))
    criterion = CriterionFactory(round=judging_round)
    judge = JudgeFactory(round=judging_round, user=role_users["judge"]).user
    entry = EntryFactory(category=category, entrant=StudentFactory(library=places.north_library))
    attach(entry, PDF)
    own = AssignmentFactory(round=judging_round, entry=entry, judge=judge)
    published = RoundFactory(contest=ContestFactory(network=places.north, status=ContestStatus.PUBLISHED), order=1)

    def new_entry():
        return EntryFactory(category=category, entrant=StudentFactory(library=places.north_library))

    def fresh_judge():
        return JudgeFactory(round=judging_round, user=UserFactory()).user

    def fresh_round():
        scored_round = RoundFactory(contest=contest, order=next(_order))
        CriterionFactory(round=scored_round)
        scorer = JudgeFactory(round=scored_round, user=UserFactory()).user
        JudgeFactory(round=scored_round, user=judge)  # on the panel, yet not the one to close it
        ScoreFactory(assignment=AssignmentFactory(round=scored_round, entry=new_entry(), judge=scorer))
        return {"pk": scored_round.pk}

    def disagreed_entry():
        disputed = new_entry()
        AssignmentFactory(round=judging_round, entry=disputed, judge=fresh_judge())
        fresh_judge()  # one free for the extra seat
        return {"entry": disputed.pk}

    on_round = lambda name: lambda: (name, {"pk": judging_round.pk})
    return MatrixWorld(
        users=role_users,
        urls={
            "round-detail": on_round("round-detail"),
            "round-judges": on_round("round-judges"),
            "round-judge-remove:fresh": lambda: (
                "round-judge-remove",
                {"pk": judging_round.pk, "user_id": fresh_judge().pk},
            ),
            "round-assign": on_round("round-assign"),
            "round-anchors": on_round("round-anchors"),
            "round-anchors:fresh": on_round("round-anchors"),
            "round-anchor-remove:fresh": lambda: (
                "round-anchor-remove",
                {"pk": judging_round.pk, "entry_id": AnchorFactory(round=judging_round, entry=new_entry()).entry_id},
            ),
            "round-calibration": on_round("round-calibration"),
            "round-progress": on_round("round-progress"),
            "round-disagreements": on_round("round-disagreements"),
            "round-extra-judge:fresh": on_round("round-extra-judge"),
            "round-close:fresh": lambda: ("round-close", fresh_round()),
            "round-results": on_round("round-results"),
            "round-results:published": lambda: ("round-results", {"pk": published.pk}),
            "assignment-list": lambda: ("assignment-list", {}),
            "assignment-detail:own": lambda: ("assignment-detail", {"pk": own.pk}),
            "assignment-score:own": lambda: ("assignment-score", {"pk": own.pk}),
            "assignment-recuse:fresh": lambda: (
                "assignment-recuse",
                {"pk": AssignmentFactory(round=judging_round, entry=new_entry(), judge=judge).pk},
            ),
            "assignment-attachment:own": lambda: ("assignment-attachment", {"pk": own.pk}),
        },
        payloads={
            ("round-judges", "POST"): lambda: {"user": UserFactory().pk},
            ("round-anchors:fresh", "POST"): lambda: {"entry": new_entry().pk},
            ("round-extra-judge:fresh", "POST"): disagreed_entry,
            ("assignment-score:own", "PUT"): lambda: {"marks": {str(criterion.pk): 7.5}},
            ("assignment-recuse:fresh", "POST"): lambda: {"reason": "Người quen"},
        },
    )


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_judging_permission_matrix(world, row):
    matrix_check(world, row)
