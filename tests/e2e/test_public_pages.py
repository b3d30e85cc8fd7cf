"""The public pages in a real browser: home, a contest, its results and leaderboards, certificate
verification and signing in, in Vietnamese and English, on a desktop and a phone-sized screen."""

import csv
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from rest_framework.test import APIClient

from certificates.services import code_display
from judging.models import RoundResult
from results import publication
from submissions.services import entry_disqualify
from tests.e2e.conftest import Watch, row_texts, screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_home_lists_the_open_and_the_published_contest_in_vietnamese(site, world):
    page = site.open("/")

    expect(page.locator("h1")).to_have_text("Cuộc thi Đại sứ Văn hóa đọc")
    open_cards = page.locator("#open-contests li")
    expect(open_cards).to_have_count(1)
    expect(open_cards.first).to_contain_text("Đại sứ Văn hóa đọc 2026")
    expect(open_cards.first.locator(".badge")).to_have_text("Đang nhận bài")
    published = page.locator("#published-contests li")
    expect(published).to_have_count(1)
    expect(published.first).to_contain_text("Đại sứ Văn hóa đọc 2024")
    expect(published.first.get_by_role("link", name="Kết quả")).to_have_attribute(
        "href", f"/contests/{world.published.pk}/results/"
    )
    assert page.evaluate("document.documentElement.lang") == "vi"
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Bỏ qua, đến nội dung chính")).to_be_focused()
    screenshot(page, "home-vi")


def test_home_switches_to_english_and_remembers_it(site, world):
    page = site.open("/")
    expect(page.locator("#open-contests li")).to_have_count(1)

    page.get_by_role("button", name="English").click()

    expect(page.locator("h2#open-heading")).to_have_text("Open for entries")
    expect(page.locator("#published-contests li .badge")).to_have_text("Results published")
    page.reload()
    expect(page.locator("h1")).to_have_text("Reading Culture Ambassador contests")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("document.documentElement.lang") == "en"
    screenshot(page, "home-en")


def test_contest_page_shows_the_deadline_in_vietnam_time_a_running_countdown_and_the_rules(site, world):
    contest = world.open_contest

    page = site.open(f"/contests/{contest.pk}/")

    expect(page.locator("h1")).to_have_text("Đại sứ Văn hóa đọc 2026")
    countdown = page.locator("#countdown")
    expect(countdown).to_have_text(re.compile(r"^Còn 3 ngày [45] giờ \d+ phút \d+ giây$"))
    first = countdown.text_content()
    expect(countdown).not_to_have_text(first, timeout=3000)  # it ticks
    closes = contest.submission_closes_at.astimezone(VIETNAM)
    deadline = page.locator(".deadline time")
    expect(deadline).to_contain_text(closes.strftime("%H:%M"))
    expect(deadline).to_have_attribute("datetime", re.compile(r"\+07:00$"))
    expect(page.locator(".deadline")).to_contain_text("giờ Việt Nam, UTC+07:00")
    assert row_texts(page, "#categories tbody tr") == [
        ["THCS", "bài viết", "2.000", "–", "1"],
        ["THPT & Đại học", "tệp, bài viết, video", "5.000", "DOCX, JPEG, PDF, PNG, tối đa 20 MB", "1"],
    ]
    expect(page.locator("#rounds li")).to_contain_text(["Sơ khảo"])
    expect(page.locator("#prize-tiers li")).to_have_text(["Giải Nhất 1 giải · 10 điểm"])
    expect(page.locator(".description")).to_contain_text("Viết về một cuốn sách đã đọc.")
    screenshot(page, "contest")


