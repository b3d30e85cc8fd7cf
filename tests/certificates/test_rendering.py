"""The certificate PDF: Vietnamese text that survives extraction, a QR code that scans, images that stay cheap."""

import dataclasses
import os
import unicodedata
from functools import cache
from io import BytesIO

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

from certificates import rendering
from certificates.rendering import CertificateContent, certificate_pdf, image_downscale

NAMES = ["Nguyễn Thị Hường", "Trần Quốc Việt", "Lê Ngọc Ánh", "Đặng Thuỳ Dương", "Phạm Thị Hồng Nhung"]
URL = "https://docsach.example.vn/verify/7K3F9QXM2D4P/"


def content(**changes) -> CertificateContent:
    base = CertificateContent(
        language="vi",
        contest_title="Cuộc thi Đại sứ Văn hoá Đọc 2026",
        holder_name="Nguyễn Thị Hường",
        award="Giải Nhất — Bảng THPT & Đại học",
        library="Thư viện tỉnh Thừa Thiên Huế",
        place_and_date="Hà Nội, ngày 26 tháng 11 năm 2026",
        signatory_name="Nguyễn Văn Khánh",
        signatory_title="GIÁM ĐỐC THƯ VIỆN QUỐC GIA",
        code="7K3F-9QXM-2D4P",
        verify_url=URL,
    )
    return dataclasses.replace(base, **changes)


def text_of(pdf: bytes) -> str:
    return pypdf.PdfReader(BytesIO(pdf)).pages[0].extract_text()


def noisy_png(width: int = 3000, height: int = 2000) -> bytes:
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


@cache
def background() -> bytes:
    return image_downscale(noisy_png())


def logo_png() -> bytes:
    out = BytesIO()
    Image.new("RGBA", (300, 120), (160, 20, 20, 128)).save(out, "PNG")
    return out.getvalue()


