from datetime import date

import pytest

from tests.factories import StudentFactory

# Under 16 on any day of 2026-2030 (the tests freeze the clock where the date matters).
CHILD_BORN = date(2015, 3, 1)
ADULT_BORN = date(2005, 3, 1)


@pytest.fixture
def child(places):
    return StudentFactory(
        username="be.an", full_name="Phạm Minh An", birth_date=CHILD_BORN, library=places.north_library
    )


@pytest.fixture
def staff(role_users):
    return role_users["library_staff"]


@pytest.fixture
def organizer(role_users):
    return role_users["network_organizer"]
