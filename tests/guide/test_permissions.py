import pytest

from tests.matrix import MatrixWorld, matrix_check, rows

ALL = ("anonymous", "student", "judge", "library_staff", "network_organizer", "platform_organizer")

MATRIX = [
    *rows("me-home", "GET", **dict.fromkeys(ALL, 200) | {"anonymous": 401}),
    *rows("me-outcomes", "GET", **dict.fromkeys(ALL, 200) | {"anonymous": 401}),
    *rows("me-eligibility", "GET", **dict.fromkeys(ALL, 200) | {"anonymous": 401}),
]


@pytest.fixture
def world(role_users, contest) -> MatrixWorld:
    return MatrixWorld(
        users=role_users,
        urls={
            "me-home": lambda: ("me-home", {}),
            "me-outcomes": lambda: ("me-outcomes", {}),
            "me-eligibility": lambda: ("me-eligibility", {}, {"contest": contest.pk}),
        },
    )


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_guide_permission_matrix(world, row):
    matrix_check(world, row)
