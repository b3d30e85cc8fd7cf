"""The whole contest run from the browser, by the people who run it: a student registers through
their library and sends an essay (a second one, after the deadline, is refused); the organizer
closes the entries, puts two judges on the round and assigns it; each judge scores their queue
blind; the organizer closes the round, awards the prizes, publishes and issues the certificates;
the public reads the results and the leaderboard, and the student's certificate verifies.

Each person has a browser context of their own (the student's is phone-sized), signs in through
the sign-in page, and every page they open is watched for CSP violations and script errors. The
only step the test takes itself is the clock: it moves the deadline into the past.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certificates.models import Certificate
from contests.enums import AdvanceRule, ContestStatus, RoundStatus
from contests.models import Contest
from judging.models import Assignment, Score
from people.models import User
from submissions.content import words_count
from submissions.models import Entry
from tests.e2e.conftest import Watch, answer_next_confirm, row_texts, screenshot
from tests.factories import (
    PASSWORD,
    CategoryFactory,
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    LibraryFactory,
    NetworkFactory,
    NetworkOrganizerFactory,
    PrizeTierFactory,
    RoundFactory,
    StudentFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.smoke]  # the browser test of CI's SQLite pass too

ESSAY = (
    "Dế Mèn phiêu lưu ký dạy tôi rằng tính kiêu căng phải trả giá.\n"
    "Tôi đọc lại cuốn sách này mỗi mùa hè, và mỗi lần lại thấy mình trong chú Dế Mèn."
)
PHONE = {"width": 390, "height": 844}


@dataclass
class Contest2026:
    contest: object
    final: object
    organizer: object
    judges: list
    others: list  # the two entries already in, from Thư viện Hà Nội


@pytest.fixture
def contest_2026(transactional_db, settings, tmp_path) -> Contest2026:
    settings.MEDIA_ROOT = tmp_path / "media"
    north = NetworkFactory(name="Liên Chi hội Thư viện phía Bắc", short_name="Phía Bắc")
    LibraryFactory(name="Thư viện Đại học Vinh", short_name="ĐH Vinh", network=north)
    hanoi = LibraryFactory(name="Thư viện Hà Nội", short_name="TV Hà Nội", network=north)
    organizer = NetworkOrganizerFactory(network=north, user__username="bantochuc", user__full_name="Ban tổ chức").user
    contest = ContestFactory(
        title="Đại sứ Văn hóa đọc 2026",
        network=north,
        code_prefix="DSVH26",
        submission_opens_at=timezone.now() - timedelta(days=30),
        submission_closes_at=timezone.now() + timedelta(hours=2),
    )
    upper = CategoryFactory(contest=contest, name="THPT", formats=["text"], max_words=500, max_entries_per_entrant=1)
    CategoryFactory(contest=contest, name="THCS", formats=["text"], max_words=500, max_entries_per_entrant=1)
    final = RoundFactory(contest=contest, name="Chung khảo", order=1, judges_per_entry=2, advance=AdvanceRule.NONE)
    CriterionFactory(round=final, name="Nội dung", weight=Decimal(1), max_score=Decimal(10))
    CriterionFactory(round=final, name="Hình thức", weight=Decimal(1), max_score=Decimal(5))
    PrizeTierFactory(contest=contest, name="Giải Nhất", rank=1, quota=1, points=10)
    PrizeTierFactory(contest=contest, name="Giải Nhì", rank=2, quota=1, points=5)
    others = [
        EntryFactory(
            category=upper,
            entrant=StudentFactory(full_name=name, library=hanoi, publish_consent_at=agreed),
            code=f"DSVH26-HN000{index}",
            title=f"Bài dự thi số {index}",
        )
        for index, (name, agreed) in enumerate([("Trần Quốc Việt", timezone.now()), ("Đặng Thuỳ Dương", None)], start=1)
    ]
    judges = [
        UserFactory(username="giamkhao1", full_name="Vũ Hoàng Long"),
        UserFactory(username="giamkhao2", full_name="Trần Thị Mai"),
    ]
    return Contest2026(contest=contest, final=final, organizer=organizer, judges=judges, others=others)


def person(browser, watches: list[Watch], **context):
    """A new browser (context) for one person, its pages watched like the `site` fixture's."""
    page = browser.new_context(**context).new_page()
    watch = Watch()
    watch.attach(page)
    watches.append(watch)
    return page


