"""The organizers' pages in a real browser: their contests, a contest's overview (prizes,
publication, certificates) and a round (judges by username, assignment, progress, closing,
results), with the server's state checked after each step."""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certificates.models import Certificate
from contests.enums import AdvanceRule, ContestStatus, RoundStatus
from judging.models import Assignment, RoundResult
from tests.e2e.conftest import Watch, answer_next_confirm, row_texts, screenshot
from tests.factories import (
    CategoryFactory,
    ContestFactory,
    CriterionFactory,
    JudgeFactory,
    LibraryFactory,
    NetworkFactory,
    NetworkOrganizerFactory,
    PrizeTierFactory,
    RoundFactory,
    UserFactory,
)
from tests.judging.helpers import assign, entries_of, mark
from tests.results.helpers import ranking

pytestmark = pytest.mark.e2e

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def vi_number(value: Decimal) -> str:
    """A score as the page shows it in Vietnamese: its digits as stored, no trailing zeros, a
    decimal comma."""
    return f"{value.normalize():f}".replace(".", ",")


@dataclass
class Judged:
    contest: object
    final: object
    organizer: object
    judges: list
    entries: list


@pytest.fixture
def judged(transactional_db, settings, tmp_path) -> Judged:
    """A contest closed for entries, run by the north association: two categories, four entries
    of two libraries, one final round (one criterion out of 10, two judges an entry), one prize
    tier, two judge accounts not yet on the panel."""
    settings.MEDIA_ROOT = tmp_path / "media"
    north = NetworkFactory(name="Liên Chi hội Thư viện phía Bắc", short_name="Phía Bắc")
    vinh = LibraryFactory(name="Thư viện Đại học Vinh", network=north)
    hanoi = LibraryFactory(name="Thư viện Hà Nội", network=north)
    organizer = NetworkOrganizerFactory(network=north, user__username="tochuc", user__full_name="Ban tổ chức").user
    contest = ContestFactory(
        title="Đại sứ Văn hóa đọc 2026",
        network=north,
        status=ContestStatus.CLOSED,
        submission_opens_at=timezone.now() - timedelta(days=30),
        submission_closes_at=timezone.now() - timedelta(days=1),
    )
    lower = CategoryFactory(contest=contest, name="THCS")
    upper = CategoryFactory(contest=contest, name="THPT & Đại học")
    final = RoundFactory(contest=contest, name="Chung khảo", order=1, judges_per_entry=2, advance=AdvanceRule.NONE)
    CriterionFactory(round=final, name="Nội dung", weight=Decimal(1), max_score=Decimal(10))
    PrizeTierFactory(contest=contest, name="Giải Nhất", rank=1, quota=1, points=10)
    entries = [*entries_of(lower, vinh, 3), *entries_of(upper, hanoi, 1)]
    judges = [
        UserFactory(username="giamkhao1", full_name="Vũ Hoàng Long"),
        UserFactory(username="giamkhao2", full_name="Trần Thị Mai"),
    ]
    return Judged(contest=contest, final=final, organizer=organizer, judges=judges, entries=entries)


