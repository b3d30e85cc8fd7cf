import itertools

import pytest

from contests.enums import ContestStatus
from tests.factories import ContestFactory
from tests.matrix import ROLES, MatrixWorld, matrix_check, rows

_unique = itertools.count(1)
ALL_200 = dict.fromkeys(ROLES, 200)
ORGANIZERS = {"anonymous": 401, "student": 403, "judge": 403, "library_staff": 403}

MATRIX = [
    *rows("contest-list", "GET", **ALL_200),
    *rows("contest-list", "POST", **ORGANIZERS, network_organizer=201, platform_organizer=201),
    *rows("contest-detail:open", "GET", **ALL_200),
    *rows(
        "contest-detail:draft",
        "GET",
        **dict.fromkeys(ROLES, 404) | {"network_organizer": 200, "platform_organizer": 200},
    ),
    *rows("contest-detail:open", "PATCH", **ORGANIZERS, network_organizer=200, platform_organizer=200),
    *rows("contest-detail:south", "PATCH", **ORGANIZERS, network_organizer=403, platform_organizer=200),
    *rows("contest-categories", "POST", **ORGANIZERS, network_organizer=201, platform_organizer=201),
    *rows("contest-rounds", "POST", **ORGANIZERS, network_organizer=201, platform_organizer=201),
    *rows("contest-prize-tiers", "POST", **ORGANIZERS, network_organizer=201, platform_organizer=201),
    *rows("contest-reopen:closed", "POST", **ORGANIZERS, network_organizer=200, platform_organizer=200),
    *rows("contest-copy", "POST", **ORGANIZERS, network_organizer=201, platform_organizer=201),
]


@pytest.fixture
def world(role_users, places, contest) -> MatrixWorld:
    draft = ContestFactory(network=places.north, status=ContestStatus.DRAFT)
    south = ContestFactory(network=places.south)

    def closed_contest():
        return {"pk": ContestFactory(network=places.north, status=ContestStatus.CLOSED).pk}

    return MatrixWorld(
        users=role_users,
        urls={
            "contest-list": lambda: ("contest-list", {}),
            "contest-detail:open": lambda: ("contest-detail", {"pk": contest.pk}),
            "contest-detail:draft": lambda: ("contest-detail", {"pk": draft.pk}),
            "contest-detail:south": lambda: ("contest-detail", {"pk": south.pk}),
            "contest-categories": lambda: ("contest-categories", {"pk": contest.pk}),
            "contest-rounds": lambda: ("contest-rounds", {"pk": contest.pk}),
            "contest-prize-tiers": lambda: ("contest-prize-tiers", {"pk": contest.pk}),
            "contest-reopen:closed": lambda: ("contest-reopen", closed_contest()),
            "contest-copy": lambda: ("contest-copy", {"pk": contest.pk}),
        },
        payloads={
            ("contest-list", "POST"): lambda: {
                "title": f"Cuộc thi {next(_unique)}",
                "network": places.north.pk,
                "submission_opens_at": "2027-03-01T08:00:00+07:00",
                "submission_closes_at": "2027-06-30T17:00:00+07:00",
            },
            ("contest-detail:open", "PATCH"): lambda: {"description": "Thể lệ mới"},
            ("contest-detail:south", "PATCH"): lambda: {"description": "Thể lệ mới"},
            ("contest-categories", "POST"): lambda: {"name": f"Bảng {next(_unique)}"},
            ("contest-rounds", "POST"): lambda: {"name": "Vòng", "order": next(_unique)},
            ("contest-prize-tiers", "POST"): lambda: {"name": "Giải", "rank": next(_unique), "quota": 4},
            ("contest-reopen:closed", "POST"): lambda: {
                "reason": "Gia hạn",
                "submission_closes_at": "2099-01-01T00:00:00+07:00",
            },
            ("contest-copy", "POST"): lambda: {"title": f"Bản sao {next(_unique)}"},
        },
    )


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_contests_permission_matrix(world, row):
    matrix_check(world, row)
