"""The judges' pages in a real browser: the queue with its progress and filters, and the blind
scoring page (entry, PDF inline, marks with a live total, drafts saved on their own, submitting,
moving between entries from the keyboard, a closed round read-only)."""

import io
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from reportlab.pdfgen import canvas

from contests.enums import ContestStatus
from judging import closing, services
from judging.models import Assignment, Recusal, Score
from tests.e2e.conftest import screenshot
from tests.factories import (
    CategoryFactory,
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    LibraryFactory,
    NetworkFactory,
    NetworkOrganizerFactory,
    RoundFactory,
    StudentFactory,
    UserFactory,
)
from tests.files import attach

pytestmark = pytest.mark.e2e

ENTRANT = {"full_name": "Hoàng Thị Bích Ngọc", "username": "bichngoc.zeta", "email": "ngoc.hoangbich@zeta.edu.vn"}
LIBRARY = {"name": "Thư viện Trường THPT Chuyên Zeta", "short_name": "THPTZETA"}
AUTHOR = "Antoine de Saint-Exupéry"
BODY = "Cuốn sách dạy tôi biết lắng nghe.\nTôi đã đọc nó ba lần trong mùa hè."


def a_pdf(text: str) -> bytes:
    """A real one-page PDF, so that the browser's viewer shows it (and the screenshot with it)."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(595, 842))
    page.setFont("Helvetica", 20)
    page.drawString(72, 760, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


@dataclass
class JudgingWorld:
    judge: object
    organizer: object
    round: object
    criteria: list
    assignments: list  # in the queue's order (entry code)
    entrants: list
    libraries: list


@pytest.fixture
def judging_world(transactional_db, settings, tmp_path) -> JudgingWorld:
    """A contest closed for entries, one round (Nội dung x2 out of 10, Hình thức x1 out of 5),
    three entries of two libraries in two categories, one judge who gets them all."""
    settings.MEDIA_ROOT = tmp_path / "media"
    network = NetworkFactory(name="Liên Chi hội Thư viện phía Bắc")
    zeta = LibraryFactory(network=network, **LIBRARY)
    vinh = LibraryFactory(network=network, name="Thư viện Đại học Vinh", short_name="ĐH Vinh")
    organizer = NetworkOrganizerFactory(network=network).user
    contest = ContestFactory(
        title="Đại sứ Văn hóa đọc 2026",
        network=network,
        status=ContestStatus.CLOSED,
        submission_opens_at=timezone.now() - timedelta(days=30),
        submission_closes_at=timezone.now() - timedelta(days=1),
    )
    thcs = CategoryFactory(contest=contest, name="THCS")
    thpt = CategoryFactory(contest=contest, name="THPT")
    judging_round = RoundFactory(contest=contest, name="Vòng sơ khảo", order=1, judges_per_entry=1)
    criteria = [
        CriterionFactory(round=judging_round, name="Nội dung", weight=Decimal(2), max_score=Decimal(10)),
        CriterionFactory(round=judging_round, name="Hình thức", weight=Decimal(1), max_score=Decimal(5)),
    ]
    entrants = [
        StudentFactory(library=zeta, **ENTRANT),
        StudentFactory(library=vinh, full_name="Trần Quốc Việt", username="quocviet.vinh", email="viet@vinh.edu.vn"),
        StudentFactory(library=vinh, full_name="Lê Ngọc Ánh", username="ngocanh.vinh", email="anh@vinh.edu.vn"),
    ]
    first = EntryFactory(
        category=thcs,
        entrant=entrants[0],
        code="DSVH26-000001",
        title="Thư gửi người bạn chưa thích đọc sách",
        book_title="Hoàng tử bé",
        book_author="Antoine de Saint-Exupéry",
        body=BODY,
        video_url="https://video.example.org/bai-du-thi",
    )
    attach(first, a_pdf("DSVH26-000001: attachment, page 1"), name="Bich Ngoc - bai du thi.pdf")
    EntryFactory(category=thcs, entrant=entrants[1], code="DSVH26-000002", book_title="Tắt đèn")
    EntryFactory(category=thpt, entrant=entrants[2], code="DSVH26-000003", book_title="Số đỏ")
    judge = UserFactory(full_name="Phạm Văn Giám", username="giamkhao1", email="giamkhao1@example.org")
    services.judge_add(actor=organizer, judging_round=judging_round, user=judge)
    services.round_assign(actor=organizer, judging_round=judging_round)
    return JudgingWorld(
        judge=judge,
        organizer=organizer,
        round=judging_round,
        criteria=criteria,
        assignments=list(Assignment.objects.filter(judge=judge).order_by("entry__code")),
        entrants=entrants,
        libraries=[zeta, vinh],
    )


def revealed(page, world: JudgingWorld) -> list[str]:
    """What the page (its HTML and its visible text) gives away about who wrote the entries."""
    html = page.content()
    text = page.locator("body").inner_text()
    revealing = ["Bich Ngoc"]  # the attachment's own file name
    for entrant in world.entrants:
        revealing += [entrant.full_name, entrant.username, entrant.email]
    for library in world.libraries:
        revealing += [library.name, library.short_name]
    return [word for word in revealing if word in html or word in text]


def queue_rows(page) -> list[list[str]]:
    return page.locator(".judge-group tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.children].map(cell => cell.textContent.trim()))"
    )


def test_the_queue_shows_progress_and_filters_by_category(site, sign_in, judging_world):
    sign_in(judging_world.judge)

    page = site.open("/judge/")

    expect(page.locator("h1")).to_have_text("Bài cần chấm")
    expect(page.get_by_label("Đã nộp điểm 0/3 bài")).to_have_attribute("max", "3")
    assert page.locator("#progress").evaluate("bar => bar.value") == 0
    expect(page.locator(".judge-group h2")).to_contain_text(["Vòng sơ khảo"])
    assert queue_rows(page) == [
        ["DSVH26-000001", "THCS", f"Hoàng tử bé — {AUTHOR}", "Thư gửi người bạn chưa thích đọc sách", "Chưa chấm"],
        ["DSVH26-000002", "THCS", "Tắt đèn — Tô Hoài", "Cuốn sách thay đổi cuộc đời tôi", "Chưa chấm"],
        ["DSVH26-000003", "THPT", "Số đỏ — Tô Hoài", "Cuốn sách thay đổi cuộc đời tôi", "Chưa chấm"],
    ]
    expect(page.get_by_role("link", name="DSVH26-000002")).to_have_attribute(
        "href", f"/judge/assignments/{judging_world.assignments[1].pk}/"
    )
    assert revealed(page, judging_world) == []
    screenshot(page, "judge-queue-vi")

    page.get_by_label("Bảng thi").select_option(label="THPT")

    expect(page.locator(".judge-group tbody tr")).to_have_count(1)
    assert [row[0] for row in queue_rows(page)] == ["DSVH26-000003"]
    expect(page.locator("#progress-label")).to_have_text("Đã nộp điểm 0/1 bài")
    assert "category=" in page.url
    page.reload()
    expect(page.get_by_label("Bảng thi")).to_have_value(str(judging_world.assignments[2].entry.category_id))
    expect(page.locator(".judge-group tbody tr")).to_have_count(1)

    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Entries to judge")
    expect(page.get_by_label("Scores submitted: 0 of 1")).to_be_visible()
    page.get_by_label("Category").select_option("")
    page.get_by_label("Status").select_option(label="Not started")
    expect(page.locator(".judge-group tbody tr")).to_have_count(3)
    assert [row[4] for row in queue_rows(page)] == ["Not started"] * 3


def test_the_entry_page_is_blind_and_shows_the_entry_the_book_the_pdf_and_the_video(site, sign_in, judging_world):
    sign_in(judging_world.judge)
    first = judging_world.assignments[0]
    attachment_url = f"/api/assignments/{first.pk}/attachment/"
    pdf_responses = []
    site.page.on("response", lambda r: pdf_responses.append(r) if r.url.endswith(attachment_url) else None)

    page = site.open(f"/judge/assignments/{first.pk}/")

    expect(page.locator("h1")).to_have_text("Bài DSVH26-000001")
    expect(page.locator("#entry-title")).to_have_text("Thư gửi người bạn chưa thích đọc sách")
    expect(page.locator(".judge-book")).to_contain_text("Hoàng tử bé")
    expect(page.locator(".judge-book")).to_contain_text("Antoine de Saint-Exupéry")
    expect(page.locator("#entry-body")).to_have_text(BODY)
    frame = page.locator("iframe#attachment-frame")
    expect(frame).to_be_visible()
    expect(frame).to_have_attribute("src", f"/api/assignments/{first.pk}/attachment/")
    video = page.get_by_role("link", name="Xem video của bài dự thi (mở thẻ mới)")
    expect(video).to_have_attribute("href", "https://video.example.org/bai-du-thi")
    expect(video).to_have_attribute("target", "_blank")
    expect(video).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    expect(page.locator("#position")).to_have_text("Bài 1/3 của vòng")
    page.wait_for_load_state("networkidle")
    assert pdf_responses, "the PDF was fetched by the iframe"
    headers = pdf_responses[0].all_headers()  # (Chromium's PDF viewer then reads it again, from its cache)
    assert (pdf_responses[0].status, pdf_responses[0].request.resource_type) == (200, "document")
    assert headers["content-type"] == "application/pdf"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["content-disposition"] == 'inline; filename="DSVH26-000001.pdf"'
    assert headers["content-security-policy"] == "default-src 'none'; sandbox; frame-ancestors 'self'"
    # Sandboxed, the PDF still opens in Chromium's own viewer, inside the judge's page.
    viewer = [f for f in page.frames if f.url.startswith("chrome-extension://") and f.parent_frame is not None]
    assert viewer and viewer[0].parent_frame.url.endswith(attachment_url)

    assert revealed(page, judging_world) == []
    screenshot(page, "judge-assignment-vi")


def test_marks_are_checked_by_the_server_totalled_live_saved_as_a_draft_and_submitted(site, sign_in, judging_world):
    sign_in(judging_world.judge)
    first = judging_world.assignments[0]
    content, form = judging_world.criteria
    page = site.open(f"/judge/assignments/{first.pk}/")
    content_input = page.get_by_label("Nội dung (tối đa 10)")
    form_input = page.get_by_label("Hình thức (tối đa 5)")
    expect(content_input).to_have_attribute("inputmode", "decimal")

    content_input.fill("11")

    error = page.locator(f'[data-error-for="mark-{content.pk}"]')
    expect(error).to_have_text("Điểm tiêu chí “Nội dung” phải từ 0 đến 10.")
    expect(content_input).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#save-status")).to_have_text("Chưa lưu được: xem lỗi bên trên.")
    assert not Score.objects.filter(assignment=first).exists()
    content_input.fill("7.1")  # the message names no criterion: the server says which by its id
    expect(error).to_have_text("Điểm chấm theo bước 0,25 (7; 7,25; 7,5; 7,75).")

    content_input.fill("7,5")  # a decimal comma, as Vietnamese writes it
    form_input.fill("4.25")  # or a point

    expect(page.locator("#total")).to_have_text("19,25")  # 2 x 7.5 + 1 x 4.25
    expect(page.locator("#scale")).to_have_text("25")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Đã lưu bản nháp lúc \d\d:\d\d\.$"))
    expect(error).to_be_hidden()
    score = Score.objects.get(assignment=first)
    assert (score.marks, score.total, score.submitted) == (
        {str(content.pk): "7.5", str(form.pk): "4.25"},
        Decimal("19.25"),
        False,
    )

    page.reload()
    expect(content_input).to_have_value("7,5")  # shown as the page's language writes numbers
    expect(form_input).to_have_value("4,25")
    expect(page.locator("#total")).to_have_text("19,25")
    page.get_by_label("Nhận xét").fill("Bài viết chân thành.")
    page.get_by_role("button", name="Nộp điểm").click()

    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Đã nộp điểm lúc \d\d:\d\d\.$"))
    score.refresh_from_db()
    assert (score.marks, score.total, score.comment, score.submitted) == (
        {str(content.pk): "7.5", str(form.pk): "4.25"},
        Decimal("19.25"),
        "Bài viết chân thành.",
        True,
    )
    page.get_by_role("link", name="← Về danh sách bài cần chấm").click()
    expect(page.locator("#progress-label")).to_have_text("Đã nộp điểm 1/3 bài")
    assert page.locator("#progress").evaluate("bar => bar.value") == 1
    assert queue_rows(page)[0][4] == "Đã nộp"


def test_a_mark_over_the_maximum_is_refused_in_english_too(site, sign_in, judging_world):
    sign_in(judging_world.judge)
    first = judging_world.assignments[0]
    page = site.open(f"/judge/assignments/{first.pk}/")
    page.get_by_role("button", name="English").click()
    page.get_by_role("button", name="Submit marks").click()  # about both criteria: with the marks
    expect(page.locator('[data-error-for="marks"]')).to_have_text(
        "Give a mark for every criterion before submitting; missing: Nội dung, Hình thức."
    )

    page.get_by_label("Hình thức (out of 5)").fill("5.5")

    form = judging_world.criteria[1]
    expect(page.locator(f'[data-error-for="mark-{form.pk}"]')).to_have_text(
        "The mark for “Hình thức” must be between 0 and 5."
    )
    expect(page.locator("#save-status")).to_have_text("Not saved: see the error above.")

    page.get_by_label("Hình thức (out of 5)").fill("five")  # refused by the API's own number check
    expect(page.locator(f'[data-error-for="mark-{form.pk}"]')).to_have_text("A valid number is required.")
    page.get_by_label("Hình thức (out of 5)").fill("5")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Draft saved at "))
    page.get_by_role("button", name="Submit marks").click()

    content = judging_world.criteria[0]  # the one mark missing: its message is next to its input
    expect(page.locator(f'[data-error-for="mark-{content.pk}"]')).to_have_text(
        "Give a mark for every criterion before submitting; missing: Nội dung."
    )
    expect(page.get_by_label("Nội dung (out of 10)")).to_be_focused()
    assert not Score.objects.filter(assignment=first, submitted=True).exists()


def test_the_keyboard_moves_to_the_next_and_previous_entry(site, sign_in, judging_world):
    sign_in(judging_world.judge)
    first, second, _third = judging_world.assignments
    page = site.open(f"/judge/assignments/{first.pk}/")
    expect(page.locator("#next")).to_be_visible()
    expect(page.locator(".judge-shortcuts")).to_contain_text("Alt+→")

    page.keyboard.press("Alt+ArrowRight")

    expect(page).to_have_url(re.compile(rf"/judge/assignments/{second.pk}/$"))
    expect(page.locator("h1")).to_have_text("Bài DSVH26-000002")
    expect(page.locator("#position")).to_have_text("Bài 2/3 của vòng")
    page.get_by_label("Nội dung (tối đa 10)").fill("6")
    page.keyboard.press("Alt+ArrowLeft")  # from inside a mark: the draft is saved first

    expect(page).to_have_url(re.compile(rf"/judge/assignments/{first.pk}/$"))
    assert Score.objects.get(assignment=second).marks == {str(judging_world.criteria[0].pk): "6"}
    expect(page.locator("#next")).to_be_visible()
    page.keyboard.press("n")
    expect(page).to_have_url(re.compile(rf"/judge/assignments/{second.pk}/$"))
    expect(page.get_by_label("Nội dung (tối đa 10)")).to_have_value("6")


def test_once_the_round_is_closed_the_marks_are_read_only(site, sign_in, judging_world):
    sign_in(judging_world.judge)
    first = judging_world.assignments[0]
    content, form = judging_world.criteria
    services.score_record(
        judge=judging_world.judge, assignment=first, marks={str(content.pk): 8, str(form.pk): 3}, submit=True
    )
    page = site.open(f"/judge/assignments/{first.pk}/")
    expect(page.get_by_label("Nội dung (tối đa 10)")).to_be_enabled()

    closing.round_close(actor=judging_world.organizer, judging_round=judging_world.round, force=True)
    page.reload()

    expect(page.locator("#closed-note")).to_have_text("Vòng chấm này đã kết thúc: điểm chỉ còn để xem, không thể sửa.")
    expect(page.get_by_label("Nội dung (tối đa 10)")).to_be_disabled()
    expect(page.get_by_label("Nội dung (tối đa 10)")).to_have_value("8")
    expect(page.get_by_label("Hình thức (tối đa 5)")).to_be_disabled()
    expect(page.get_by_label("Nhận xét")).to_be_disabled()
    expect(page.get_by_role("button", name=re.compile("Nộp"))).to_be_hidden()
    expect(page.locator("#total")).to_have_text("19")


def test_a_save_refused_because_the_round_closed_meanwhile_shows_the_servers_message(site, sign_in, judging_world):
    sign_in(judging_world.judge)
    first = judging_world.assignments[0]
    page = site.open(f"/judge/assignments/{first.pk}/")
    expect(page.get_by_label("Nội dung (tối đa 10)")).to_be_enabled()
    services.score_record(
        judge=judging_world.judge,
        assignment=judging_world.assignments[1],
        marks={str(c.pk): 1 for c in judging_world.criteria},
        submit=True,
    )
    closing.round_close(actor=judging_world.organizer, judging_round=judging_world.round, force=True)

    page.get_by_label("Nội dung (tối đa 10)").fill("9")

    expect(page.locator('#score-form [data-error-for="__all__"]')).to_have_text(
        "Vòng thi đã khép lại; không thể sửa điểm nữa."
    )
    expect(page.locator("#closed-note")).to_have_text("Vòng chấm này đã kết thúc: điểm chỉ còn để xem, không thể sửa.")
    expect(page.get_by_label("Nội dung (tối đa 10)")).to_be_disabled()


@pytest.mark.parametrize("path", ["/judge/", "assignment"])
def test_the_judges_pages_fit_a_phone_screen(site, sign_in, judging_world, path):
    sign_in(judging_world.judge)
    site.page.set_viewport_size({"width": 390, "height": 844})
    # A round's name as long as real ones: the round filter must still fit the screen.
    judging_world.round.name = "Vòng sơ khảo cấp trường, bảng Trung học phổ thông"
    judging_world.round.save(update_fields=["name"])
    if path == "assignment":
        path = f"/judge/assignments/{judging_world.assignments[0].pk}/"

    page = site.open(path)

    expect(page.locator("h1")).not_to_be_empty()
    expect(page.locator("#page-error")).to_be_hidden()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    name = "judge-queue-phone" if path == "/judge/" else "judge-assignment-phone"
    screenshot(page, name)


def test_a_judge_steps_back_from_an_entry_with_a_reason(site, sign_in, judging_world):
    sign_in(judging_world.judge)
    first, second, _third = judging_world.assignments
    page = site.open(f"/judge/assignments/{first.pk}/")
    page.get_by_text("Xin không chấm bài này").click()

    page.get_by_role("button", name="Xin rút khỏi bài này").click()

    expect(page.locator("#reason-error")).to_have_text("Vui lòng điền trường này.")
    page.get_by_label("Lý do").fill("Tôi quen tác giả.")
    page.get_by_role("button", name="Xin rút khỏi bài này").click()
    expect(page).to_have_url(re.compile(rf"/judge/assignments/{second.pk}/$"))
    recusal = Recusal.objects.get(judge=judging_world.judge)
    assert (recusal.entry_id, recusal.reason) == (first.entry_id, "Tôi quen tác giả.")
    assert not Assignment.objects.filter(pk=first.pk).exists()
