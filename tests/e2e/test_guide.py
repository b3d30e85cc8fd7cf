"""Guided work (issue 16): signing in lands each person in their own area, the home says what waits,
judges, organizers and students are guided through their work, the public result reads per category;
and axe-core finds no serious violation on those pages."""

from datetime import UTC, datetime, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from contests.enums import ContestStatus
from judging import services
from results.leaderboard import leaderboard_refresh
from tests.e2e.conftest import Watch, row_texts, screenshot
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    CategoryFactory,
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    LibraryFactory,
    LibraryStaffFactory,
    NetworkFactory,
    NetworkOrganizerFactory,
    RoundFactory,
    ScoreFactory,
    StudentFactory,
    UserFactory,
)
from tests.results.helpers import ranking

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


@pytest.fixture
def judge_years(transactional_db):
    """A judge with 3 entries in the round being judged (2 criteria), one of them submitted, and 1
    entry in last year's published contest."""
    network = NetworkFactory()
    organizer = NetworkOrganizerFactory(network=network).user
    judge = UserFactory(username="giamkhao.nam", full_name="Trần Văn Chấm")

    def contest_with_round(title, codes):
        contest = ContestFactory(
            title=title,
            network=network,
            status=ContestStatus.CLOSED,
            submission_opens_at=timezone.now() - timedelta(days=30),
            submission_closes_at=timezone.now() - timedelta(days=1),
        )
        category = CategoryFactory(contest=contest, name="THPT")
        judging_round = RoundFactory(contest=contest, name=f"Sơ khảo {title[-4:]}", order=1, judges_per_entry=1)
        criteria = [
            CriterionFactory(round=judging_round, name="Nội dung", max_score=10),
            CriterionFactory(round=judging_round, name="Hình thức", max_score=5),
        ]
        for code in codes:
            EntryFactory(category=category, code=code)
        services.judge_add(actor=organizer, judging_round=judging_round, user=judge)
        services.round_assign(actor=organizer, judging_round=judging_round)
        return contest, judging_round, criteria

    last_year, old_round, old_criteria = contest_with_round("Đại sứ Văn hóa đọc 2025", ["DSVH25-000001"])
    old = judge.assignments.get(round=old_round)
    services.score_record(judge=judge, assignment=old, marks={str(c.pk): 1 for c in old_criteria}, submit=True)
    last_year.status = ContestStatus.PUBLISHED
    last_year.save()
    _contest, current, criteria = contest_with_round(
        "Đại sứ Văn hóa đọc 2026", ["DSVH26-000001", "DSVH26-000002", "DSVH26-000003"]
    )
    queue = list(judge.assignments.filter(round=current).order_by("entry__code"))
    services.score_record(judge=judge, assignment=queue[1], marks={str(c.pk): 2 for c in criteria}, submit=True)
    return {"judge": judge, "queue": queue, "criteria": criteria}


def test_a_judge_opens_on_the_round_being_judged_moves_to_the_next_pending_entry_and_sees_every_bad_mark(
    site, sign_in, judge_years
):
    sign_in(judge_years["judge"])
    first, _submitted, third = judge_years["queue"]

    page = site.open("/judge/")

    expect(page.locator(".judge-group h2")).to_have_count(1)
    expect(page.locator(".judge-group h2")).to_contain_text("Sơ khảo 2026")
    expect(page.locator(".judge-group tbody th")).to_have_text(["DSVH26-000001", "DSVH26-000002", "DSVH26-000003"])
    expect(page.locator("#progress-label")).to_have_text("Đã nộp điểm 1/3 bài")
    page.get_by_label("Hiển thị").select_option(label="Tất cả các vòng (cả vòng đã kết thúc, năm trước)")
    expect(page.locator(".judge-group h2")).to_have_count(2)
    expect(page.locator("#progress-label")).to_have_text("Đã nộp điểm 1/3 bài")  # the current round only
    assert "scope=all" in page.url

    page = site.open(f"/judge/assignments/{first.pk}/")
    expect(page.locator("#next")).to_have_attribute("href", f"/judge/assignments/{third.pk}/")  # skips the submitted
    expect(page.locator("#next")).to_have_text("Bài chưa chấm tiếp theo →")
    expect(page.locator("#total-missing")).to_have_text("(còn thiếu: Nội dung, Hình thức)")
    page.get_by_label("Nội dung (tối đa 10)").fill("12")
    page.get_by_label("Hình thức (tối đa 5)").fill("2,1")
    expect(page.locator("#total-missing")).to_have_text("(còn thiếu: Nội dung, Hình thức)")
    page.get_by_role("button", name="Nộp điểm").click()

    content, form = judge_years["criteria"]
    expect(page.locator(f'[data-error-for="mark-{content.pk}"]')).to_have_text(
        "Điểm tiêu chí “Nội dung” phải từ 0 đến 10."
    )
    expect(page.locator(f'[data-error-for="mark-{form.pk}"]')).to_have_text(
        "Điểm chấm theo bước 0,25 (7; 7,25; 7,5; 7,75)."
    )
    page.get_by_label("Nội dung (tối đa 10)").fill("8")
    expect(page.locator("#total-missing")).to_have_text("(còn thiếu: Hình thức)")
    expect(page.locator("#total")).to_have_text("8")