def test_an_organizer_runs_a_round_then_awards_publishes_and_issues_certificates(site, judged, sign_in):
    page = site.page
    sign_in(judged.organizer)

    # Their contests.
    site.open("/organize/")
    expect(page.locator("h1")).to_have_text("Ban tổ chức")
    expect(page.locator("#contests tbody tr")).to_have_count(1)
    expect(page.locator("#contests tbody td.num")).to_have_text("4")
    row = row_texts(page, "#contests tbody tr")[0]
    assert row[:2] == ["Đại sứ Văn hóa đọc 2026", "Đã hết hạn nộp"]
    # A network's organizer has no admin (where contests are created): no link to a refusal.
    expect(page.get_by_role("link", name="Tạo cuộc thi mới (trang quản trị)")).to_have_count(0)
    screenshot(page, "organize")
    page.get_by_role("link", name="Đại sứ Văn hóa đọc 2026").click()

    # The overview, before judging: counts, the round, and a refused publication.
    expect(page).to_have_url(f"{site.url}/organize/contests/{judged.contest.pk}/")
    expect(page.locator("#category-counts tbody tr")).to_have_count(2)
    expect(page.locator("#entries-total")).to_have_text("4")
    assert row_texts(page, "#category-counts tbody tr") == [["THCS", "3"], ["THPT & Đại học", "1"]]
    expect(page.locator("#rounds tbody td.num")).to_have_text("0")
    # A round nobody was assigned to is not being judged; a closed contest offers no publishing.
    assert row_texts(page, "#rounds tbody tr") == [["Chung khảo", "Chưa bắt đầu", "0"]]
    expect(page.locator("#next-step-text")).to_have_text("Thêm giám khảo và phân bài cho Chung khảo.")
    expect(page.get_by_role("button", name="Công bố ngay")).to_have_count(0)
    expect(page.get_by_role("button", name="Trao giải theo kết quả vòng cuối")).to_have_count(0)
    page.get_by_role("link", name="Chung khảo").click()

    # The round: two judges by username; an unknown one is refused next to the field.
    expect(page.locator("h1")).to_contain_text("Chung khảo")
    expect(page.locator("#judges-empty")).to_be_visible()
    username = page.get_by_label("Tên đăng nhập của giám khảo")
    username.fill("khongco")
    page.get_by_role("button", name="Thêm giám khảo").click()
    expect(page.locator("#judge-username-error")).to_have_text("Không có tài khoản nào với tên đăng nhập này.")
    expect(username).to_have_attribute("aria-invalid", "true")
    for judge in judged.judges:
        username.fill(judge.username.upper())  # any case
        username.press("Enter")
        expect(page.locator("#judge-outcome")).to_have_text(f"Đã thêm {judge.full_name}.")
    expect(page.locator("#judges tbody tr")).to_have_count(2)
    assert row_texts(page, "#judges tbody tr") == [
        ["Trần Thị Mai", "giamkhao2", "1", "Bỏ khỏi vòng"],
        ["Vũ Hoàng Long", "giamkhao1", "1", "Bỏ khỏi vòng"],
    ]
    assert set(judged.final.judges.values_list("user__username", flat=True)) == {"giamkhao1", "giamkhao2"}

    # Assignment: the report, the assignments in the database, nothing scored yet.
    page.get_by_role("button", name="Phân bài cho giám khảo").click()
    report = page.locator("#assign-report")
    expect(report).to_be_visible()
    expect(report.locator('[data-field="entries"]')).to_have_text("4")
    expect(report.locator('[data-field="judges"]')).to_have_text("2")
    expect(report.locator('[data-field="added"]')).to_have_text("8")
    expect(report.locator('[data-field="assignments"]')).to_have_text("8")
    assert Assignment.objects.filter(round=judged.final).count() == 8
    expect(page.locator("#progress-all [data-field='count']")).to_have_text("0/8")
    assert [cells[:2] for cells in row_texts(page, "#progress-judges tbody tr")] == [
        ["Trần Thị Mai", "0/4"],
        ["Vũ Hoàng Long", "0/4"],
    ]
    screenshot(page, "organize-round")

    # The judges score, all but one assignment.
    assignments = list(Assignment.objects.filter(round=judged.final).order_by("entry__code", "judge__username"))
    marks = {entry.pk: Decimal(6 + index) for index, entry in enumerate(judged.entries)}
    unscored = assignments[-1]
    for assignment in assignments:
        if assignment != unscored:
            mark(
                assignment,
                marks[assignment.entry_id] + (Decimal("0.5") if assignment.judge.username == "giamkhao2" else 0),
            )
    page.reload()
    expect(page.locator("#progress-all [data-field='count']")).to_have_text("7/8")

    # Closing is refused while one is unscored; forced, it closes.
    page.get_by_role("button", name="Kết thúc vòng", exact=True).click()
    expect(page.locator('#close-form [data-error-for="__all__"]')).to_have_text(
        "Còn 1 lượt chấm chưa nộp điểm. Hãy chờ, hoặc vẫn kết thúc vòng và bỏ qua các lượt này."
    )
    expect(page.locator("#unfinished-list li")).to_have_text([f"{unscored.judge.full_name}: đã nộp 3/4"])
    force = page.get_by_role("button", name="Vẫn kết thúc vòng")
    expect(force).to_be_disabled()
    screenshot(page, "organize-round-close-refused")
    assert judged.final.__class__.objects.get(pk=judged.final.pk).status == RoundStatus.SCORING
    page.get_by_label("Tôi hiểu: các lượt chấm chưa nộp điểm sẽ bị bỏ qua khi xếp hạng.").check()
    force.click()

    expect(page.locator("#round-status")).to_have_text("Đã kết thúc")
    expect(page.locator("#close-report [data-field='summary']")).to_have_text(
        "Đã kết thúc: 4 bài được xếp hạng, 0 bài vào vòng sau, 0 bài cần xem lại."
    )
    expect(page.locator("#left-out-list li")).to_have_text([f"{unscored.entry.code} · {unscored.judge.full_name}"])
    results = list(
        RoundResult.objects.filter(round=judged.final).select_related("entry").order_by("category_id", "rank")
    )
    expect(page.locator("#results tbody tr")).to_have_count(4)
    assert [(cells[0], cells[1], cells[4]) for cells in row_texts(page, "#results tbody tr")] == [
        (str(result.rank), result.entry.code, vi_number(result.score)) for result in results
    ]
    screenshot(page, "organize-round-closed")
    page.get_by_role("link", name="← Về trang tổng quan cuộc thi").click()

    # The overview: prizes, publication, certificates.
    expect(page.locator("#rounds tbody tr")).to_have_text([re.compile("Chung khảo\\s*Đã kết thúc\\s*2")])
    page.get_by_role("button", name="Trao giải theo kết quả vòng cuối").click()
    expect(page.locator("#award-outcome")).to_have_text("Đã trao 2 giải.")
    assert row_texts(page, "#award-report tbody tr") == [
        ["THCS", "Giải Nhất", "1", "1", "–"],
        ["THPT & Đại học", "Giải Nhất", "1", "1", "–"],
    ]
    asked = answer_next_confirm(page)
    page.get_by_role("button", name="Công bố ngay").click()
    expect(page.locator("#contest-status")).to_have_text("Đã công bố")
    assert asked == ["Công bố kết quả ngay? Mọi thí sinh sẽ nhận thư báo kết quả."]
    expect(page.locator("#publication-state")).to_contain_text("Đã công bố: ")
    judged.contest.refresh_from_db()
    assert judged.contest.status == ContestStatus.PUBLISHED
    expect(page.locator("#unpublish-form")).to_be_visible()

    page.get_by_role("button", name="Tạo giấy chứng nhận").click()
    expect(page.locator("#certificates-outcome")).to_have_text(re.compile(r"^Đã tạo xong \d+ giấy chứng nhận\.$"))
    bar = page.locator("#certificates-bar")
    total = Certificate.objects.filter(contest=judged.contest).count()
    assert total > 0
    assert bar.evaluate("bar => [bar.value, bar.max]") == [total, total]
    expect(page.locator("#certificates-progress [data-field='count']")).to_have_text(f"{total}/{total} giấy chứng nhận")
    assert Certificate.objects.filter(contest=judged.contest, rendered_at__isnull=False).count() == total
    expect(page.get_by_role("link", name="Tải tất cả giấy chứng nhận (ZIP)")).to_have_attribute(
        "href", f"/api/contests/{judged.contest.pk}/certificates/zip/"
    )
    screenshot(page, "organize-contest")


