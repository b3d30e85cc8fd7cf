"""Browser tests: Debian's Chromium (never a downloaded browser) against pytest-django's live
server, one browser for the session and a fresh context (cookies, localStorage) per test.

Each test builds its world with the factories under `transactional_db`, so that the server's
thread sees it. Every page a test opens is watched: a Content-Security-Policy violation or an
uncaught script error fails the test. Screenshots go to var/screenshots/ (printed at the end).
"""

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from certificates.models import Certificate
from certificates.services import certificates_issue
from contests.enums import AdvanceRule, ContestStatus, RoundStatus
from results import prizes, publication
from results.leaderboard import leaderboard_refresh
from tests.e2e import CHROMIUM
from tests.factories import (
    CategoryFactory,
    ContestFactory,
    CriterionFactory,
    LibraryFactory,
    NetworkFactory,
    NetworkOrganizerFactory,
    PrizeTierFactory,
    RoundFactory,
)
from tests.results.helpers import ranking

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
_taken: list[Path] = []


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # The top conftest.py stops the run early when Chromium is missing.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    }


@pytest.fixture(scope="session")
def browser(browser):
    """Every context the tests open (pytest-playwright's and their own) has its clock installed
    at the tests' now, so that the pages count down from the server's clock, also when the
    session runs at another time of day (TEST_CLOCK, tests/clock.py). The clock then runs on
    in real time."""
    new_context = browser.new_context

    def new_clocked_context(**kwargs):
        context = new_context(**kwargs)
        context.clock.install(time=datetime.now(UTC))
        return context

    browser.new_context = new_clocked_context
    return browser


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # Last, after pytest-django's own ordering: once the browser has started, Playwright's sync
    # API keeps an asyncio loop running in the main thread until the session ends, and Django
    # takes every ORM call made there for one made from async code (see below).
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwrights_loop():
    # The test database's setup, the factories and the flushes run in the main thread beside
    # that loop. Set from the first e2e test on (they run last), so that no earlier test's
    # subprocess (manage.py check --deploy) inherits it.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def base_url():
    # Pages are opened at live_server.url. (This also replaces pytest-playwright's own fallback
    # fixture, a method of a plugin object, which pytest 9 warns about.)
    return None


@pytest.fixture(autouse=True)
def _e2e_marker(request):
    assert request.node.get_closest_marker("e2e"), "tests in tests/e2e are marked e2e (pytestmark)"


class Watch:
    """What a page reported while the test drove it."""

    def __init__(self):
        self.csp: list[str] = []
        self.errors: list[str] = []

    def attach(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        return page

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)


@pytest.fixture
def watch(page) -> Watch:
    watch = Watch()
    watch.attach(page)
    yield watch
    assert watch.csp == [], "Content-Security-Policy violations"
    assert watch.errors == [], "uncaught script errors"


@pytest.fixture
def site(transactional_db, live_server, page, watch):
    """The page, watched, with the live server's address at hand: site.open("/contests/1/").

    Asks for the database before the page, so that the page is done with first: at teardown it
    waits for its last requests (a poll, an autosave) to be answered, and closes, before the
    database is flushed. Flushed under a live request, PostgreSQL deadlocks the TRUNCATE with
    the server's read.
    """

    class Site:
        url = live_server.url

        def open(self, path: str, *, on=None):
            target = on or page
            target.goto(live_server.url + path)
            return target

    Site.page = page
    yield Site()
    with contextlib.suppress(PlaywrightTimeout):  # a page that never idles is closed right after anyway
        page.wait_for_load_state("networkidle", timeout=5000)


@pytest.fixture
def sign_in(live_server, page):
    """Signs the browser in as a user (a session made by Django's test client, its cookie handed
    to the browser): sign_in(user). Signing in through the form is the sign-in page's own test."""

    def sign_in(user, *, on=None):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        (on or page).context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return user

    return sign_in


def answer_next_confirm(page, *, accept: bool = True) -> list[str]:
    """Answers the page's next confirm() (Playwright would dismiss it); the list it returns
    receives the question the person was asked."""
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", answer)
    return asked


def row_texts(page, selector: str) -> list[list[str]]:
    """The text of each cell of each row the selector finds: what a reader sees in a table."""
    return page.locator(selector).evaluate_all(
        "rows => rows.map(row => [...row.children].map(cell => cell.textContent.trim()))"
    )


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    _taken.append(path)
    return path