def test_results_page_ranks_the_entrants_with_their_libraries_and_prizes(site, world):
    page = site.open(f"/contests/{world.published.pk}/results/")

    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(5)
    ranked = [
        (rank, name, library, prizes) for rank, name, library, _t, _s, prizes in row_texts(page, "#results tbody tr")
    ]
    assert ranked == [
        ("1", "Nguyễn Thị Hường", "Thư viện Đại học Vinh", "Giải Nhất"),
        ("2", "Lê Ngọc Ánh", "Thư viện Hà Nội", "Giải Nhì"),
        ("3", "Đặng Thuỳ Dương", "Thư viện Đại học Cần Thơ", "Giải Nhì"),
        ("4", "Trần Quốc Việt", "Thư viện Đại học Vinh", ""),
        ("5", "Phạm Thị Hồng Nhung", "Thư viện Đại học Cần Thơ", ""),
    ]
    expect(page.locator("#contest-title")).to_have_text("Đại sứ Văn hóa đọc 2024")
    screenshot(page, "results")

    page.get_by_label("Bảng thi").select_option(label="Bài viết")

    expect(page).to_have_url(re.compile(rf"\?category={world.category.pk}$"))
    expect(rows).to_have_count(5)


def test_the_results_page_says_what_the_api_and_the_csv_say_after_a_disqualification(site, world):
    contest, organizer = world.published, world.organizer
    vinh_first, vinh_fourth, hanoi_second, cantho_third, _cantho_fifth = world.entries
    RoundResult.objects.filter(entry=cantho_third).update(score=Decimal("97.0005"))  # 4 decimals, as closing writes
    publication.results_unpublish(actor=organizer, contest=contest, reason="Bài của Thư viện Hà Nội đạo văn")
    entry_disqualify(actor=organizer, entry=hanoi_second, reason="Đạo văn")
    publication.results_publish(actor=organizer, contest=contest)

    page = site.open(f"/contests/{contest.pk}/results/")

    expect(page.locator("#results tbody tr")).to_have_count(4)
    shown = [(rank, name, score, prizes) for rank, name, _l, _t, score, prizes in row_texts(page, "#results tbody tr")]
    assert shown == [
        ("1", "Nguyễn Thị Hường", "99", "Giải Nhất"),
        ("2", "Đặng Thuỳ Dương", "97,0005", "Giải Nhì"),  # 3rd at the close, 2nd once the 2nd left
        ("3", "Trần Quốc Việt", "96", "Giải Nhì"),
        ("4", "Phạm Thị Hồng Nhung", "95", ""),
    ]
    client = APIClient()
    api_rows = client.get(f"/api/contests/{contest.pk}/results/").json()["results"]
    csv_text = b"".join(client.get(f"/api/contests/{contest.pk}/results/csv/").streaming_content).decode()
    csv_rows = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))[1:]
    assert (
        [(str(r["rank"]), r["entrant"]["full_name"], vi_figure(r["score"])) for r in api_rows]
        == [(rank, name, vi_figure(score)) for _category, rank, _code, name, _library, _title, score, _p in csv_rows]
        == [row[:3] for row in shown]
    )
    assert hanoi_second.entrant.full_name not in page.locator("#results").text_content()
    assert (vinh_first.awards.get().rank, cantho_third.awards.get().rank, vinh_fourth.awards.get().rank) == (1, 2, 3)


def vi_figure(text: str) -> str:
    """A figure as the page shows it in Vietnamese: its digits, no trailing zeros, a decimal comma."""
    return f"{Decimal(text).normalize():f}".replace(".", ",")


def test_leaderboards_per_library_and_per_network_as_a_table_and_an_svg_bar_chart(site, world):
    page = site.open(f"/contests/{world.published.pk}/leaderboard/")

    rows = page.locator("#board tbody tr")
    expect(rows).to_have_count(3)
    assert [(cells[0], cells[1], cells[-1]) for cells in row_texts(page, "#board tbody tr")] == [
        ("1", "Thư viện Đại học Vinh", "10"),
        ("2", "Thư viện Hà Nội", "5"),  # ahead of Cần Thơ on points and winners: a higher average
        ("3", "Thư viện Đại học Cần Thơ", "5"),
    ]
    assert page.locator("#chart svg rect.bar").count() == rows.count() == 3
    expect(page.locator("#chart svg")).to_have_attribute("role", "img")
    screenshot(page, "leaderboard-library")

    page.get_by_role("button", name="Mạng lưới, tỉnh").click()

    expect(page.locator("#board thead")).to_contain_text("Đơn vị")
    expect(rows).to_have_count(2)
    assert [(cells[0], cells[1], cells[-1]) for cells in row_texts(page, "#board tbody tr")] == [
        ("1", "Liên Chi hội Thư viện phía Bắc", "15"),
        ("2", "Hội Thư viện phía Nam", "5"),
    ]
    assert page.locator("#chart svg rect.bar").count() == 2
    # The names people know, not the short codes.
    expect(page.locator("#chart svg text.bar-label")).to_have_text(
        ["Liên Chi hội Thư viện phía Bắc", "Hội Thư viện phía Nam"]
    )
    expect(page).to_have_url(re.compile(r"\?by=network$"))
    screenshot(page, "leaderboard-network")


