"""The permission matrix: role x method x URL -> expected status.

Every app's tests declare `MATRIX` rows in a `test_permissions.py` and run them through
`matrix_check`; tests/core/test_matrix_coverage.py fails when an API URL and method has no row.
A URL is named by its route name, with an optional ":variant" when the same route is checked
on different objects (a network the organizer runs, and one they do not).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from rest_framework.test import APIClient

ROLES = ("anonymous", "student", "judge", "library_staff", "network_organizer", "platform_organizer")


@dataclass(frozen=True)
class Row:
    role: str
    method: str
    url: str
    expected: int

    def __str__(self):
        return f"{self.role} {self.method} {self.url} -> {self.expected}"

    @property
    def route_name(self) -> str:
        return self.url.split(":", 1)[0]


def rows(url: str, method: str, **expected_by_role: int) -> list[Row]:
    """One row per role; every role must be named, so that adding a role breaks loudly."""
    assert set(expected_by_role) == set(ROLES), f"{method} {url}: name every role in {ROLES}"
    return [Row(role, method, url, status) for role, status in expected_by_role.items()]


@dataclass
class MatrixWorld:
    users: dict[str, Any]
    urls: dict[str, Callable[[], tuple]]  # url spec -> (route name, kwargs[, query parameters])
    payloads: dict[tuple[str, str], Callable[[], dict]] = field(default_factory=dict)

    def client(self, role: str) -> APIClient:
        client = APIClient()
        if self.users.get(role) is not None:
            client.force_authenticate(self.users[role])
        return client

    def url(self, spec: str) -> str:
        name, kwargs, *query = self.urls[spec]()
        return reverse(name, kwargs=kwargs, query=query[0] if query else None)


def matrix_check(world: MatrixWorld, row: Row) -> None:
    client = world.client(row.role)
    payload = world.payloads.get((row.url, row.method), dict)()
    # A payload holding a file goes as multipart, everything else as JSON.
    fmt = "multipart" if any(hasattr(value, "read") for value in payload.values()) else "json"
    response = getattr(client, row.method.lower())(world.url(row.url), payload, format=fmt)
    assert response.status_code == row.expected, f"{row}: got {response.status_code} {response.content[:300]!r}"
