"""Guided work: signing in lands each person in their own area, and the home says what waits."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contests.enums import ContestStatus
from judging import services
from tests.e2e.conftest import screenshot
from tests.factories import (
    PASSWORD,
    CategoryFactory,
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    LibraryFactory,
    LibraryStaffFactory,
    NetworkFactory,
    NetworkOrganizerFactory,
    RoundFactory,
    StudentFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

DUE = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # 30/11 in Vietnam


@pytest.fixture
def people(transactional_db):
    """A contest in judging whose first round gives one judge three entries, due 30/11; a student
    with an entry there; a library's staff; the network's organizer."""
    network = NetworkFactory(name="Liên Chi hội Thư viện phía Bắc")
    library = LibraryFactory(network=network, name="Thư viện Đại học Vinh", short_name="ĐH Vinh")
    organizer = NetworkOrganizerFactory(network=network, user__username="bantochuc.bac").user
    contest = ContestFactory(
        title="Đại sứ Văn hóa đọc 2026",
        network=network,
        status=ContestStatus.CLOSED,
        submission_opens_at=timezone.now() - timedelta(days=30),
        submission_closes_at=timezone.now() - timedelta(days=1),
    )
    category = CategoryFactory(contest=contest, name="THPT")
    judging_round = RoundFactory(contest=contest, name="vòng 1", order=1, judges_per_entry=1, due_at=DUE)
    CriterionFactory(round=judging_round)
    student = StudentFactory(library=library, username="hocsinh.vinh", full_name="Lê Ngọc Ánh")
    EntryFactory(category=category, entrant=student)
    EntryFactory(category=category)
    EntryFactory(category=category)
    judge = UserFactory(username="giamkhao.bac", full_name="Phạm Văn Giám")
    services.judge_add(actor=organizer, judging_round=judging_round, user=judge)
    services.round_assign(actor=organizer, judging_round=judging_round)
    staff = LibraryStaffFactory(library=library, user__username="thuvien.vinh").user
    return {"judge": judge, "student": student, "staff": staff, "organizer": organizer}


def sign_in_through_the_form(site, username):
    page = site.open("/signin/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    return page


@pytest.mark.parametrize(
    ("who", "landing", "heading"),
    [
        ("judge", "/judge/", "Bài cần chấm"),
        ("student", "/my/entries/", None),
        ("staff", "/library/", None),
        ("organizer", "/organize/", None),
    ],
)
def test_signing_in_lands_on_the_persons_own_area(site, people, who, landing, heading):
    page = sign_in_through_the_form(site, people[who].username)

    expect(page).to_have_url(site.url + landing)
    expect(page.locator("#page-error")).to_be_hidden()
    if heading:
        expect(page.locator("h1")).to_have_text(heading)


def test_the_home_says_what_waits_for_a_judge_in_both_languages(site, sign_in, people):
    sign_in(people["judge"])

    page = site.open("/")

    waiting = page.locator("#waiting-tasks li")
    expect(waiting).to_have_text(["3 bài chờ chấm ở vòng 1 (Đại sứ Văn hóa đọc 2026) — hạn 30/11"])
    expect(waiting.get_by_role("link")).to_have_attribute(
        "href", "/judge/?round=" + str(people["judge"].assignments.first().round_id)
    )
    screenshot(page, "home-judge-waiting")
    page.get_by_role("button", name="English").click()
    expect(page.locator("#waiting-heading")).to_have_text("Waiting for you")
    expect(waiting).to_have_text(["3 entries to mark in vòng 1 (Đại sứ Văn hóa đọc 2026) — due 30/11"])


def test_the_home_says_what_waits_for_an_organizer(site, sign_in, people):
    sign_in(people["organizer"])

    page = site.open("/")

    expect(page.locator("#waiting-tasks li")).to_have_text(
        ["Đại sứ Văn hóa đọc 2026: vòng 1 đã chấm 0/3 lượt — hạn 30/11"]
    )
    expect(page.locator("#your-area")).to_have_attribute("href", "/organize/")
