import io
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from pytest_django.plugin import blocking_manager_key

from config.celery import app as celery_app
from contests.models import Contest
from core.breaker import breakers_reset
from people.models import User
from tests.factories import (
    CategoryFactory,
    ContestFactory,
    LibraryFactory,
    LibraryStaffFactory,
    NetworkFactory,
    NetworkOrganizerFactory,
    StudentFactory,
    UserFactory,
)
from tests.worker import broker_use


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, request):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    cache.clear()  # throttle counters must not leak from one test into the next
    # Tasks run in-process unless the test is about the real worker.
    eager = request.node.get_closest_marker("worker") is None and request.node.get_closest_marker("fault") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    breakers_reset()  # a Redis skipped by an earlier test is tried again
    yield
    celery_app.conf.task_always_eager = previous


class Places:
    """A small tree: national > (north association > its library), (south association)."""

    def __init__(self):
        self.national = NetworkFactory(name="Bộ Văn hóa", kind="national")
        self.north = NetworkFactory(name="Liên Chi hội phía Bắc", parent=self.national)
        self.north_province = NetworkFactory(name="Tỉnh Thái Nguyên", kind="province", parent=self.north)
        self.south = NetworkFactory(name="Hội thư viện phía Nam", parent=self.national)
        self.north_library = LibraryFactory(name="Thư viện Đại học Vinh", network=self.north)
        self.south_library = LibraryFactory(name="Thư viện Đại học Cần Thơ", network=self.south)


@pytest.fixture
def places(db) -> Places:
    return Places()


@pytest.fixture
def role_users(places) -> dict:
    """One user per role of tests.matrix.ROLES; the organizer runs `places.north`."""
    return {
        "anonymous": None,
        "student": StudentFactory(username="hocsinh", full_name="Lê Ngọc Ánh", library=places.north_library),
        # An outside expert (no library); tests that need a panel put them on a round.
        "judge": UserFactory(username="giamkhao", full_name="Vũ Hoàng Long"),
        "library_staff": LibraryStaffFactory(user__username="thuthu", library=places.north_library).user,
        "network_organizer": NetworkOrganizerFactory(user__username="tochuc", network=places.north).user,
        "platform_organizer": UserFactory(username="quantri", is_staff=True),
    }


@pytest.fixture
def contest(places):
    """Open now, run by the north association (whose organizer is role_users' one)."""
    return ContestFactory(title="Đại sứ Văn hóa đọc 2026", network=places.north, code_prefix="DSVH26")


@pytest.fixture
def category(contest):
    return CategoryFactory(contest=contest, name="THPT & Đại học")


class Broker:
    """The broker of `broker_down`: down until `back()`, then in-process (eager) tasks."""

    def back(self) -> None:
        # A task that fails is the worker's business, as on a real worker: not the sender's.
        celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, False
        breakers_reset()


@pytest.fixture
def broker_down():
    """The real Celery app, not eager, pointed at a port where no broker listens."""
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    broker_use("redis://127.0.0.1:9/0")
    celery_app.conf.task_always_eager = False
    yield Broker()
    broker_use(saved[0])
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved[1:]


@dataclass
class Demo:
    open: Contest  # Đại sứ Văn hóa đọc 2026, open for entries
    judging: Contest  # … 2025, in judging
    published: Contest  # … 2024, published
    organizer: User  # bantochuc


class _SeededOnce:
    atomic = None  # the transaction the demo was seeded in, while it lasts


_seeded = _SeededOnce()


@pytest.fixture
def demo(request, django_db_setup, django_db_blocker) -> Demo:
    """The world of `manage.py seed_demo`, seeded once for all the tests that ask for it.

    It is seeded in a transaction left open, in which each of these tests runs in a savepoint of
    its own (as Django's TestCase.setUpTestData does), rolled back after the test; the transaction
    rolls back after the last of them, so the rest of the suite never sees the demo. They run one
    after the other (the top conftest.py orders them first, and under xdist they are one group).
    Ask for `demo` instead of `db`.
    """
    if _seeded.atomic is None:
        with django_db_blocker.unblock():
            if connection.in_atomic_block:
                pytest.fail("ask for `demo` instead of `db`: the demo's transaction must hold the test's")
            _seeded.atomic = transaction.atomic()
            _seeded.atomic.__enter__()
            call_command("seed_demo", stdout=io.StringIO())
    request.getfixturevalue("db")
    return Demo(
        open=Contest.objects.get(title="Đại sứ Văn hóa đọc 2026"),
        judging=Contest.objects.get(title="Đại sứ Văn hóa đọc 2025"),
        published=Contest.objects.get(title="Đại sứ Văn hóa đọc 2024"),
        organizer=User.objects.get(username="bantochuc"),
    )


def _uses_demo(item) -> bool:
    return item is not None and "demo" in getattr(item, "fixturenames", ())


def pytest_itemcollected(item):
    if _uses_demo(item):
        # As each test is collected, before any hook reorders or groups them: under xdist
        # (--dist loadgroup) the demo's tests go to one worker.
        item.add_marker(pytest.mark.xdist_group("demo"))
        # After `demo` in the order fixtures are set up (`demo` asks for it itself), and so
        # that pytest-django creates the test database for a run of these tests alone.
        if "db" not in item.fixturenames:
            item.fixturenames.append("db")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # pytest-xdist 3.8 puts a test in its group (--dist loadgroup) by writing "@group" at the end
    # of item._nodeid, which pytest 9 no longer reads (it keeps the id in item._id): without this,
    # the groups are silently split across workers. Done only where xdist has not done it.
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        groups = sorted({str(mark.args[0]) for mark in item.iter_markers("xdist_group") if mark.args})
        if groups and not item.nodeid.endswith("@" + "_".join(groups)):
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(groups)}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if _seeded.atomic is not None and not _uses_demo(nextitem):
            with item.config.stash[blocking_manager_key].unblock():
                transaction.set_rollback(True)
                _seeded.atomic.__exit__(None, None, None)
            _seeded.atomic = None
