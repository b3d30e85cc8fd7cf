"""The library staff's page (/library/) in a real browser: their library's entries only, a paper
entry typed in (an error first, then the entry in the list and in the database), a CSV import
refused whole for one bad row and then accepted, the library's certificates as a ZIP; in
Vietnamese, once in English, and on a phone-sized screen."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate
from contests.models import Category
from people.models import User
from submissions.models import Entry
from tests.e2e.conftest import Watch, row_texts, screenshot
from tests.factories import EntryFactory, LibraryStaffFactory, StudentFactory, UserFactory
from tests.files import PDF

pytestmark = pytest.mark.e2e

VINH_ONLINE = ["Bùi Thanh Tâm", "Hoàng Gia Bảo"]
HANOI_ONLINE = ["Vũ Khánh Linh", "Đỗ Minh Quân"]


@pytest.fixture
def library_world(world):
    """Staff of Thư viện Đại học Vinh; two online entries in each of Vinh and Hà Nội in the open
    contest (one per category)."""
    vinh, hanoi, _cantho = world.libraries
    thcs, thpt = Category.objects.filter(contest=world.open_contest).order_by("id")
    for library, names in ((vinh, VINH_ONLINE), (hanoi, HANOI_ONLINE)):
        for category, name in zip((thcs, thpt), names, strict=True):
            EntryFactory(
                category=category,
                entrant=StudentFactory(library=library, full_name=name),
                title=f"Bài của {name}",
            )
    staff = LibraryStaffFactory(library=vinh, user=UserFactory(full_name="Cán bộ Thư viện Vinh")).user
    world.staff = staff
    world.thcs, world.thpt = thcs, thpt
    return world


def open_library(site, sign_in, staff, path="/library/"):
    sign_in(staff)
    page = site.open(path)
    expect(page.locator("#library-app")).to_be_visible()
    return page


def test_staff_sees_only_their_librarys_entries_and_registers_a_paper_entry(site, sign_in, library_world):
    world = library_world
    page = open_library(site, sign_in, world.staff)

    expect(page.locator("h1")).to_have_text("Thư viện của tôi")
    expect(page.locator("#contest-select")).to_have_value(str(world.open_contest.pk))
    expect(page.locator("#library-pick")).to_be_hidden()  # staff of one library: nothing to pick
    expect(page.locator("#summary h2")).to_have_text("Thư viện Đại học Vinh")
    expect(page.locator("#summary .badge")).to_have_text("Đang nhận bài")
    expect(page.locator("#summary dd")).to_have_text(["4", "2", "2"])  # members: also the 2024 entrants
    expect(page.locator("#by-category tbody").locator("th, td")).to_have_text(["THCS", "1", "THPT & Đại học", "1"])
    expect(page.locator("#entries-count")).to_have_text("2 bài")
    expect(page.locator("#entries tbody tr")).to_have_count(2)
    codes = {e.entrant.full_name: e.code for e in Entry.objects.filter(contest=world.open_contest)}
    assert sorted(row_texts(page, "#entries tbody tr")) == sorted(
        [
            [codes[name], name, category, f"Bài của {name}", "Đã nộp", "Trực tuyến"]
            for name, category in zip(VINH_ONLINE, ["THCS", "THPT & Đại học"], strict=True)
        ]
    )
    for name in HANOI_ONLINE:
        expect(page.locator("main")).not_to_contain_text(name)
    expect(page.locator("#import-columns")).to_have_text(
        "category,entrant_full_name,entrant_email,title,book_title,book_author,book_publisher,book_year,book_isbn,body"
    )
    template = page.request.get(site.url + page.locator("#import-template").get_attribute("href"))
    assert template.ok and template.text().lstrip("\ufeff").startswith("category,entrant_full_name,")

    # An error first: the entrant's name left out; the server says so next to the field.
    form = page.locator("#paper-form")
    form.get_by_label("Bảng thi", exact=True).select_option(label="THCS")
    form.get_by_label("Tên bài dự thi").fill("Mùa hè với Dế Mèn")
    form.get_by_label("Tên sách").fill("Dế Mèn phiêu lưu ký")
    form.get_by_label("Tác giả của sách").fill("Tô Hoài")
    form.get_by_label("Năm xuất bản (không bắt buộc)").fill("2019")
    form.get_by_label("Nội dung bài viết (gõ lại từ bản giấy)").fill("Tôi đọc Dế Mèn vào một mùa hè.")
    form.get_by_role("button", name="Đăng ký bài giấy").click()

    name_error = page.locator("#paper-entrant_full_name-error")
    expect(name_error).to_have_text("Hãy nhập họ tên thí sinh, hoặc chọn một thí sinh.")
    expect(form.get_by_label("Họ và tên thí sinh")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Họ và tên thí sinh")).to_be_focused()
    assert Entry.objects.filter(is_paper=True).count() == 0

    form.get_by_label("Họ và tên thí sinh").fill("Phan Thu Hà")
    form.get_by_role("button", name="Đăng ký bài giấy").click()

    done = page.locator("#paper-done")
    expect(done).to_have_text(re.compile(r"^Đã đăng ký bài DSVH26-[2-9A-Z]{6} của Phan Thu Hà\.$"))
    expect(name_error).to_be_hidden()
    entry = Entry.objects.get(is_paper=True)
    assert done.text_content() == f"Đã đăng ký bài {entry.code} của Phan Thu Hà."
    assert (
        entry.contest,
        entry.category,
        entry.library,
        entry.entrant.full_name,
        entry.entrant.library,
        entry.submitted_by,
        entry.title,
        entry.book_title,
        entry.book_author,
        entry.book_year,
        entry.body,
        entry.status,
    ) == (
        world.open_contest,
        world.thcs,
        world.libraries[0],
        "Phan Thu Hà",
        world.libraries[0],
        world.staff,
        "Mùa hè với Dế Mèn",
        "Dế Mèn phiêu lưu ký",
        "Tô Hoài",
        2019,
        "Tôi đọc Dế Mèn vào một mùa hè.",
        "submitted",
    )
    expect(page.locator("#entries-count")).to_have_text("3 bài")
    expect(page.locator("#entries tbody tr").first.locator("td, th")).to_have_text(
        [entry.code, "Phan Thu Hà", "THCS", "Mùa hè với Dế Mèn", "Đã nộp", "Bài giấy"]
    )
    expect(page.locator("#by-category tbody").locator("th, td")).to_have_text(["THCS", "2", "THPT & Đại học", "1"])
    expect(form.get_by_label("Họ và tên thí sinh")).to_have_value("")  # ready for the next one
    screenshot(page, "library-vi")


CSV_HEADER = "category,entrant_full_name,entrant_email,title,book_title,book_author,book_year,body\n"
CSV_GOOD = [
    "THCS,Lý Thị Mai,,Tuổi thơ dữ dội,Tuổi thơ dữ dội,Phùng Quán,1988,Cuốn sách làm tôi khóc.\n",
    '"THPT & Đại học",Trịnh Văn Nam,nam@example.com,Nhà giả kim,Nhà giả kim,Paulo Coelho,,"Hay, rất hay."\n',
]
CSV_BAD = "Bảng Z,Châu Ngọc Lan,,Không tên,Sách,Tác giả,,Nội dung.\n"


def upload(page, text: str, name="bai-giay.csv"):
    page.locator("#import-file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": ("\ufeff" + text).encode()}
    )
    page.get_by_role("button", name="Nhập bài").click()


def test_a_csv_with_a_bad_row_imports_nothing_and_reports_the_row_then_the_fixed_file_imports(
    site, sign_in, library_world
):
    world = library_world
    vinh = world.libraries[0]
    page = open_library(site, sign_in, world.staff)
    expect(page.locator("#import-section")).to_contain_text("tất cả hoặc không")
    entries_before, users_before = Entry.objects.count(), User.objects.count()

    upload(page, CSV_HEADER + CSV_GOOD[0] + CSV_BAD + CSV_GOOD[1])

    rejected = page.locator("#import-rejected")
    expect(rejected).to_be_visible()
    expect(page.locator("#import-detail")).to_have_text("1/3 dòng có lỗi; chưa nhập dòng nào.")
    expect(rejected).to_contain_text("Không bài nào được nhập.")
    assert row_texts(page, "#import-rows tbody tr") == [["3", "category", "Cuộc thi không có bảng thi này."]]
    expect(page.locator("#import-done")).to_be_hidden()
    # All or nothing: the two good rows were not kept, and no student account was made.
    assert (Entry.objects.count(), User.objects.count()) == (entries_before, users_before)
    assert not User.objects.filter(full_name__in=["Lý Thị Mai", "Trịnh Văn Nam", "Châu Ngọc Lan"]).exists()
    expect(page.locator("#entries-count")).to_have_text("2 bài")
    screenshot(page, "library-import-rejected-vi")

    upload(page, CSV_HEADER + "".join(CSV_GOOD))

    expect(page.locator("#import-done")).to_have_text("Đã nhập 2 bài.")
    expect(rejected).to_be_hidden()
    imported = Entry.objects.filter(is_paper=True).order_by("id")
    assert [
        (e.entrant.full_name, e.entrant.email, e.category.name, e.title, e.book_author, e.book_year, e.body, e.library)
        for e in imported
    ] == [
        ("Lý Thị Mai", "", "THCS", "Tuổi thơ dữ dội", "Phùng Quán", 1988, "Cuốn sách làm tôi khóc.", vinh),
        (
            "Trịnh Văn Nam",
            "nam@example.com",
            "THPT & Đại học",
            "Nhà giả kim",
            "Paulo Coelho",
            None,
            "Hay, rất hay.",
            vinh,
        ),
    ]
    assert Entry.objects.count() == entries_before + 2
    expect(page.locator("#entries-count")).to_have_text("4 bài")
    expect(page.locator("#entries tbody")).to_contain_text("Lý Thị Mai")
    expect(page.locator("#entries tbody")).to_contain_text("Trịnh Văn Nam")

    # A file the server cannot read at all: its message next to the file input.
    upload(page, "ten,ho\nA,B\n")
    expect(page.locator("#import-file-error")).to_contain_text("ten, ho")
    assert Entry.objects.count() == entries_before + 2


def test_the_librarys_certificates_list_and_zip_hold_only_its_own(site, sign_in, library_world, certificate):
    world = library_world
    vinh = world.libraries[0]
    page = open_library(site, sign_in, world.staff)

    page.get_by_label("Cuộc thi", exact=True).select_option(str(world.published.pk))

    expect(page.locator("#summary .badge")).to_have_text("Đã công bố")
    expect(page.locator("#not-open")).to_be_visible()
    expect(page.locator("#paper-section")).to_be_hidden()
    ours = Certificate.objects.filter(contest=world.published, library=vinh)
    others = Certificate.objects.filter(contest=world.published).exclude(library=vinh)
    assert ours.count() >= 2 and others.count() >= 1
    rows = page.locator("#certificates tbody tr")
    expect(rows).to_have_count(ours.count())
    holders = sorted({c.holder_name for c in ours})
    assert holders == ["Nguyễn Thị Hường", "Trần Quốc Việt"]
    assert sorted({row[0] for row in row_texts(page, "#certificates tbody tr")}) == holders
    for name in {c.holder_name for c in others}:
        expect(page.locator("#certificates")).not_to_contain_text(name)
    link = page.get_by_role("link", name="Tải tất cả giấy chứng nhận của thư viện (ZIP)")
    expect(link).to_have_attribute("href", f"/api/contests/{world.published.pk}/certificates/zip/?library={vinh.pk}")
    assert f"contest={world.published.pk}" in page.url

    with page.expect_download() as download:
        link.click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))

    names = archive.namelist()
    assert len(names) == ours.count()
    assert all(name.startswith("Thư viện Đại học Vinh/") for name in names)
    assert sorted({name.split("/")[1].split(" — ")[0] for name in names}) == holders
    assert all(archive.read(name).startswith(b"%PDF") for name in names)
    screenshot(page, "library-certificates-vi")


def test_in_english_on_a_phone_a_staff_of_two_libraries_picks_one(site, sign_in, library_world, browser):
    world = library_world
    hanoi = world.libraries[1]
    LibraryStaffFactory(library=hanoi, user=world.staff)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    watch = Watch()
    phone = watch.attach(context.new_page())
    try:
        sign_in(world.staff, on=phone)
        site.open("/", on=phone)
        phone.evaluate("localStorage.setItem('lang', 'en')")
        site.open("/library/", on=phone)

        expect(phone.locator("h1")).to_have_text("My library")
        expect(phone.locator("#library-pick")).to_be_visible()
        expect(phone.locator("#entries-count")).to_have_text("2 entries")
        phone.get_by_label("Library", exact=True).select_option(label="Thư viện Hà Nội")
        expect(phone.locator("#summary h2")).to_have_text("Thư viện Hà Nội")
        expect(phone.locator("#entries tbody tr")).to_have_count(2)
        for name in HANOI_ONLINE:
            expect(phone.locator("#entries tbody")).to_contain_text(name)
        for name in VINH_ONLINE:
            expect(phone.locator("#entries tbody")).not_to_contain_text(name)
        expect(phone.locator("#entries tbody tr").first).to_contain_text("Online")

        form = phone.locator("#paper-form")
        form.get_by_label("Entrant's full name").fill("Ngô Bảo Châu")
        form.get_by_role("button", name="Register the paper entry").click()
        expect(phone.locator("#paper-title-error")).to_have_text("This field is required.")
        expect(phone.locator("#paper-book_title-error")).to_have_text("This field is required.")

        upload_en = phone.locator("#import-file")
        upload_en.set_input_files({"name": "x.csv", "mimeType": "text/csv", "buffer": (CSV_HEADER + CSV_BAD).encode()})
        phone.get_by_role("button", name="Import", exact=True).click()
        expect(phone.locator("#import-detail")).to_have_text("1 of 1 rows have errors; nothing was imported.")
        assert row_texts(phone, "#import-rows tbody tr") == [["2", "category", "No such category in this contest."]]
        assert Entry.objects.filter(is_paper=True).count() == 0

        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(phone, "phone-library-en")
    finally:
        context.close()
    assert (watch.csp, watch.errors) == ([], [])


def test_the_entries_list_follows_next_page_and_filters_by_category(site, sign_in, library_world):
    world = library_world
    vinh = world.libraries[0]
    for number in range(49):  # 51 of Vinh's in all: one more than a page
        EntryFactory(category=world.thpt, entrant=StudentFactory(library=vinh, full_name=f"Học sinh {number:02d}"))
    page = open_library(site, sign_in, world.staff)

    expect(page.locator("#entries-count")).to_have_text("51 bài")
    rows = page.locator("#entries tbody tr")
    expect(rows).to_have_count(50)
    page.get_by_role("button", name="Xem thêm").click()
    expect(rows).to_have_count(51)
    expect(page.get_by_role("button", name="Xem thêm")).to_be_hidden()
    assert len({row[0] for row in row_texts(page, "#entries tbody tr")}) == 51  # no entry twice

    filters = page.locator("#entries-filter")
    filters.get_by_label("Bảng thi").select_option(label="THCS")
    filters.get_by_role("button", name="Lọc").click()

    expect(page.locator("#entries-count")).to_have_text("1 bài")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Bùi Thanh Tâm")


def test_who_is_not_staff_is_told_so_and_a_library_outside_the_contests_sees_none(site, sign_in, library_world):
    world = library_world
    page = site.open("/library/")
    expect(page.locator("#library-signin")).to_contain_text("Trang này dành cho cán bộ thư viện.")
    expect(page.locator("#library-app")).to_be_hidden()

    sign_in(StudentFactory(library=world.libraries[0]))
    page = site.open("/library/")
    expect(page.locator("#library-not-staff")).to_have_text("Tài khoản của bạn không phải là cán bộ của thư viện nào.")
    expect(page.locator("#library-app")).to_be_hidden()

    # Cần Thơ's network (the south) organizes neither contest: nothing to choose.
    sign_in(LibraryStaffFactory(library=world.libraries[2]).user)
    page = site.open("/library/")
    expect(page.locator("#library-no-contests")).to_be_visible()
    expect(page.locator("#library-app")).to_be_hidden()


def test_a_paper_entry_can_be_a_scan_where_the_category_takes_files(site, sign_in, library_world):
    world = library_world
    page = open_library(site, sign_in, world.staff)
    form = page.locator("#paper-form")
    form.get_by_label("Họ và tên thí sinh").fill("Mạc Thị Bưởi")
    form.get_by_label("Bảng thi", exact=True).select_option(label="THCS")
    expect(page.locator("#paper-category-hint")).to_have_text("Bảng này nhận: bài viết.")
    form.get_by_label("Tên bài dự thi").fill("Bài viết tay")
    form.get_by_label("Tên sách").fill("Tắt đèn")
    form.get_by_label("Tác giả của sách").fill("Ngô Tất Tố")
    scan = {"name": "bai-quet.pdf", "mimeType": "application/pdf", "buffer": PDF}
    form.get_by_label("Hoặc bản quét của bài (PDF, ảnh)").set_input_files(scan)
    form.get_by_role("button", name="Đăng ký bài giấy").click()

    expect(page.locator("#paper-attachment-error")).to_have_text("Bảng thi này không nhận tệp.")
    assert not Entry.objects.filter(is_paper=True).exists()

    form.get_by_label("Bảng thi", exact=True).select_option(label="THPT & Đại học")
    expect(page.locator("#paper-category-hint")).to_have_text("Bảng này nhận: tệp, bài viết, video.")
    form.get_by_role("button", name="Đăng ký bài giấy").click()

    expect(page.locator("#paper-done")).to_contain_text("Mạc Thị Bưởi")
    entry = Entry.objects.get(is_paper=True)
    assert (entry.category, entry.attachment_name, entry.attachment_type, entry.body) == (
        world.thpt,
        "bai-quet.pdf",
        "pdf",
        "",
    )