def test_a_judges_queue_on_a_phone_shows_each_entrys_state_without_scrolling(site, sign_in, judge_years):
    sign_in(judge_years["judge"])
    site.page.set_viewport_size({"width": 390, "height": 844})

    page = site.open("/judge/")

    states = page.locator(".judge-group .state")
    expect(states).to_have_text(["Chưa chấm", "Đã nộp", "Chưa chấm"])
    for index in range(3):
        box = states.nth(index).bounding_box()
        assert box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "judge-queue-phone-cards")


def test_an_organizer_sees_the_stage_the_next_step_and_only_the_actions_it_allows(site, sign_in, world):
    sign_in(world.organizer)

    page = site.open(f"/organize/contests/{world.open_contest.pk}/")

    expect(page.locator("#stages [aria-current='step']")).to_have_text("Đang nhận bài")
    expect(page.locator("#next-step-text")).to_have_text(
        "Cuộc thi đang nhận bài; hết hạn nộp, cuộc thi tự chuyển sang “Đã hết hạn nộp”."
    )
    expect(page.get_by_role("button", name="Kết thúc nhận bài ngay")).to_be_visible()
    for absent in ["Công bố ngay", "Hẹn giờ công bố", "Trao giải theo kết quả vòng cuối", "Tạo giấy chứng nhận"]:
        expect(page.get_by_role("button", name=absent)).to_have_count(0)
    assert [row[:2] for row in row_texts(page, "#rounds tbody tr")] == [["Sơ khảo", "Chưa bắt đầu"]]
    screenshot(page, "organize-contest-next-step")

    page = site.open(f"/organize/contests/{world.published.pk}/")

    expect(page.locator("#stages [aria-current='step']")).to_have_text("Đã công bố")
    expect(page.locator("#next-step-text")).to_have_text("Kết quả đã công bố: cấp giấy chứng nhận.")
    expect(page.get_by_role("button", name="Trao giải theo kết quả vòng cuối")).to_have_count(0)
    expect(page.get_by_role("button", name="Công bố ngay")).to_have_count(0)
    expect(page.locator("#certificates-form button")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.locator("#next-step-text")).to_have_text("The results are out: issue the certificates.")


def test_an_organizer_of_a_network_below_sees_a_contest_above_without_buttons(site, sign_in, world):
    below = NetworkFactory(name="Chi hội Nghệ An", parent=world.networks[0])
    other = NetworkOrganizerFactory(network=below).user
    sign_in(other)

    page = site.open(f"/organize/contests/{world.open_contest.pk}/")

    expect(page.locator("#next-step-text")).not_to_be_empty()
    expect(page.locator("#overview button:visible")).to_have_count(0)


