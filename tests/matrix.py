"""The permission matrix: role x method x URL -> expected status.

Every app's tests declare `MATRIX` rows in a `test_permissions.py` and run them through
`matrix_check`; tests/core/test_matrix_coverage.py fails when an API URL and method has no row.
A URL is named by its route name, with an optional ":variant" when the same route is checked
on different objects (a network the organizer runs, and one they do not).
"""

import importlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.urls import resolve, reverse
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


def matrix_rows() -> list[Row]:
    """Every app's MATRIX, from the test_permissions.py modules under tests/."""
    tests = Path(__file__).resolve().parent
    found = []
    for module_path in sorted(tests.rglob("test_permissions.py")):
        module_name = ".".join(module_path.relative_to(tests.parent).with_suffix("").parts)
        found.extend(importlib.import_module(module_name).MATRIX)
    return found


# A role that the matrix always sees refused on an operation: not signed in, not allowed, or
# not shown the object at all. The view says so before it reads the request's body, so fuzzing
# that body as that role meets the same refusal every time.
REFUSED = {401, 403, 404}
_FUZZ_CASE = re.compile(r"\[(GET|POST|PUT|PATCH|DELETE) (/api/[^\]]*)\]\[(\w+)\]$")


@cache
def _outcomes() -> dict[tuple[str, str, str], set[int]]:
    outcomes = defaultdict(set)
    for row in matrix_rows():
        outcomes[row.route_name, row.method, row.role].add(row.expected)
    return outcomes


def _gets_through(method: str, path: str, role: str) -> bool:
    route_name = resolve(re.sub(r"\{[^}]+\}", "1", path)).url_name
    expected = _outcomes().get((route_name, method, role))
    # An operation the matrix lacks fails tests/core/test_matrix_coverage.py; fuzz it meanwhile.
    return expected is None or not expected <= REFUSED


def _fuzz_case(item) -> tuple[str, str, str] | None:
    """(method, path, role) of a schema-fuzz test, from its id: ...[POST /api/networks/][student]."""
    if not item.nodeid.startswith("tests/core/test_schema_fuzz.py::"):
        return None
    found = _FUZZ_CASE.search(item.name)
    return found.groups() if found else None


def fuzz_case_refused(item) -> bool:
    case = _fuzz_case(item)
    return case is not None and not _gets_through(*case)
