"""The organizers' screening page in a real browser: a run from the page, a pair side by side
with its shared passages marked, a decision, and the flag sent on to a judge."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from contests.enums import ContestStatus
from core.models import AuditEntry
from screening import services
from screening.enums import PairStatus
from screening.models import Pair
from submissions.enums import EntryStatus
from tests.e2e.conftest import row_texts, screenshot
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    JudgeFactory,
    LibraryFactory,
    NetworkFactory,
    NetworkOrganizerFactory,
    RoundFactory,
    StudentFactory,
    UserFactory,
)
from tests.screening import essays

pytestmark = pytest.mark.e2e


@pytest.fixture
def contest_with_a_copy(transactional_db):
    north = NetworkFactory(name="Liên Chi hội Thư viện phía Bắc", short_name="Phía Bắc")
    vinh = LibraryFactory(name="Thư viện Đại học Vinh", network=north)
    organizer = NetworkOrganizerFactory(network=north, user__username="tochuc", user__full_name="Ban tổ chức").user
    contest = ContestFactory(
        title="Đại sứ Văn hóa đọc 2026",
        network=north,
        status=ContestStatus.CLOSED,
        submission_opens_at=timezone.now() - timedelta(days=30),
        submission_closes_at=timezone.now() - timedelta(days=1),
    )
    category = CategoryFactory(contest=contest, name="THPT & Đại học")

    def entry(name, email, body):
        student = StudentFactory(full_name=name, library=vinh, email=email)
        return EntryFactory(category=category, entrant=student, body=body, title=f"Bài của {name}")

    original = entry("Nguyễn Thị Hường", "huong@example.com", essays.ORIGINAL)
    copy = entry("Trần Quốc Việt", "viet@example.com", essays.CHANGED_INTRODUCTION)
    entry("Lê Ngọc Ánh", "anh@example.com", essays.HONEST)
    return contest, organizer, original, copy


def test_an_organizer_screens_reads_a_pair_side_by_side_and_disqualifies_the_copy(site, sign_in, contest_with_a_copy):
    contest, organizer, original, copy = contest_with_a_copy
    page = site.page
    sign_in(organizer)

    site.open(f"/organize/contests/{contest.pk}/")
    page.get_by_role("link", name="Rà soát sao chép").click()
    expect(page.locator("h1")).to_have_text("Rà soát sao chép")
    expect(page.locator("#run-state")).to_have_text("Cuộc thi chưa được rà soát.")
    page.get_by_role("button", name="Rà soát ngay").click()
    expect(page.locator("#run-state")).to_contain_text("3 bài, đối chiếu với 0 bài các năm trước, 1 cặp")
    expect(page.locator("#pairs tbody tr")).to_have_count(1)
    assert row_texts(page, "#pairs tbody tr") == [
        [
            "76%",
            f"{original.code} · Bài của Nguyễn Thị Hường",
            f"{copy.code} · Bài của Trần Quốc Việt",
            "Chờ quyết định",
            "Xem",
        ]
    ]

    page.get_by_role("button", name=f"Xem: {original.code} — {copy.code}").click()
    compare = page.locator("#compare")
    expect(compare.locator("h2")).to_have_text(f"{original.code} và {copy.code}: giống 76%")
    expect(compare.locator("#side-entry [data-field='who']")).to_have_text(
        "Nguyễn Thị Hường · Thư viện Đại học Vinh · Đại sứ Văn hóa đọc 2026"
    )
    # The shared passage is marked on both sides; the rewritten introduction is not.
    expect(compare.locator("#side-entry mark")).to_have_count(1)
    expect(compare.locator("#side-other mark")).to_have_count(1)
    shared = compare.locator("#side-other mark").text_content()
    assert shared.startswith(essays.SENTENCES[3]) and essays.NEW_INTRODUCTION[0] not in shared
    assert compare.locator("#side-other [data-field='text']").text_content() == essays.CHANGED_INTRODUCTION
    screenshot(page, "organize-screening-pair")

    page.get_by_label("Loại bài", exact=True).check()
    page.get_by_role("button", name="Ghi quyết định").click()
    expect(page.locator("#decision-reason-error")).to_have_text("Vui lòng điền trường này.")
    page.get_by_label(f"{copy.code} · Bài của Trần Quốc Việt").check()
    page.get_by_label("Lý do").fill("Chép bài của bạn cùng trường, chỉ viết lại phần mở đầu.")
    page.get_by_role("button", name="Ghi quyết định").click()

    expect(page.locator("#decided")).to_contain_text("Đã loại: Chép bài của bạn cùng trường")
    expect(page.locator("#pairs-empty")).to_be_visible()  # none left awaiting a decision
    pair = Pair.objects.get()
    copy.refresh_from_db()
    original.refresh_from_db()
    assert (pair.status, pair.decided_by, copy.status, original.status) == (
        PairStatus.DISQUALIFIED,
        organizer,
        EntryStatus.DISQUALIFIED,
        EntryStatus.SUBMITTED,
    )
    assert AuditEntry.objects.filter(action="screening.pair_decided", target_id=pair.pk).count() == 1
    assert [message.to for message in mail.outbox] == [["viet@example.com"]]


def test_the_page_in_english_on_a_phone_sends_a_note_to_the_judges(site, sign_in, contest_with_a_copy):
    contest, organizer, original, copy = contest_with_a_copy
    page = site.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.add_init_script("window.localStorage.setItem('lang', 'en')")
    sign_in(organizer)

    site.open(f"/organize/contests/{contest.pk}/screening/")
    page.get_by_role("button", name="Screen now").click()
    expect(page.locator("#pairs tbody tr")).to_have_count(1)
    page.get_by_role("button", name=f"Open: {original.code} — {copy.code}").click()
    expect(page.locator("#compare h2")).to_have_text(f"{original.code} and {copy.code}: 76% alike")
    page.get_by_label("Note for the judges").fill("Much of this essay matches another entry: judge its originality.")
    page.get_by_role("button", name="Send to the judges").click()

    expect(page.locator("#forward-outcome")).to_have_text("Sent to the judges.")
    assert Pair.objects.get().judges_note == "Much of this essay matches another entry: judge its originality."
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "organize-screening-phone")


def test_a_judge_reads_the_note_sent_on_and_nothing_before(site, sign_in, contest_with_a_copy):
    contest, organizer, original, copy = contest_with_a_copy
    judging_round = RoundFactory(contest=contest, order=1, judges_per_entry=1)
    CriterionFactory(round=judging_round)
    judge = JudgeFactory(round=judging_round, user=UserFactory(username="giamkhao", full_name="Vũ Hoàng Long")).user
    assignment = AssignmentFactory(round=judging_round, entry=copy, judge=judge)
    pair = Pair.objects.create(contest=contest, entry=original, other=copy, similarity="0.7595")
    page = site.page
    sign_in(judge)

    site.open(f"/judge/assignments/{assignment.pk}/")
    expect(page.locator("#entry-body")).to_contain_text("Có những cuốn sách")
    expect(page.locator("#entry-notes")).to_be_hidden()
    services.pair_forward(actor=organizer, pair=pair, note="Xin chấm kỹ tính độc đáo của bài.")
    page.reload()

    expect(page.locator("#entry-notes li")).to_have_text(
        "Ban tổ chức phát hiện bài này có những đoạn trùng với một bài dự thi khác (giống 76%): "
        "Xin chấm kỹ tính độc đáo của bài."
    )
    assert original.code not in page.locator("main").text_content()