def test_verifying_a_real_certificate_shows_its_holder_and_award(site, world, certificate):
    page = site.open("/certificates/verify/")

    page.get_by_label("Mã xác thực").fill(certificate.code.lower())
    page.get_by_role("button", name="Tra cứu", exact=True).click()

    verdict = page.locator("#verdict")
    expect(verdict.locator("h2")).to_have_text("Giấy chứng nhận hợp lệ.")
    expect(verdict.locator('[data-field="holder"]')).to_have_text("Nguyễn Thị Hường")
    expect(verdict.locator('[data-field="award"]')).to_have_text(certificate.award)
    assert "Giải Nhất" in certificate.award
    expect(verdict.locator('[data-field="contest"]')).to_have_text("Đại sứ Văn hóa đọc 2024")
    expect(verdict.get_by_role("link")).to_have_attribute("href", f"/verify/{code_display(certificate.code)}/")
    screenshot(page, "verify")


def test_an_unknown_code_says_so_next_to_the_box_in_the_chosen_language(site, world):
    page = site.open("/certificates/verify/")
    page.get_by_role("button", name="Tra cứu", exact=True).click()
    expect(page.locator("#code-error")).to_have_text("Vui lòng nhập mã xác thực.")

    page.get_by_label("Mã xác thực").fill("ZZZZ-ZZZZ-ZZZZ")
    page.keyboard.press("Enter")  # the keyboard alone submits the form

    expect(page.locator("#code-error")).to_have_text("Không có giấy chứng nhận nào mang mã này.")
    expect(page.locator("#verdict")).to_be_hidden()
    expect(page.get_by_label("Mã xác thực")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "verify-unknown")
    page.get_by_role("button", name="English").click()  # reloads with ?code=: verifies again
    expect(page.locator("#code-error")).to_have_text("No certificate has this code.")


def test_signing_in_shows_each_error_next_to_its_field_then_opens_a_session(site, world):
    UserFactory(username="hocsinh", full_name="Lê Ngọc Ánh")
    page = site.open("/signin/")

    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.locator("#username-error")).to_have_text("Vui lòng điền trường này.")
    page.get_by_label("Tên đăng nhập").fill("hocsinh")
    page.get_by_label("Mật khẩu").fill("sai")
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.locator('[data-error-for="__all__"]')).to_have_text("Không thể đăng nhập với thông tin đã nhập.")
    screenshot(page, "signin-error")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()

    expect(page).to_have_url(site.url + "/")
    expect(page.locator("#whoami")).to_have_text("Lê Ngọc Ánh")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.locator("#signin-link")).to_be_visible()


@pytest.mark.parametrize("path", ["/", "/contests/{published}/leaderboard/"])
def test_a_phone_sized_screen_needs_no_horizontal_scrolling(site, world, browser, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    watch = Watch()
    phone = watch.attach(context.new_page())
    try:
        site.open(path.format(published=world.published.pk), on=phone)
        expect(phone.locator("main li, #board tbody tr").first).to_be_visible()

        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(phone, "phone-home" if path == "/" else "phone-leaderboard")
    finally:
        context.close()
    assert (watch.csp, watch.errors) == ([], [])


def test_the_frontend_pages_carry_a_strict_csp_that_the_watch_would_catch_breaking(site, world):
    response = site.page.goto(site.url + "/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    docs = site.page.request.get(site.url + "/api/docs/")
    assert docs.ok and "content-security-policy" not in docs.headers  # Swagger keeps its inline script

    probe = Watch()
    page = probe.attach(site.page.context.new_page())
    page.goto(site.url + "/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s); }"
    )
    page.wait_for_timeout(100)

    assert len(probe.csp) == 1
    assert page.evaluate("window.x") is None