def qr_texts(pdf: bytes) -> list[str]:
    image = pdfium.PdfDocument(pdf)[0].render(scale=3).to_pil()
    # QR codes only: a 1D reader finds a "barcode" in random noise now and then (CI read "A976C"
    # off the noisy background once).
    return [result.text for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize("name", NAMES)
def test_the_holder_name_extracts_exactly_in_nfc(name, form):
    given = unicodedata.normalize(form, name)
    text = text_of(certificate_pdf(content(holder_name=given)))
    assert unicodedata.normalize("NFC", name) in text


def test_decomposed_input_is_drawn_composed():
    nfd = unicodedata.normalize("NFD", "Đặng Thuỳ Dương")
    assert nfd != "Đặng Thuỳ Dương"
    text = text_of(certificate_pdf(content(holder_name=nfd, award=unicodedata.normalize("NFD", "Giải Ba"))))
    assert "Đặng Thuỳ Dương" in text
    assert "Giải Ba" in text
    assert nfd not in text


@pytest.mark.parametrize(
    ("language", "heading", "certifies", "caption"),
    [
        ("vi", "GIẤY CHỨNG NHẬN", "Chứng nhận", "Xác minh tại"),
        ("en", "CERTIFICATE", "This certifies that", "Verify at"),
    ],
)
def test_heading_and_captions_follow_the_language(language, heading, certifies, caption):
    text = text_of(certificate_pdf(content(language=language)))
    assert heading in text
    assert certifies in text
    assert caption in text
    assert URL in text
    assert "7K3F-9QXM-2D4P" in text
    if language == "en":
        assert "GIẤY CHỨNG NHẬN" not in text


def test_every_line_of_content_is_on_the_page():
    text = text_of(certificate_pdf(content()))
    for line in ("Cuộc thi Đại sứ Văn hoá Đọc 2026", "Giải Nhất — Bảng THPT & Đại học", "Thư viện tỉnh Thừa Thiên Huế"):
        assert line in text
    for line in ("Hà Nội, ngày 26 tháng 11 năm 2026", "GIÁM ĐỐC THƯ VIỆN QUỐC GIA", "Nguyễn Văn Khánh"):
        assert line in text


def test_an_empty_library_is_left_out():
    pdf = certificate_pdf(content(library="", holder_name="Mạng lưới Thư viện Đồng bằng Sông Cửu Long"))
    assert "Mạng lưới Thư viện Đồng bằng Sông Cửu Long" in text_of(pdf)


def test_fonts_are_embedded_as_subsets():
    reader = pypdf.PdfReader(BytesIO(certificate_pdf(content())))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = [font.get_object() for font in fonts.values() if "DejaVu" in font.get_object()["/BaseFont"]]
    assert len(embedded) == 2
    for font in embedded:
        assert "+" in font["/BaseFont"]  # a subset's name carries a six-letter tag


def test_long_name_and_award_shrink_to_fit_the_page():
    name = "Nguyễn Hoàng Thị Phương Thảo Bảo Ngọc Diễm Hương Quỳnh Anh Thư Khánh Linh Minh Châu"
    award = "Giải Khuyến khích — Bảng Trung học cơ sở, Trung học phổ thông, Cao đẳng và Đại học toàn quốc năm 2026"
    pdf = certificate_pdf(content(holder_name=name, award=award))
    text = text_of(pdf)
    assert name in text
    assert award in text
    page = pdfium.PdfDocument(pdf)[0]
    width = page.get_width()
    textpage = page.get_textpage()
    for index in range(textpage.count_chars()):
        left, _, right, _ = textpage.get_charbox(index)
        if right > left:  # spaces and line breaks have empty boxes
            assert left >= 40 and right <= width - 40


@pytest.mark.parametrize("with_images", [False, True])
def test_the_qr_code_scans_back_to_the_verify_url(with_images):
    images = {"background": background(), "logo": logo_png()} if with_images else {}
    assert qr_texts(certificate_pdf(content(**images))) == [URL]


def test_a_long_verify_url_still_scans():
    url = "https://thu-vien-tinh.docsach.example.vn/chung-nhan/xac-minh/7K3F9QXM2D4P7K3F9QXM2D4P/?lang=vi"
    assert qr_texts(certificate_pdf(content(verify_url=url))) == [url]


def test_images_are_embedded_in_binary_not_ascii85():
    pdf = certificate_pdf(content(background=background(), logo=logo_png()))
    assert b"ASCII85Decode" not in pdf
    assert b"/DCTDecode" in pdf  # the JPEG background goes in as it is
    assert len(pdf) < len(background()) + 150_000


def test_a_reused_background_is_decoded_once():
    data = background()
    certificate_pdf(content(background=data))
    hits = rendering._cached_reader.cache_info().hits
    certificate_pdf(content(background=bytes(data)))  # equal bytes, another object
    assert rendering._cached_reader.cache_info().hits == hits + 1


def test_an_image_that_is_not_one_is_refused():
    with pytest.raises(ValueError):
        certificate_pdf(content(logo=b"not an image at all"))


def test_downscale_brings_a_large_noisy_png_under_the_limit():
    png = noisy_png()
    assert len(png) > 2_000_000
    jpeg = image_downscale(png)
    assert len(jpeg) <= 200_000
    image = Image.open(BytesIO(jpeg))
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert max(image.size) <= 2480
    assert abs(image.width / image.height - 1.5) < 0.01


def test_downscale_keeps_a_small_image_whole_and_caps_the_side():
    out = BytesIO()
    Image.linear_gradient("L").resize((4000, 1000)).save(out, "PNG")
    image = Image.open(BytesIO(image_downscale(out.getvalue(), max_side=1000)))
    assert image.size == (1000, 250)


def test_downscale_puts_transparency_on_white():
    image = Image.open(BytesIO(image_downscale(logo_png())))
    red, green, blue = image.getpixel((10, 10))
    assert red > 200 and green > 100 and blue > 100  # half-transparent red on white, not on black


@pytest.mark.parametrize("data", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\0" * 40])
def test_downscale_refuses_what_is_not_an_image(data):
    with pytest.raises(ValueError):
        image_downscale(data)