def test_a_student_sees_the_quota_as_soon_as_the_category_is_chosen(site, sign_in, world):
    student = StudentFactory(username="hocsinh", full_name="Lê Ngọc Ánh", library=world.libraries[0])
    thcs = world.open_contest.categories.get(name="THCS")
    EntryFactory(category=thcs, entrant=student, code="DSVH26-8MT5HP")
    sign_in(student)
    page = site.open(f"/my/entries/?contest={world.open_contest.pk}")

    page.get_by_label("Bảng thi", exact=True).select_option(label="THCS")

    expect(page.locator("#quota")).to_have_text(
        "Bạn đã gửi DSVH26-8MT5HP: đủ 1 bài của bảng này, không gửi thêm được. Bạn vẫn có thể sửa hoặc rút bài đã gửi."
    )
    page.get_by_label("Bảng thi", exact=True).select_option(label="THPT & Đại học")
    expect(page.locator("#quota")).to_have_text("Bạn chưa gửi bài nào ở bảng này; được gửi tối đa 1 bài.")


def test_a_student_reads_how_the_entry_fared_and_the_released_comments_without_names(site, sign_in, world, certificate):
    winner = world.entries[0]
    final = world.published.rounds.get()
    judge = UserFactory(full_name="Đỗ Văn Khảo")
    ScoreFactory(assignment=AssignmentFactory(round=final, entry=winner, judge=judge), comment="Bài viết cảm động.")
    sign_in(winner.entrant)

    page = site.open("/my/entries/")

    card = page.locator(f".outcome[data-entry='{winner.pk}']")
    expect(card.locator("[data-field='reached']")).to_have_text("Vào tới: Chung khảo")
    expect(card.locator("[data-field='prizes']")).to_have_text("Giải: Giải Nhất")
    expect(card.get_by_role("link")).to_have_attribute("href", f"/api/certificates/{certificate.pk}/pdf/")
    expect(card.locator("[data-field='no-comments']")).to_have_text(
        "Nhận xét của giám khảo sẽ hiện ở đây nếu ban tổ chức gửi tới thí sinh."
    )
    world.published.comments_released = True
    world.published.save(update_fields=["comments_released"])
    page.reload()
    expect(card.locator("[data-field='comments'] li")).to_have_text(["Chung khảo: Bài viết cảm động."])
    assert "Đỗ Văn Khảo" not in page.content()
    screenshot(page, "student-outcome")
    page.get_by_role("button", name="English").click()
    expect(card.locator("[data-field='reached']")).to_have_text("Reached: Chung khảo")


@pytest.fixture
def two_categories(world):
    """The published contest with a second category, Video, ranked on its own."""
    video = CategoryFactory(contest=world.published, name="Video")
    final = world.published.rounds.get()
    entries = ranking(final, video, world.libraries[1], [1, 2], title="Phim ")
    for entry, name in zip(entries, ["Vũ Minh Khôi", "Hoàng Thu Trang"], strict=True):
        entry.entrant.full_name = name
        entry.entrant.publish_consent_at = timezone.now()  # they agreed to be named in public
        entry.entrant.save()
    return world


def test_the_results_give_each_category_its_own_ranking_and_a_search(site, two_categories):
    world = two_categories
    page = site.open(f"/contests/{world.published.pk}/results/")

    sections = page.locator(".results-category")
    expect(sections.locator("h2")).to_have_text(["Bài viết", "Video"])
    expect(sections.nth(1).locator("tbody tr")).to_have_count(2)
    assert [row[:2] for row in row_texts(page, ".results-category:nth-child(2) tbody tr")] == [
        ["1", "Vũ Minh Khôi"],
        ["2", "Hoàng Thu Trang"],
    ]
    expect(sections.nth(0).locator("tbody tr")).to_have_count(5)

    page.get_by_label("Tìm thí sinh hoặc thư viện").fill("can tho")  # no marks needed

    visible = page.locator(".results-category tbody tr:visible")
    expect(visible).to_have_count(2)
    expect(visible.locator("th")).to_have_text(["Đặng Thuỳ Dương", "Phạm Thị Hồng Nhung"])
    expect(sections.nth(1)).to_be_hidden()  # nobody of Cần Thơ in Video
    assert "q=can+tho" in page.url
    page.get_by_label("Tìm thí sinh hoặc thư viện").fill("khôi")
    expect(visible.locator("th")).to_have_text(["Vũ Minh Khôi"])
    page.get_by_label("Tìm thí sinh hoặc thư viện").fill("không có ai")
    expect(page.locator("#search-empty")).to_have_text("Không có thí sinh hay thư viện nào khớp.")