@pytest.fixture
def ready(transactional_db) -> Judged:
    """A contest in judging whose final round is closed: ready to publish."""
    north = NetworkFactory(name="Liên Chi hội Thư viện phía Bắc")
    organizer = NetworkOrganizerFactory(network=north).user
    contest = ContestFactory(
        title="Đại sứ Văn hóa đọc 2025",
        network=north,
        status=ContestStatus.JUDGING,
        submission_opens_at=timezone.now() - timedelta(days=60),
        submission_closes_at=timezone.now() - timedelta(days=30),
    )
    category = CategoryFactory(contest=contest, name="Bài viết")
    final = RoundFactory(
        contest=contest, name="Chung khảo", order=1, advance=AdvanceRule.NONE, status=RoundStatus.CLOSED
    )
    CriterionFactory(round=final)
    entries = ranking(final, category, LibraryFactory(network=north), [1, 2])
    return Judged(contest=contest, final=final, organizer=organizer, judges=[], entries=entries)


def test_publishing_at_a_time_is_read_as_vietnam_time_in_english(site, ready, sign_in):
    page = site.page
    sign_in(ready.organizer)
    site.open(f"/organize/contests/{ready.contest.pk}/")
    expect(page.locator("#overview")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.locator("#publication-state")).to_have_text("The results are not published.")
    when = (timezone.now().astimezone(VIETNAM) + timedelta(days=10)).replace(hour=9, minute=30, second=0, microsecond=0)

    page.get_by_role("button", name="Schedule").click()
    expect(page.locator("#publish-at-error")).to_have_text("This field is required.")
    page.get_by_label("Publish at (Vietnam time)").fill((when - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator("#publish-at-error")).to_have_text("Choose a time in the future, or publish now.")
    ready.contest.refresh_from_db()
    assert (ready.contest.status, ready.contest.publish_at) == (ContestStatus.JUDGING, None)  # a typo publishes nothing
    page.get_by_label("Publish at (Vietnam time)").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule").click()

    expect(page.locator("#publication-state")).to_contain_text("Scheduled to publish on")
    expect(page.locator("#publication-state")).to_contain_text(f"{when.day} {when.strftime('%B %Y')} at 09:30")
    ready.contest.refresh_from_db()
    assert ready.contest.publish_at == when
    assert ready.contest.publish_at.astimezone(VIETNAM).strftime("%H:%M") == "09:30"
    assert ready.contest.status == ContestStatus.JUDGING
    page.reload()  # the schedule is what the server keeps, not what the page remembers
    expect(page.locator("#publication-state")).to_contain_text(f"{when.day} {when.strftime('%B %Y')} at 09:30")


@pytest.mark.parametrize("which", ["organize", "contest", "round"])
def test_the_organizer_pages_fit_a_phone_screen(site, judged, sign_in, browser, which):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    watch = Watch()
    phone = watch.attach(context.new_page())
    sign_in(judged.organizer, on=phone)
    path = {
        "organize": "/organize/",
        "contest": f"/organize/contests/{judged.contest.pk}/",
        "round": f"/organize/rounds/{judged.final.pk}/",
    }[which]
    ready_when = {"organize": "#contests tbody tr", "contest": "#rounds tbody tr", "round": "#progress-all"}[which]
    try:
        site.open(path, on=phone)
        expect(phone.locator(ready_when).first).to_be_visible()

        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(phone, f"phone-organize-{which}")
    finally:
        context.close()
    assert (watch.csp, watch.errors) == ([], [])


def test_a_visitor_who_is_not_an_organizer_is_asked_to_sign_in(site, judged):
    page = site.open(f"/organize/rounds/{judged.final.pk}/")

    expect(page.locator("#organize-signin")).to_contain_text("Trang này dành cho ban tổ chức.")
    expect(page.get_by_role("link", name="Đăng nhập", exact=True).last).to_have_attribute(
        "href", f"/signin/?next=%2Forganize%2Frounds%2F{judged.final.pk}%2F"
    )
    expect(page.locator("#round")).to_be_hidden()


def test_one_more_judge_for_an_entry_the_judges_disagree_on(site, judged, sign_in):
    judged.final.max_spread = Decimal(1)
    judged.final.save()
    for judge in judged.judges:
        JudgeFactory(round=judged.final, user=judge)
    assign(judged.final, judged.organizer)
    entry = judged.entries[0]
    for assignment, value in zip(
        Assignment.objects.filter(round=judged.final, entry=entry).order_by("judge__username"), [6, 9], strict=True
    ):
        mark(assignment, value)
    UserFactory(username="giamkhao3", full_name="Lê Văn Ba")
    sign_in(judged.organizer)

    page = site.open(f"/organize/rounds/{judged.final.pk}/")

    rows = page.locator("#disagreements tbody tr")
    expect(rows).to_have_count(1)
    assert row_texts(page, "#disagreements tbody tr")[0][:5] == [entry.code, "THCS", entry.title, "3", "9 · 6"]
    more = page.get_by_role("button", name=f"Thêm một giám khảo cho bài {entry.code}")
    more.click()  # both judges of the panel already have it
    expect(rows.locator(".row-outcome")).to_have_text("Vòng thi không còn giám khảo nào có thể chấm bài này.")
    page.get_by_label("Tên đăng nhập của giám khảo").fill("giamkhao3")
    page.get_by_role("button", name="Thêm giám khảo").click()
    expect(page.locator("#judge-outcome")).to_have_text("Đã thêm Lê Văn Ba.")
    more.click()

    expect(rows.locator(".row-outcome")).to_have_text("Đã thêm một giám khảo.")
    assert list(
        Assignment.objects.filter(round=judged.final, entry=entry)
        .order_by("judge__username")
        .values_list("judge__username", "is_extra")
    ) == [("giamkhao1", False), ("giamkhao2", False), ("giamkhao3", True)]


def test_unpublishing_asks_for_a_reason_and_goes_back_to_judging(site, world, sign_in):
    sign_in(world.organizer)
    page = site.open(f"/organize/contests/{world.published.pk}/")
    expect(page.locator("#contest-status")).to_have_text("Đã công bố")

    page.get_by_role("button", name="Huỷ công bố").click()
    expect(page.locator("#reason-error")).to_have_text("Vui lòng điền trường này.")
    page.get_by_label("Lý do huỷ công bố").fill("Sai điểm một bài ở bảng Bài viết.")
    page.get_by_role("button", name="Huỷ công bố").click()

    expect(page.locator("#contest-status")).to_have_text("Đang chấm")
    expect(page.locator("#publication-state")).to_have_text("Kết quả chưa được công bố.")
    world.published.refresh_from_db()
    assert world.published.status == ContestStatus.JUDGING


def test_a_judge_taken_off_the_panel_leaves_the_table_and_the_database(site, judged, sign_in):
    JudgeFactory(round=judged.final, user=judged.judges[0])
    sign_in(judged.organizer)
    page = site.open(f"/organize/rounds/{judged.final.pk}/")
    expect(page.locator("#judges tbody tr")).to_have_count(1)

    answer_next_confirm(page, accept=False)
    page.get_by_role("button", name="Bỏ Vũ Hoàng Long khỏi vòng thi").click()
    expect(page.locator("#judges tbody tr")).to_have_count(1)  # asked, and told no: still there
    assert judged.final.judges.exists()
    asked = answer_next_confirm(page)
    page.get_by_role("button", name="Bỏ Vũ Hoàng Long khỏi vòng thi").click()

    expect(page.locator("#judges-empty")).to_be_visible()
    assert asked == [
        "Bỏ Vũ Hoàng Long khỏi vòng thi? Các bài chưa chấm của giám khảo này sẽ được phân lại; điểm đã nộp được giữ."
    ]
    expect(page.locator("#judges")).to_be_hidden()
    assert not judged.final.judges.exists()


def test_the_organizer_moves_a_closed_contest_to_judging_from_its_overview(site, judged, sign_in):
    sign_in(judged.organizer)
    page = site.open(f"/organize/contests/{judged.contest.pk}/")
    expect(page.locator("#contest-status")).to_have_text("Đã hết hạn nộp")

    asked = answer_next_confirm(page)
    page.get_by_role("button", name="Bắt đầu chấm").click()

    expect(page.locator("#contest-status")).to_have_text("Đang chấm")
    expect(page.locator("#stage-form")).to_be_hidden()  # judging has no next step here: publishing does
    judged.contest.refresh_from_db()
    assert judged.contest.status == ContestStatus.JUDGING
    assert asked == ["Bắt đầu chấm? Từ đây không nhận thêm bài nữa."]
