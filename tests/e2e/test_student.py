"""The student's pages in a real browser: registering through a library, sending entries (a live
word count that counts as the server does, an upload with a progress bar), editing and withdrawing
until the deadline, the server refusing a late entry, and the student's certificates."""

import io
import random
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from contests.models import Contest
from people.models import User
from submissions.content import words_count
from submissions.models import Entry
from tests.e2e.conftest import Watch, row_texts, screenshot
from tests.factories import PASSWORD, CategoryFactory, ContestFactory, EntryFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.e2e

CODE = re.compile(r"^DSVH26-[2-9A-HJKMNP-Z]{6}$")


def small_pdf() -> bytes:
    """A real one-page PDF of about 200 KB (noise does not compress), made by Pillow."""
    noise = random.Random(7).randbytes(300 * 240 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (300, 240), noise).save(buffer, "PDF")
    return buffer.getvalue()


def slow_uploads(page, *, bytes_per_second: int) -> None:
    """Chromium's network throttling (DevTools protocol), so that an upload takes a while."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": bytes_per_second},
    )


@pytest.fixture
def student(world):
    return StudentFactory(username="hocsinh", full_name="Lê Ngọc Ánh", library=world.libraries[0])


def thcs(world):
    return world.open_contest.categories.get(name="THCS")


def thpt(world):
    return world.open_contest.categories.get(name="THPT & Đại học")


def fill_book(page, title="Hành trình cùng Dế Mèn"):
    page.get_by_label("Tên bài dự thi").fill(title)
    page.get_by_label("Tên sách").fill("Dế Mèn phiêu lưu ký")
    page.get_by_label("Tác giả").fill("Tô Hoài")


def test_a_student_registers_by_searching_a_library_and_lands_signed_in_on_my_entries(site, world):
    UserFactory(username="dadung")
    page = site.open("/register/")
    expect(page.locator("h1")).to_have_text("Đăng ký tài khoản thí sinh")
    expect(page.locator("#library-list .library-option")).to_have_count(3)

    page.get_by_label("Họ và tên").fill("Phạm Minh Châu")
    page.get_by_label("Thư điện tử").fill("chau@example.com")
    page.get_by_label("Tên đăng nhập").fill("dadung")
    page.get_by_label("Mật khẩu").fill("123")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.locator("#library-error")).to_have_text("Vui lòng chọn thư viện của bạn.")

    search = page.get_by_label("Tìm thư viện (tên, tên viết tắt, mạng lưới)")
    search.fill("vinh")
    options = page.locator("#library-list .library-option")
    expect(options).to_have_count(1)
    expect(options).to_have_text(["Thư viện Đại học Vinh (ĐH Vinh)Liên Chi hội Thư viện phía Bắc"])
    expect(page.locator("#library-status")).to_have_text("1 thư viện phù hợp")
    search.focus()
    page.keyboard.press("Tab")  # into the list: the keyboard alone picks the library
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name=re.compile("Thư viện Đại học Vinh"))).to_be_checked()
    expect(page.locator("#library-chosen")).to_have_text("Đã chọn: Thư viện Đại học Vinh")
    search.fill("phía nam")  # a network's name finds its libraries; the choice stays on the list
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("Thư viện Đại học Vinh")
    expect(options.nth(1)).to_contain_text("Thư viện Đại học Cần Thơ")
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    expect(page.locator("#password-error")).to_have_text(
        "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 8 ký tự. Mật khẩu này quá phổ biến."
        " Mật khẩu này hoàn toàn là số."
    )
    expect(page.locator("#library-error")).to_be_hidden()
    expect(page.get_by_label("Mật khẩu")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Mật khẩu")).to_be_focused()
    screenshot(page, "register-errors")
    page.get_by_label("Mật khẩu").fill("Doc-sach-moi-ngay")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.locator("#username-error")).to_have_text("Tên đăng nhập này đã được sử dụng.")
    expect(page.locator("#password-error")).to_be_hidden()
    page.get_by_label("Tên đăng nhập").fill("minhchau")
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    expect(page).to_have_url(site.url + "/my/entries/")
    expect(page.locator("#whoami")).to_have_text("Phạm Minh Châu")
    expect(page.get_by_role("link", name="Bài dự thi của tôi")).to_be_visible()
    user = User.objects.get(username="minhchau")
    assert (user.full_name, user.email, user.library) == ("Phạm Minh Châu", "chau@example.com", world.libraries[0])
    assert user.check_password("Doc-sach-moi-ngay")


def test_the_register_page_in_vietnamese(site, world):
    page = site.open("/register/")
    expect(page.locator("#library-list .library-option")).to_have_count(3)
    screenshot(page, "register")


def test_the_word_counter_counts_as_the_server_does(site, world, student, sign_in):
    sign_in(student)
    page = site.open("/my/entries/")
    texts = [
        "Văn hóa đọc",
        "Đọc   sách\n\nmỗi ngày!",
        "Hồ Chí Minh's well-known book — 2026, 1.000 trang",
        "Tự sự: “Tôi” & ‘bạn’ … ❤️ 🙂 __ a_b",
        "co\u0301 (dấu tổ hợp) và có",  # decomposed: NFC joins it into one letter
        "ăn-ở ‘x’ x'y x--y -x- 3-4 e=mc²",
        "",
        "日本語 한국어 ١٢٣ naïve café",
    ]

    counted = page.evaluate(
        "async (texts) => {"
        " const { wordsCount } = await import('/static/frontend/student.js');"
        " return texts.map((text) => wordsCount(text)); }",
        texts,
    )

    assert counted == [words_count(text) for text in texts]
    assert counted[:3] == [3, 4, 9]


def test_a_student_sends_a_text_entry_then_a_file_entry_and_sees_both_with_their_codes(site, world, student, sign_in):
    sign_in(student)
    page = site.open(f"/my/entries/?contest={world.open_contest.pk}")
    expect(page.get_by_label("Cuộc thi")).to_have_value(str(world.open_contest.pk))
    expect(page.locator("#contest-deadline")).to_contain_text("Hạn nộp bài:")
    expect(page.locator("#list-empty")).to_have_text("Bạn chưa gửi bài nào.")
    page.get_by_label("Bảng thi", exact=True).select_option(label="THCS")
    expect(page.locator("#rules-list li")).to_have_text(
        ["Hình thức: bài viết", "Bài viết: tối đa 2.000 chữ", "Mỗi thí sinh được gửi tối đa 1 bài ở bảng này"]
    )
    expect(page.get_by_label("Tệp đính kèm")).to_be_hidden()  # THCS takes text only

    fill_book(page)
    body = page.get_by_label("Bài viết")
    body.fill("Văn hóa đọc là chìa khóa của tri thức.")
    expect(page.locator("#word-count")).to_have_text("9 / 2.000 chữ")
    body.fill("chữ " * 2001)
    expect(page.locator("#word-count")).to_have_text("2.001 / 2.000 chữ — vượt quá 1 chữ")
    page.get_by_role("button", name="Gửi bài").click()
    expect(page.locator("#body-error")).to_have_text("Bài viết có 2001 chữ; bảng thi này cho phép tối đa 2000 chữ.")
    expect(body).to_have_attribute("aria-invalid", "true")
    assert Entry.objects.count() == len(world.entries)  # the published contest's, nothing new

    essay = "Dế Mèn dạy tôi rằng tính kiêu căng phải trả giá.\nTôi đọc lại cuốn sách này mỗi mùa hè."
    body.fill(essay)
    expect(page.locator("#word-count")).to_have_text(f"{words_count(essay)} / 2.000 chữ")
    page.get_by_role("button", name="Gửi bài").click()
    notice = page.locator("#notice")
    expect(notice).to_have_text(re.compile(r"^Đã gửi bài\. Mã bài dự thi của bạn: DSVH26-\w{6}$"))
    text_entry = Entry.objects.get(entrant=student, category=thcs(world))
    expect(notice).to_have_text(f"Đã gửi bài. Mã bài dự thi của bạn: {text_entry.code}")
    expect(page.get_by_label("Tên bài dự thi")).to_have_value("")  # ready for the next one

    page.get_by_label("Bảng thi", exact=True).select_option(label="THPT & Đại học")
    expect(page.locator("#rules-list li")).to_have_text(
        [
            "Hình thức: tệp, bài viết, video",
            "Bài viết: tối đa 5.000 chữ",
            "Tệp: DOCX, JPEG, PDF, PNG, tối đa 20 MB",
            "Video: đường dẫn https:// tới Facebook, Google Drive, TikTok, YouTube",
            "Mỗi thí sinh được gửi tối đa 1 bài ở bảng này",
        ]
    )
    fill_book(page, title="Bản đọc sách có tranh minh họa")
    pdf = small_pdf()
    page.get_by_label("Tệp đính kèm").set_input_files(
        files=[{"name": "bai-du-thi.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.locator("#progress").evaluate(
        "bar => { window.seen = []; new MutationObserver(() => window.seen.push(bar.value))"
        ".observe(bar, { attributes: true, attributeFilter: ['value'] }); }"
    )
    slow_uploads(page, bytes_per_second=len(pdf) // 2)  # about two seconds
    page.get_by_role("button", name="Gửi bài").click()

    expect(page.locator("#progress-box")).to_be_visible()
    expect(page.locator("#progress-text")).to_have_text("100%", timeout=15_000)
    expect(page.locator("#progress")).to_have_attribute("value", "100")
    seen = page.evaluate("window.seen")
    assert seen == sorted(seen) and seen[-1] == 100
    assert any(0 < value < 100 for value in seen), seen  # it moved while the bytes went
    expect(notice).to_have_text(re.compile(r"^Đã gửi bài\. Mã bài dự thi của bạn: DSVH26-\w{6}$"))
    file_entry = Entry.objects.get(entrant=student, category=thpt(world))
    rows = page.locator("#entries tbody tr")
    expect(rows).to_have_count(2)
    assert [cells[:5] for cells in row_texts(page, "#entries tbody tr")] == [
        [
            file_entry.code,
            "Đại sứ Văn hóa đọc 2026",
            "THPT & Đại học",
            "Bản đọc sách có tranh minh họaDế Mèn phiêu lưu ký — Tô HoàiTệp: bai-du-thi.pdf",
            "Đã nộp",
        ],
        [
            text_entry.code,
            "Đại sứ Văn hóa đọc 2026",
            "THCS",
            "Hành trình cùng Dế MènDế Mèn phiêu lưu ký — Tô Hoài",
            "Đã nộp",
        ],
    ]
    assert CODE.match(text_entry.code) and CODE.match(file_entry.code)
    assert Entry.objects.filter(entrant=student).count() == 2
    assert (text_entry.title, text_entry.book_title, text_entry.book_author, text_entry.body) == (
        "Hành trình cùng Dế Mèn",
        "Dế Mèn phiêu lưu ký",
        "Tô Hoài",
        essay,
    )
    assert text_entry.word_count == words_count(essay) and text_entry.status == "submitted"
    assert (file_entry.title, file_entry.body, file_entry.attachment_name, file_entry.attachment_type) == (
        "Bản đọc sách có tranh minh họa",
        "",
        "bai-du-thi.pdf",
        "pdf",
    )
    assert file_entry.attachment_size == len(pdf)
    with file_entry.attachment.open("rb") as stored:
        assert stored.read() == pdf
    screenshot(page, "student-entries")


def test_a_student_edits_then_withdraws_an_entry_before_the_deadline(site, world, student, sign_in):
    entry = EntryFactory(category=thcs(world), entrant=student, code="DSVH26-ABCDEF", title="Bản nháp")
    sign_in(student)
    page = site.open("/my/entries/")

    page.get_by_role("button", name="Sửa bài DSVH26-ABCDEF").click()
    expect(page.locator("#submit-heading")).to_have_text("Sửa bài DSVH26-ABCDEF")
    title = page.get_by_label("Tên bài dự thi")
    expect(title).to_be_focused()
    expect(title).to_have_value("Bản nháp")
    expect(page.get_by_label("Bảng thi", exact=True)).to_be_disabled()
    expect(page.locator("#word-count")).to_have_text("8 / 2.000 chữ")  # the factory's body
    title.fill("Bản chính thức")
    page.get_by_label("Bài viết").fill("Một hai ba bốn năm.")
    page.get_by_role("button", name="Lưu thay đổi").click()

    expect(page.locator("#notice")).to_have_text("Đã lưu bài DSVH26-ABCDEF.")
    expect(page.locator("#entries tbody tr td").nth(2)).to_contain_text("Bản chính thức")
    entry.refresh_from_db()
    assert (entry.title, entry.body, entry.word_count) == ("Bản chính thức", "Một hai ba bốn năm.", 5)

    page.get_by_role("button", name="Rút bài DSVH26-ABCDEF").click()
    dialog = page.get_by_role("dialog", name="Rút bài dự thi?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Không rút").click()
    expect(dialog).to_be_hidden()
    entry.refresh_from_db()
    assert entry.status == "submitted"
    page.get_by_role("button", name="Rút bài DSVH26-ABCDEF").click()
    dialog.get_by_role("button", name="Rút bài").click()

    expect(page.locator("#notice")).to_have_text("Đã rút bài DSVH26-ABCDEF.")
    expect(page.locator("#entries tbody tr .status")).to_have_text("Đã rút")
    expect(page.get_by_role("button", name="Sửa bài DSVH26-ABCDEF")).to_have_count(0)
    entry.refresh_from_db()
    assert entry.status == "withdrawn"


def test_a_late_entry_is_refused_by_the_server_and_nothing_is_created(site, world, student, sign_in):
    sign_in(student)
    page = site.open(f"/my/entries/?contest={world.open_contest.pk}")
    page.get_by_label("Bảng thi", exact=True).select_option(label="THCS")
    fill_book(page)
    page.get_by_label("Bài viết").fill("Bài viết gửi lúc nửa đêm.")
    # The deadline passes while the student is still typing.
    Contest.objects.filter(pk=world.open_contest.pk).update(submission_closes_at=timezone.now() - timedelta(minutes=1))

    page.get_by_role("button", name="Gửi bài").click()

    refusal = page.locator('#entry-form [data-error-for="__all__"]')
    expect(refusal).to_have_text("Cuộc thi hiện không nhận bài.")
    expect(refusal).to_be_focused()  # in view and read out, not only at the top of a long form
    expect(page.locator("#contest-deadline")).to_contain_text("Cuộc thi này đã hết hạn nộp bài")
    assert not Entry.objects.filter(entrant=student).exists()
    screenshot(page, "student-entries-late")


def test_a_closed_contest_chosen_by_its_link_is_refused_by_the_server(site, world, student, sign_in):
    closed = ContestFactory(title="Cuộc thi đã đóng", network=world.networks[0], status="judging")
    CategoryFactory(contest=closed, name="Bảng chung", formats=["text"])
    sign_in(student)
    page = site.open(f"/my/entries/?contest={closed.pk}")

    expect(page.get_by_label("Cuộc thi")).to_have_value(str(closed.pk))
    expect(page.locator("#contest-deadline")).to_have_text("Cuộc thi này không còn nhận bài.")
    expect(page.get_by_label("Bảng thi", exact=True)).to_have_value(str(closed.categories.get().pk))  # its only one
    fill_book(page)
    page.get_by_label("Bài viết").fill("Gửi muộn.")
    page.get_by_role("button", name="Gửi bài").click()

    expect(page.locator('#entry-form [data-error-for="__all__"]')).to_have_text("Cuộc thi hiện không nhận bài.")
    assert not Entry.objects.filter(entrant=student).exists()


def test_after_the_deadline_entries_are_locked_and_a_refusal_from_the_server_is_shown(site, world, student, sign_in):
    past = ContestFactory(
        title="Cuộc thi tháng trước",
        network=world.networks[0],
        submission_opens_at=timezone.now() - timedelta(days=40),
        submission_closes_at=timezone.now() - timedelta(days=10),
    )
    EntryFactory(category=CategoryFactory(contest=past, name="Bảng A"), entrant=student, code="DSVH26-LOCKED")
    current = EntryFactory(category=thcs(world), entrant=student, code="DSVH26-OPENED")
    sign_in(student)
    page = site.open("/my/entries/")

    locked = page.locator("#entries tbody tr", has_text="DSVH26-LOCKED")
    expect(locked.locator(".actions")).to_have_text("Đã hết hạn nộp bài: không thể sửa hay rút bài.")
    expect(locked.get_by_role("button")).to_have_count(0)
    # The page was opened before the deadline; the server refuses the withdrawal all the same.
    Contest.objects.filter(pk=world.open_contest.pk).update(submission_closes_at=timezone.now() - timedelta(minutes=1))
    page.get_by_role("button", name="Rút bài DSVH26-OPENED").click()
    page.get_by_role("dialog").get_by_role("button", name="Rút bài").click()

    opened = page.locator("#entries tbody tr", has_text="DSVH26-OPENED")
    expect(opened.locator('[data-field="row-error"]')).to_have_text("Đã hết hạn nộp bài: bài dự thi đã khoá.")
    current.refresh_from_db()
    assert current.status == "submitted"


def test_the_certificates_page_lists_the_students_certificate_with_its_pdf(site, world, certificate, sign_in):
    sign_in(certificate.holder)
    page = site.open("/my/certificates/")

    cards = page.locator("#certificates li")
    expect(cards).to_have_count(2)  # the prize's and the participation's
    card = cards.filter(has_text=certificate.award)
    expect(card.locator("h2")).to_have_text(certificate.award)
    expect(card).to_contain_text("Đại sứ Văn hóa đọc 2024")
    code = card.locator(".code").text_content()
    assert code.replace("-", "") == certificate.code
    pdf_link = card.get_by_role("link", name=f"Tải PDF giấy chứng nhận {code}")
    expect(pdf_link).to_have_attribute("href", f"/api/certificates/{certificate.pk}/pdf/")
    expect(card.get_by_role("link", name=f"Trang xác thực giấy chứng nhận {code}")).to_have_attribute(
        "href", f"/certificates/verify/?code={code}"
    )
    pdf = page.request.get(site.url + pdf_link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    screenshot(page, "student-certificates")

    card.get_by_role("link", name=f"Trang xác thực giấy chứng nhận {code}").click()
    expect(page.locator("#verdict h2")).to_have_text("Giấy chứng nhận hợp lệ.")


def test_in_english_the_pages_and_the_servers_messages_follow(site, world, student, sign_in):
    page = site.open("/register/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Create a student account")
    page.get_by_label("Full name").fill("Jane Reader")
    page.get_by_label("E-mail").fill("jane@example.com")
    page.get_by_label("Username").fill("hocsinh")  # the student fixture's
    page.get_by_label("Password").fill("12345678")
    page.get_by_label("Find your library (name, short name, network)").fill("Cần Thơ")
    expect(page.locator("#library-list .library-option")).to_have_count(1)
    page.get_by_role("radio", name=re.compile("Thư viện Đại học Cần Thơ")).check()
    page.get_by_role("button", name="Create the account").click()

    expect(page.locator("#password-error")).to_have_text(
        "This password is too common. This password is entirely numeric."
    )
    page.get_by_label("Password").fill("Reading-every-day")
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator("#username-error")).to_have_text("This username is already taken.")
    assert not User.objects.filter(email="jane@example.com").exists()

    sign_in(student)
    page = site.open(f"/my/entries/?contest={world.open_contest.pk}")
    expect(page.locator("h1")).to_have_text("My entries")
    page.get_by_label("Category", exact=True).select_option(label="THCS")
    expect(page.locator("#rules-list li").nth(1)).to_have_text("Essay: at most 2,000 words")
    page.get_by_label("Title of your entry").fill("A journey")
    page.get_by_label("Book title").fill("Dế Mèn phiêu lưu ký")
    page.get_by_label("Book author").fill("Tô Hoài")
    page.get_by_label("Essay").fill("word " * 2003)
    expect(page.locator("#word-count")).to_have_text("2,003 / 2,000 words — 3 too many")
    page.get_by_role("button", name="Send the entry").click()
    expect(page.locator("#body-error")).to_have_text("The essay has 2003 words; this category allows at most 2000.")
    screenshot(page, "student-entries-en")


def test_my_entries_on_a_phone_sized_screen_needs_no_sideways_scrolling(site, world, student, browser, sign_in):
    EntryFactory(category=thcs(world), entrant=student, code="DSVH26-PHONE2", title="Một bài viết có tên khá dài")
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    watch = Watch()
    phone = watch.attach(context.new_page())
    try:
        sign_in(student, on=phone)
        site.open(f"/my/entries/?contest={world.open_contest.pk}", on=phone)
        expect(phone.locator("#entries tbody tr")).to_have_count(1)
        phone.get_by_label("Bảng thi", exact=True).select_option(label="THPT & Đại học")
        expect(phone.locator("#rules")).to_be_visible()

        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(phone, "phone-student-entries")
        site.open("/register/", on=phone)  # signed in already: no second account
        expect(phone.locator("#already")).to_contain_text("Bạn đã đăng nhập.")
        expect(phone.locator("#register-form")).to_be_hidden()
    finally:
        context.close()
    assert (watch.csp, watch.errors) == ([], [])


def test_the_contest_page_links_to_sending_an_entry_through_signing_in(site, world, student):
    page = site.open(f"/contests/{world.published.pk}/")
    expect(page.locator("h1")).to_have_text("Đại sứ Văn hóa đọc 2024")
    expect(page.get_by_role("link", name="Gửi bài dự thi cho cuộc thi này")).to_be_hidden()

    page = site.open(f"/contests/{world.open_contest.pk}/")
    page.get_by_role("link", name="Gửi bài dự thi cho cuộc thi này").click()
    expect(page.locator("#sign-in-first")).to_contain_text("Vui lòng đăng nhập để xem và gửi bài dự thi.")
    page.locator("#sign-in-first").get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Tên đăng nhập").fill("hocsinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()

    expect(page).to_have_url(f"{site.url}/my/entries/?contest={world.open_contest.pk}")
    expect(page.get_by_label("Cuộc thi", exact=True)).to_have_value(str(world.open_contest.pk))
    expect(page.locator("#whoami")).to_have_text("Lê Ngọc Ánh")


def test_a_file_over_the_categorys_size_is_stopped_before_it_is_sent(site, world, student, sign_in):
    CategoryFactory(contest=world.open_contest, name="Ảnh chụp", formats=["file"], max_file_mb=1)
    sign_in(student)
    page = site.open(f"/my/entries/?contest={world.open_contest.pk}")
    page.get_by_label("Bảng thi", exact=True).select_option(label="Ảnh chụp")
    expect(page.locator("#rules-list li").nth(1)).to_have_text("Tệp: DOCX, JPEG, PDF, PNG, tối đa 1 MB")
    fill_book(page)
    big = b"%PDF-1.4\n" + bytes(1_600_000)
    requests = []
    page.on("request", lambda request: request.method == "POST" and requests.append(request.url))

    page.get_by_label("Tệp đính kèm").set_input_files(
        files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": big}]
    )
    expect(page.locator("#attachment-error")).to_have_text("Tệp nặng 1.5 MB; bảng thi này nhận tối đa 1 MB.")
    page.get_by_role("button", name="Gửi bài").click()

    expect(page.get_by_label("Tệp đính kèm")).to_be_focused()
    expect(page.locator("#attachment-error")).to_be_visible()
    assert requests == []
    assert not Entry.objects.filter(entrant=student).exists()


def test_editing_an_entry_adds_a_file_with_the_progress_bar(site, world, student, sign_in):
    entry = EntryFactory(category=thpt(world), entrant=student, code="DSVH26-FILE22", title="Bài có tệp")
    sign_in(student)
    page = site.open("/my/entries/")
    page.get_by_role("button", name="Sửa bài DSVH26-FILE22").click()
    expect(page.locator("#attachment-current")).to_be_hidden()
    pdf = small_pdf()

    page.get_by_label("Tệp đính kèm").set_input_files(
        files=[{"name": "ban-sua.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.get_by_role("button", name="Lưu thay đổi").click()

    expect(page.locator("#notice")).to_have_text("Đã lưu bài DSVH26-FILE22.")
    expect(page.locator("#progress-text")).to_have_text("100%")
    expect(page.locator("#entries tbody tr").get_by_role("link", name="Tệp: ban-sua.pdf")).to_have_attribute(
        "href", f"/api/entries/{entry.pk}/attachment/"
    )
    entry.refresh_from_db()
    assert (entry.attachment_name, entry.attachment_size, entry.title) == ("ban-sua.pdf", len(pdf), "Bài có tệp")


def test_an_entry_sent_again_after_its_answer_was_lost_is_made_once(site, world, student, sign_in):
    sign_in(student)
    page = site.open(f"/my/entries/?contest={world.open_contest.pk}")
    page.get_by_label("Bảng thi", exact=True).select_option(label="THCS")  # one entry per student
    fill_book(page)
    page.get_by_label("Bài viết").fill("Dế Mèn dạy tôi rằng tính kiêu căng phải trả giá.")
    keys = []

    def lose_the_first_answer(route):
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) == 1:
            route.fetch()  # the server makes the entry ...
            route.abort("connectionreset")  # ... and its answer never reaches the page
        else:
            route.continue_()

    page.route("**/api/contests/*/entries/", lose_the_first_answer)
    send = page.get_by_role("button", name="Gửi bài")
    send.click()
    general = page.locator('#entry-form [data-error-for="__all__"]')
    expect(general).to_have_text("Không kết nối được với máy chủ. Vui lòng thử lại.")
    made = Entry.objects.get(entrant=student)

    send.click()

    expect(page.locator("#notice")).to_have_text(f"Đã gửi bài. Mã bài dự thi của bạn: {made.code}")
    assert Entry.objects.filter(entrant=student).count() == 1
    assert keys[0] == keys[1] and re.fullmatch(r"[0-9a-f]{32}", keys[0])
    fill_book(page, title="Bài thứ hai")
    page.get_by_label("Bài viết").fill("Một bài khác.")
    send.click()  # a new entry: a new key, and the category's quota answers
    expect(general).to_have_text("Bạn đã nộp đủ số bài tối đa của bảng thi này.")
    assert len(set(keys)) == 2


def test_a_child_s_entry_shows_it_waits_for_a_guardian_s_consent(site, world, student, sign_in):
    from datetime import date

    student.birth_date = date(2015, 3, 1)
    student.save()
    EntryFactory(category=thcs(world), entrant=student, code="DSVH26-CHILD2")
    sign_in(student)

    page = site.open("/my/entries/")

    expect(page.locator('#entries tbody tr [data-field="reason"]')).to_have_text(
        "Đang chờ sự đồng ý của cha mẹ hoặc người giám hộ: bài của thí sinh dưới 16 tuổi được chấm khi cha mẹ hoặc "
        "người giám hộ đã đồng ý (trực tuyến qua đường dẫn trong e-mail, hoặc trên giấy tại thư viện)."
    )