def test_the_results_on_a_phone_are_cards_with_rank_score_and_prize_in_view(site, browser, two_categories):
    world = two_categories
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    watch = Watch()
    phone = watch.attach(context.new_page())
    try:
        site.open(f"/contests/{world.published.pk}/results/", on=phone)
        first = phone.locator(".results-category tbody tr").first
        expect(first.locator("th")).to_have_text("Nguyễn Thị Hường")
        for field in ("rank", "score", "prizes"):
            box = first.locator(f"[data-field='{field}']").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, field
        expect(first.locator("[data-field='prizes']")).to_have_text("Giải Nhất")
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(phone, "phone-results-cards")
    finally:
        context.close()
    assert (watch.csp, watch.errors) == ([], [])


def test_a_contest_in_judging_says_when_its_results_are_expected(site, world):
    contest = world.published
    contest.status = ContestStatus.JUDGING
    contest.publish_at = DUE
    contest.save()

    page = site.open(f"/contests/{contest.pk}/results/")

    expect(page.locator("#not-yet")).to_contain_text("Kết quả sẽ được công bố lúc")
    expect(page.locator("#not-yet")).to_contain_text("30 tháng 11, 2026")
    expect(page.locator("#page-error")).to_be_hidden()
    expect(page.locator("#filters")).to_be_hidden()
    page = site.open(f"/contests/{contest.pk}/leaderboard/")
    expect(page.locator("#not-yet")).to_contain_text("Kết quả sẽ được công bố lúc")
    expect(page.locator("#page-error")).to_be_hidden()
    page.get_by_role("button", name="English").click()
    expect(page.locator("#not-yet")).to_contain_text("The results will be published at")


def test_the_leaderboard_explains_its_columns_and_keeps_the_digits_of_a_small_rate(site, world):
    vinh = world.libraries[0]
    vinh.student_count = 40000
    vinh.save()
    leaderboard_refresh(contest=world.published)
    page = site.open(f"/contests/{world.published.pk}/leaderboard/")

    first = page.locator("#board tbody tr").first
    expect(first.locator("td").nth(3)).to_have_text("0,005 %")  # 2 entrants of 40,000 students
    page.get_by_text("Cách đọc bảng xếp hạng").click()
    expect(page.locator("#help-points")).to_have_text(
        "Điểm thi đua: mỗi giải mang về số điểm của nó: Giải Nhất 10 điểm, Giải Nhì 5 điểm."
    )
    expect(page.locator("#chart svg text.bar-label").first).to_have_text("Thư viện Đại học Vinh")


# Accessibility: axe-core (the copy the axe-playwright-python package ships; nothing downloaded),
# evaluated in the page through Playwright (the pages' CSP stays strict), over the pages each
# role is guided through, on a laptop and a phone: no critical and no serious violation.

SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def violations(page, *, impacts=("critical", "serious")) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['impact']} {v['id']}: {[node['target'] for node in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in impacts
    ]


def settle(page):
    expect(page.locator(".loading")).to_have_count(0)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("size", SIZES)
def test_the_judges_pages_have_no_serious_violation(site, sign_in, judge_years, size):
    site.page.set_viewport_size(SIZES[size])
    sign_in(judge_years["judge"])
    found = {}
    for path in ["/", "/judge/", f"/judge/assignments/{judge_years['queue'][0].pk}/"]:
        page = site.open(path)
        settle(page)
        found[path] = violations(page)
    assert found == {path: [] for path in found}


@pytest.mark.parametrize("size", SIZES)
def test_the_organizers_and_public_pages_have_no_serious_violation(site, sign_in, world, certificate, size):
    site.page.set_viewport_size(SIZES[size])
    found = {}
    for path in [f"/contests/{world.published.pk}/results/", f"/contests/{world.published.pk}/leaderboard/"]:
        page = site.open(path)
        settle(page)
        found[path] = violations(page)
    sign_in(world.entries[0].entrant)
    page = site.open("/my/entries/")
    settle(page)
    expect(page.locator("#outcomes li")).to_have_count(1)
    found["/my/entries/"] = violations(page)
    sign_in(world.organizer)
    for path in ["/", f"/organize/contests/{world.published.pk}/", f"/organize/contests/{world.open_contest.pk}/"]:
        page = site.open(path)
        settle(page)
        found[path] = violations(page)
    assert found == {path: [] for path in found}
