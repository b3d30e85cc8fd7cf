import pytest

from screening import services
from tests.factories import EntryFactory, StudentFactory


@pytest.fixture
def organizer(role_users):
    return role_users["network_organizer"]


@pytest.fixture
def write(places, category):
    """write(body): an entry of the contest with that essay, by a new student of the north."""

    def write(body, **fields):
        return EntryFactory(
            category=fields.pop("category", category),
            entrant=StudentFactory(library=places.north_library),
            body=body,
            **fields,
        )

    return write


@pytest.fixture
def screen(organizer, django_capture_on_commit_callbacks):
    """screen(contest): a run, queued and carried out (tasks run in-process), as it ended."""

    def screen(contest, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            run = services.run_start(actor=actor or organizer, contest=contest)
        run.refresh_from_db()
        return run

    return screen