def pytest_terminal_summary(terminalreporter):
    if _taken:
        terminalreporter.write_line(f"e2e: {len(_taken)} screenshots in {SCREENSHOTS}")


@dataclass
class World:
    open_contest: object
    published: object
    category: object
    libraries: list
    networks: list
    entries: list
    organizer: object


NAMES = ["Nguyễn Thị Hường", "Trần Quốc Việt", "Lê Ngọc Ánh", "Đặng Thuỳ Dương", "Phạm Thị Hồng Nhung"]


@pytest.fixture
def world(transactional_db, settings, tmp_path) -> World:
    """An open contest (deadline in 3 days) and a published one: five entrants of three
    libraries in two networks, Giải Nhất and Giải Nhì, a leaderboard."""
    settings.MEDIA_ROOT = tmp_path / "media"
    north = NetworkFactory(name="Liên Chi hội Thư viện phía Bắc", short_name="Phía Bắc")
    south = NetworkFactory(name="Hội Thư viện phía Nam", short_name="Phía Nam")
    vinh = LibraryFactory(name="Thư viện Đại học Vinh", short_name="ĐH Vinh", network=north)
    hanoi = LibraryFactory(name="Thư viện Hà Nội", short_name="TV Hà Nội", network=north)
    cantho = LibraryFactory(name="Thư viện Đại học Cần Thơ", short_name="ĐH Cần Thơ", network=south)
    organizer = NetworkOrganizerFactory(network=north).user

    open_contest = ContestFactory(
        title="Đại sứ Văn hóa đọc 2026",
        network=north,
        description="Viết về một cuốn sách đã đọc.\nMỗi bài tối đa 2.000 chữ.",
        submission_closes_at=timezone.now() + timedelta(days=3, hours=5),
    )
    CategoryFactory(contest=open_contest, name="THCS", formats=["text"], max_words=2000)
    CategoryFactory(contest=open_contest, name="THPT & Đại học", formats=["file", "text", "video"], max_file_mb=20)
    first = RoundFactory(contest=open_contest, name="Sơ khảo", order=1)
    CriterionFactory(round=first, name="Nội dung", max_score=Decimal(10))
    PrizeTierFactory(contest=open_contest, name="Giải Nhất", rank=1, quota=1, points=10)

    published = ContestFactory(
        title="Đại sứ Văn hóa đọc 2024",
        network=north,
        code_prefix="DSVH24",
        status=ContestStatus.JUDGING,
        submission_opens_at=timezone.now() - timedelta(days=400),
        submission_closes_at=timezone.now() - timedelta(days=300),
    )
    category = CategoryFactory(contest=published, name="Bài viết")
    final = RoundFactory(
        contest=published, name="Chung khảo", order=1, advance=AdvanceRule.NONE, status=RoundStatus.CLOSED
    )
    CriterionFactory(round=final)
    PrizeTierFactory(contest=published, name="Giải Nhất", rank=1, quota=1, points=10)
    PrizeTierFactory(contest=published, name="Giải Nhì", rank=2, quota=2, points=5)
    entries = [
        *ranking(final, category, vinh, [1, 4], title="Vinh "),
        *ranking(final, category, hanoi, [2], title="Hà Nội "),
        *ranking(final, category, cantho, [3, 5], title="Cần Thơ "),
    ]
    for entry, name in zip(entries, NAMES, strict=True):
        entry.entrant.full_name = name
        entry.entrant.publish_consent_at = timezone.now()  # they agreed to be named in public
        entry.entrant.save()
    prizes.prizes_award(actor=organizer, contest=published)
    publication.results_publish(actor=organizer, contest=published)
    leaderboard_refresh(contest=published)
    return World(
        open_contest=open_contest,
        published=published,
        category=category,
        libraries=[vinh, hanoi, cantho],
        networks=[north, south],
        entries=entries,
        organizer=organizer,
    )


@pytest.fixture
def certificate(world) -> Certificate:
    """The winner's certificate of the published contest, issued and rendered (PDFs) for real."""
    certificates_issue(actor=world.organizer, contest=world.published)
    return Certificate.objects.get(contest=world.published, holder=world.entries[0].entrant, kind="prize")
