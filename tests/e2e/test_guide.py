"""Guided work: signing in lands each person in their own area, and the home says what waits."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contests.enums import ContestStatus
from judging import services
from tests.e2e.conftest import row_texts, screenshot
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
