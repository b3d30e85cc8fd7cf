import itertools

import pytest

from tests.matrix import ROLES, MatrixWorld, matrix_check, rows

_unique = itertools.count()

ALL_200 = dict.fromkeys(ROLES, 200)
ORGANIZERS_ONLY = {"anonymous": 401, "student": 403, "judge": 403, "library_staff": 403}

MATRIX = [
    *rows("auth-register", "POST", **{role: 201 for role in ALL_200}),
    *rows("auth-token", "POST", **{role: 400 for role in ALL_200}),  # wrong password for everyone
    *rows("auth-login", "POST", **{role: 400 for role in ALL_200}),  # wrong password for everyone
    *rows("auth-logout", "POST", **{role: 204 for role in ALL_200}),
    *rows("auth-logout-all", "POST", **{role: 204 for role in ALL_200} | {"anonymous": 401}),
    *rows("auth-me", "GET", **ALL_200 | {"anonymous": 401}),
    *rows("auth-email-confirmation", "POST", **{role: 202 for role in ALL_200} | {"anonymous": 401}),
    # The token says who: anyone may post one; a forged one is a 400 for all.
    *rows("auth-email-confirm", "POST", **{role: 400 for role in ALL_200}),
    *rows("network-list", "GET", **ALL_200),
    *rows("network-list", "POST", **ORGANIZERS_ONLY, network_organizer=201, platform_organizer=201),
    *rows("network-list:top", "POST", **ORGANIZERS_ONLY, network_organizer=403, platform_organizer=201),
    *rows("network-detail:own", "GET", **ALL_200),
    *rows("network-detail:own", "PATCH", **ORGANIZERS_ONLY, network_organizer=200, platform_organizer=200),
    *rows("network-detail:other", "PATCH", **ORGANIZERS_ONLY, network_organizer=403, platform_organizer=200),
    *rows("library-list", "GET", **ALL_200),
    *rows("library-list", "POST", **ORGANIZERS_ONLY, network_organizer=201, platform_organizer=201),
    *rows("library-list:other", "POST", **ORGANIZERS_ONLY, network_organizer=403, platform_organizer=201),
    *rows("library-detail:own", "GET", **ALL_200),
    *rows("library-detail:own", "PATCH", **ORGANIZERS_ONLY, network_organizer=200, platform_organizer=200),
    *rows("library-detail:other", "PATCH", **ORGANIZERS_ONLY, network_organizer=403, platform_organizer=200),
    *rows("schema", "GET", **ALL_200),
    *rows("docs", "GET", **ALL_200),
]


def _registration(library) -> dict:
    n = next(_unique)
    return {
        "username": f"hs{n}",
        "password": "Sach-hay-2026",
        "email": f"hs{n}@example.com",
        "full_name": "Phạm Thị Hồng Nhung",
        "library": library.pk,
    }


@pytest.fixture
def world(role_users, places) -> MatrixWorld:
    unique_name = lambda prefix: f"{prefix} {next(_unique)}"
    return MatrixWorld(
        users=role_users,
        urls={
            "auth-register": lambda: ("auth-register", {}),
            "auth-token": lambda: ("auth-token", {}),
            "auth-login": lambda: ("auth-login", {}),
            "auth-logout": lambda: ("auth-logout", {}),
            "auth-logout-all": lambda: ("auth-logout-all", {}),
            "auth-me": lambda: ("auth-me", {}),
            "auth-email-confirmation": lambda: ("auth-email-confirmation", {}),
            "auth-email-confirm": lambda: ("auth-email-confirm", {}),
            "network-list": lambda: ("network-list", {}),
            "network-list:top": lambda: ("network-list", {}),
            "network-detail:own": lambda: ("network-detail", {"pk": places.north_province.pk}),
            "network-detail:other": lambda: ("network-detail", {"pk": places.south.pk}),
            "library-list": lambda: ("library-list", {}),
            "library-list:other": lambda: ("library-list", {}),
            "library-detail:own": lambda: ("library-detail", {"pk": places.north_library.pk}),
            "library-detail:other": lambda: ("library-detail", {"pk": places.south_library.pk}),
            "schema": lambda: ("schema", {}),
            "docs": lambda: ("docs", {}),
        },
        payloads={
            ("auth-email-confirm", "POST"): lambda: {"token": "forged:token"},
            ("auth-register", "POST"): lambda: _registration(places.north_library),
            ("auth-token", "POST"): lambda: {"username": "hocsinh", "password": "sai"},
            ("auth-login", "POST"): lambda: {"username": "hocsinh", "password": "sai"},
            ("network-list", "POST"): lambda: {"name": unique_name("Chi hội"), "parent": places.north.pk},
            ("network-list:top", "POST"): lambda: {"name": unique_name("Mạng lưới"), "parent": None},
            ("network-detail:own", "PATCH"): lambda: {"short_name": "TN"},
            ("network-detail:other", "PATCH"): lambda: {"short_name": "PN"},
            ("library-list", "POST"): lambda: {"name": unique_name("Thư viện"), "network": places.north.pk},
            ("library-list:other", "POST"): lambda: {"name": unique_name("Thư viện"), "network": places.south.pk},
            ("library-detail:own", "PATCH"): lambda: {"student_count": 1200},
            ("library-detail:other", "PATCH"): lambda: {"student_count": 800},
        },
    )


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_people_permission_matrix(world, row):
    matrix_check(world, row)
