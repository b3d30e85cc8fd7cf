import pytest
from django.core.cache import cache

from config.celery import app as celery_app
from core.breaker import breakers_reset
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