def sign_in(page, url: str, username: str, *, then: str) -> None:
    page.goto(f"{url}/signin/?next={then}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).to_have_url(url + then)


def test_a_whole_contest_from_registration_to_a_verified_certificate(live_server, browser, contest_2026):
    url, world, watches = live_server.url, contest_2026, []
    contest = world.contest

    # 1. A student registers through her library (on her phone) and sends an essay.
    student = person(browser, watches, viewport=PHONE)
    student.goto(f"{url}/contests/{contest.pk}/")
    student.goto(f"{url}/register/")
    student.get_by_label("Họ và tên").fill("Phạm Minh Châu")
    student.get_by_label("Thư điện tử").fill("chau@example.com")
    student.get_by_label("Tên đăng nhập").fill("minhchau")
    student.get_by_label("Mật khẩu").fill("Doc-sach-moi-ngay")
    student.get_by_label("Tìm thư viện (tên, tên viết tắt, mạng lưới)").fill("vinh")
    student.get_by_role("radio", name=re.compile("Thư viện Đại học Vinh")).check()
    student.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(student).to_have_url(url + "/my/entries/")
    expect(student.locator("#whoami")).to_have_text("Phạm Minh Châu")

    student.goto(f"{url}/my/entries/?contest={contest.pk}")
    student.get_by_label("Bảng thi", exact=True).select_option(label="THPT")
    student.get_by_label("Tên bài dự thi").fill("Hành trình cùng Dế Mèn")
    student.get_by_label("Tên sách").fill("Dế Mèn phiêu lưu ký")
    student.get_by_label("Tác giả").fill("Tô Hoài")
    student.get_by_label("Bài viết").fill(ESSAY)
    expect(student.locator("#word-count")).to_have_text(f"{words_count(ESSAY)} / 500 chữ")
    student.get_by_role("button", name="Gửi bài").click()
    expect(student.locator("#notice")).to_have_text(re.compile(r"^Đã gửi bài\. Mã bài dự thi của bạn: DSVH26-"))
    essay = Entry.objects.get(entrant__username="minhchau")
    expect(student.locator("#notice")).to_have_text(f"Đã gửi bài. Mã bài dự thi của bạn: {essay.code}")
    assert (essay.title, essay.body, essay.library.name) == ("Hành trình cùng Dế Mèn", ESSAY, "Thư viện Đại học Vinh")
    screenshot(student, "whole-1-student-sent")

    # A second essay, in the other category, is sent a minute after the deadline: refused.
    student.get_by_label("Bảng thi", exact=True).select_option(label="THCS")
    student.get_by_label("Tên bài dự thi").fill("Bài gửi muộn")
    student.get_by_label("Tên sách").fill("Tắt đèn")
    student.get_by_label("Tác giả").fill("Ngô Tất Tố")
    student.get_by_label("Bài viết").fill("Tôi gửi bài này lúc nửa đêm.")
    Contest.objects.filter(pk=contest.pk).update(submission_closes_at=timezone.now() - timedelta(minutes=1))
    student.get_by_role("button", name="Gửi bài").click()
    expect(student.locator('#entry-form [data-error-for="__all__"]')).to_have_text("Cuộc thi hiện không nhận bài.")
    assert list(Entry.objects.filter(entrant__username="minhchau")) == [essay]

    # 2. The organizer closes the entries, starts judging, puts two judges on the round, assigns.
    organizer = person(browser, watches)
    sign_in(organizer, url, "bantochuc", then=f"/organize/contests/{contest.pk}/")
    expect(organizer.locator("#entries-total")).to_have_text("3")
    answer_next_confirm(organizer)
    organizer.get_by_role("button", name="Kết thúc nhận bài ngay").click()
    expect(organizer.locator("#contest-status")).to_have_text("Đã hết hạn nộp")
    answer_next_confirm(organizer)
    organizer.get_by_role("button", name="Bắt đầu chấm").click()
    expect(organizer.locator("#contest-status")).to_have_text("Đang chấm")
    organizer.get_by_role("link", name="Chung khảo").click()
    for judge in world.judges:
        organizer.get_by_label("Tên đăng nhập của giám khảo").fill(judge.username)
        organizer.get_by_role("button", name="Thêm giám khảo").click()
        expect(organizer.locator("#judge-outcome")).to_have_text(f"Đã thêm {judge.full_name}.")
    organizer.get_by_role("button", name="Phân bài cho giám khảo").click()
    expect(organizer.locator("#assign-report [data-field='assignments']")).to_have_text("6")
    expect(organizer.locator("#progress-all [data-field='count']")).to_have_text("0/6")
    assert Assignment.objects.filter(round=world.final).count() == 6

    # 3. Each judge scores their three entries blind, moving on from the keyboard.
    marks = {  # code: the two marks, and the total the page shows (1 x Nội dung + 1 x Hình thức)
        essay.code: ("9.5", "4.75", "14,25"),
        world.others[0].code: ("8", "4", "12"),
        world.others[1].code: ("7.25", "3.5", "10,75"),
    }
    for judge in world.judges:
        page = person(browser, watches)
        sign_in(page, url, judge.username, then="/judge/")
        expect(page.locator("#progress-label")).to_have_text("Đã nộp điểm 0/3 bài")
        page.locator("#groups tbody a").first.click()
        for position in range(1, 4):
            expect(page.locator("#position")).to_have_text(f"Bài {position}/3 của vòng")
            code = page.locator("#entry-code").text_content().split()[-1]  # "Bài DSVH26-…"
            text = page.locator("body").inner_text()
            for secret in ["Phạm Minh Châu", "minhchau", "chau@example.com", "Thư viện Đại học Vinh"]:
                assert secret not in text, f"{judge.username} sees {secret!r} on {code}"
            content, form, total = marks[code]
            page.get_by_label("Nội dung (tối đa 10)").fill(content)
            page.get_by_label("Hình thức (tối đa 5)").fill(form)
            expect(page.locator("#total")).to_have_text(total)
            page.get_by_role("button", name="Nộp điểm").click()
            expect(page.locator("#save-status")).to_have_text(re.compile(r"^Đã nộp điểm lúc \d\d:\d\d\.$"))
            if position == 1 and judge == world.judges[0]:
                screenshot(page, "whole-3-judge-scoring")
            if position < 3:
                page.keyboard.press("Alt+ArrowRight")
        page.goto(f"{url}/judge/")
        expect(page.locator("#progress-label")).to_have_text("Đã nộp điểm 3/3 bài")
    assert Score.objects.filter(assignment__round=world.final, submitted=True).count() == 6

    # 4. The organizer closes the round, awards the prizes, publishes, issues the certificates.
    organizer.reload()
    expect(organizer.locator("#progress-all [data-field='count']")).to_have_text("6/6")
    organizer.get_by_role("button", name="Kết thúc vòng", exact=True).click()
    expect(organizer.locator("#round-status")).to_have_text("Đã kết thúc")
    expect(organizer.locator("#results tbody tr")).to_have_count(3)
    assert [cells[:2] for cells in row_texts(organizer, "#results tbody tr")] == [
        ["1", essay.code],
        ["2", world.others[0].code],
        ["3", world.others[1].code],
    ]
    organizer.get_by_role("link", name="← Về trang tổng quan cuộc thi").click()
    organizer.get_by_role("button", name="Trao giải theo kết quả vòng cuối").click()
    expect(organizer.locator("#award-outcome")).to_have_text("Đã trao 2 giải.")
    answer_next_confirm(organizer)
    organizer.get_by_role("button", name="Công bố ngay").click()
    expect(organizer.locator("#contest-status")).to_have_text("Đã công bố")
    organizer.get_by_role("button", name="Tạo giấy chứng nhận").click()
    expect(organizer.locator("#certificates-outcome")).to_have_text(re.compile(r"^Đã tạo xong \d+ giấy chứng nhận\.$"))
    screenshot(organizer, "whole-4-organizer-published")
    contest.refresh_from_db()
    world.final.refresh_from_db()
    assert (contest.status, world.final.status) == (ContestStatus.PUBLISHED, RoundStatus.CLOSED)

    # 5. The public (in English) reads the results and the leaderboard: names of those who agreed
    # to their publication (Châu, Việt), the entry's code for the one who did not (Dương).
    User.objects.filter(username="minhchau").update(publish_consent_at=timezone.now())
    public = person(browser, watches)
    public.goto(f"{url}/contests/{contest.pk}/results/")
    public.get_by_role("button", name="English").click()
    expect(public.locator("#results tbody tr")).to_have_count(3)
    assert [(cells[0], cells[1], cells[2], cells[-1]) for cells in row_texts(public, "#results tbody tr")] == [
        ("1", "Phạm Minh Châu", "Thư viện Đại học Vinh", "Giải Nhất"),
        ("2", "Trần Quốc Việt", "Thư viện Hà Nội", "Giải Nhì"),
        ("3", "DSVH26-HN0002", "Thư viện Hà Nội", ""),
    ]
    screenshot(public, "whole-5-public-results-en")
    public.goto(f"{url}/contests/{contest.pk}/leaderboard/")
    expect(public.locator("#board tbody tr")).to_have_count(2)
    assert [(cells[0], cells[1], cells[-1]) for cells in row_texts(public, "#board tbody tr")] == [
        ("1", "Thư viện Đại học Vinh", "10"),
        ("2", "Thư viện Hà Nội", "5"),
    ]
    assert public.locator("#chart svg rect.bar").count() == 2

    # 6. The student finds her certificate, and anyone can verify its code.
    student.goto(f"{url}/my/certificates/")
    certificate = Certificate.objects.get(contest=contest, holder__username="minhchau", kind="prize")
    card = student.locator("#certificates li").filter(has_text=certificate.award)
    code = card.locator(".code").text_content()
    assert code.replace("-", "") == certificate.code
    public.goto(f"{url}/certificates/verify/")
    public.get_by_label("Verification code").fill(code)
    public.get_by_role("button", name="Verify", exact=True).click()
    expect(public.locator("#verdict h2")).to_have_text("This certificate is genuine.")
    expect(public.locator('#verdict [data-field="holder"]')).to_have_text("Phạm Minh Châu")
    expect(public.locator('#verdict [data-field="award"]')).to_have_text(certificate.award)
    screenshot(public, "whole-6-verified-en")

    for watch in watches:
        assert watch.csp == [], "Content-Security-Policy violations"
        assert watch.errors == [], "uncaught script errors"
    for context in browser.contexts:
        context.close()
