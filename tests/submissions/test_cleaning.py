"""The judges' copy, place by place: each place a name can hide in a file is emptied, and the
copy still opens (same pixels, same pages, a well-formed Word package)."""

import io
import re
import struct
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from submissions.cleaning import Refused
from submissions.cleaning.docx import APP_EMPTY, CORE_EMPTY, docx_clean
from submissions.cleaning.images import jpeg_clean, png_clean
from submissions.cleaning.pdf import pdf_clean
from tests.files import docx_with_author, jpeg_with_author, pdf_with, pdf_with_author, png_with_author

WHO = {
    "full_name": "Hoàng Thị Bích Ngọc",
    "username": "bichngoc.thptzeta",
    "email": "ngoc.hoangbich@zeta.edu.vn",
    "library": "Thư viện Trường THPT Chuyên Zeta",
}


def jpeg_markers(data: bytes) -> list[int]:
    """The markers of the segments before the first scan."""
    markers, position = [], 2
    while data[position + 1] != 0xDA:
        markers.append(data[position + 1])
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    kinds, position = [], 8
    while position < len(data):
        (length,) = struct.unpack_from(">I", data, position)
        kinds.append(data[position + 4 : position + 8])
        position += 12 + length
        if kinds[-1] == b"IEND":
            return kinds
    return kinds


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.tobytes()


def exif(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif())


@pytest.mark.parametrize("progressive", [False, True], ids=["baseline", "progressive"])
def test_a_jpeg_keeps_its_pixels_and_orientation_and_nothing_else(progressive):
    original = jpeg_with_author(WHO, orientation=6, progressive=progressive)

    cleaned = jpeg_clean(original)

    assert [hex(m) for m in jpeg_markers(original) if m >= 0xE0] == ["0xed", "0xe0", "0xe1", "0xe1", "0xfe"]
    assert [hex(m) for m in jpeg_markers(cleaned) if m >= 0xE0] == ["0xe0", "0xe1"]  # JFIF, the orientation
    assert exif(cleaned) == {0x0112: 6}
    assert pixels(cleaned) == pixels(original)  # not re-encoded
    assert cleaned.endswith(b"\xff\xd9")  # what followed the image is gone


def test_a_jpeg_whose_end_marker_is_missing_keeps_all_its_data_and_gets_one():
    original = jpeg_with_author(WHO, orientation=1)
    cut = original[: original.rindex(b"\xff\xd9")]

    cleaned = jpeg_clean(cut)

    assert cleaned == jpeg_clean(original)


def test_an_upright_jpeg_gets_no_exif_at_all():
    cleaned = jpeg_clean(jpeg_with_author(WHO, orientation=1))

    assert [hex(m) for m in jpeg_markers(cleaned) if m >= 0xE0] == ["0xe0"]
    assert exif(cleaned) == {}


def test_a_png_keeps_the_chunks_that_draw_it_and_its_orientation():
    original = png_with_author(WHO, orientation=8)

    cleaned = png_clean(original)

    assert set(png_chunks(original)) >= {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"prVt"}
    assert png_chunks(cleaned) == [b"IHDR", b"eXIf", b"IDAT", b"IEND"]
    assert exif(cleaned) == {0x0112: 8}
    assert pixels(cleaned) == pixels(original)


def test_a_png_colour_profile_keeps_its_data_under_a_neutral_name():
    buffer = io.BytesIO()
    profile = b"\x00" * 128  # only carried, never read, by the cleaning
    Image.new("RGB", (4, 4)).save(buffer, "PNG", icc_profile=profile)

    cleaned = png_clean(buffer.getvalue())

    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.info["icc_profile"] == profile
    assert b"ICC profile\x00" in cleaned


@pytest.mark.parametrize(
    "data",
    [b"\xff\xd8\xff\xe0\x00", b"\xff\xd8\x00\x00", b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"],
    ids=["jpeg-cut-in-a-segment", "jpeg-not-a-marker", "png-cut"],
)
def test_a_damaged_image_is_refused(data):
    clean = jpeg_clean if data.startswith(b"\xff") else png_clean

    with pytest.raises(Refused) as refused:
        clean(data)

    assert refused.value.reason == "image_damaged"


def test_each_place_of_a_word_document_that_names_its_author_is_emptied():
    original = docx_with_author(WHO)

    cleaned = docx_clean(original)

    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
        assert archive.comment == b""
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert sorted(parts) == [
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/app.xml",
        "docProps/core.xml",
        "word/_rels/document.xml.rels",
        "word/comments.xml",
        "word/document.xml",
        "word/header1.xml",
        "word/media/image1.jpeg",
        "word/people.xml",
        "word/settings.xml",
    ]  # custom.xml, the thumbnail and customXml/ are left out
    assert (parts["docProps/core.xml"], parts["docProps/app.xml"]) == (CORE_EMPTY, APP_EMPTY)
    text = {name: data.decode() for name, data in parts.items() if name.endswith((".xml", ".rels"))}
    assert '<w:comment w:id="0" w:author="" w:date="2026-03-01T10:00:00Z" w:initials="">' in text["word/comments.xml"]
    assert "<w:t>Xem lại</w:t>" in text["word/comments.xml"]  # the comment itself stays
    assert '<w:ins w:id="1" w:author="" w:date="2026-03-01T10:00:00Z">' in text["word/document.xml"]
    assert "<w:del w:id='2' w:author=\"\" w:date='2026-03-01T10:00:00Z'>" in text["word/document.xml"]
    assert '<w:ins w:id="3" w:author="">' in text["word/header1.xml"]
    assert '<w15:person w15:author=""><w15:presenceInfo w15:providerId="" w15:userId=""/>' in text["word/people.xml"]
    assert "docVar" not in text["word/settings.xml"] and '<w:zoom w:percent="100"/>' in text["word/settings.xml"]
    assert exif(parts["word/media/image1.jpeg"]) == {0x0112: 6}
    assert "customXml" not in text["[Content_Types].xml"] + text["word/_rels/document.xml.rels"]
    assert "custom-properties" not in text["_rels/.rels"] and "thumbnail" not in text["_rels/.rels"]


def test_the_word_documents_copy_is_a_well_formed_package():
    with zipfile.ZipFile(io.BytesIO(docx_clean(docx_with_author(WHO)))) as archive:
        names = set(archive.namelist())
        content_types = archive.read("[Content_Types].xml").decode()
        rels = {name: archive.read(name).decode() for name in names if name.endswith(".rels")}
    overrides = {part.lstrip("/") for part in re.findall(r'PartName="([^"]+)"', content_types)}
    targets = set()
    for name, text in rels.items():
        folder = name.split("_rels/")[0]
        for target, mode in re.findall(r'Target="([^"]+)"(?: TargetMode="(\w+)")?', text):
            if mode != "External":
                targets.add(folder + target)
    assert overrides <= names
    assert targets <= names
    assert "https://vi.wikipedia.org/wiki/T%E1%BA%AFt_%C4%91%C3%A8n" in rels["word/_rels/document.xml.rels"]


def test_each_place_of_a_pdf_that_names_its_author_is_emptied_and_the_page_stays():
    cleaned = PdfReader(io.BytesIO(pdf_clean(pdf_with_author(WHO))))

    assert "/Info" not in cleaned.trailer
    assert sorted(cleaned.trailer["/Root"]) == ["/Pages", "/Type"]  # no XMP, no /OpenAction, no outlines
    [page] = cleaned.pages
    assert "Bai du thi" in page.extract_text()
    assert {"/Metadata", "/PieceInfo"} & set(page) == set()
    [note] = [annotation.get_object() for annotation in page["/Annots"]]
    assert ("/T" in note, note["/Contents"]) == (False, "Cần sửa đoạn này")  # its author goes, its text stays
    image = page["/Resources"]["/XObject"]["/Im1"]
    assert "/Metadata" not in image
    assert [hex(m) for m in jpeg_markers(image._data) if m >= 0xE0] == ["0xe0"]
    assert exif(image._data) == {}


def test_a_pdf_link_stays_and_an_open_action_that_only_shows_a_page_is_left_out_of_the_copy():
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(9), NumberObject(9)]),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("https://vi.wikipedia.org/"),
                }
            ),
        }
    )
    original = pdf_with(
        catalog={"/OpenAction": ArrayObject([NumberObject(0), NameObject("/Fit")])},
        page_entries={"/Annots": ArrayObject([link])},
    )

    cleaned = PdfReader(io.BytesIO(pdf_clean(original)))

    assert "/OpenAction" in PdfReader(io.BytesIO(original)).trailer["/Root"]
    assert "/OpenAction" not in cleaned.trailer["/Root"]
    [annotation] = cleaned.pages[0]["/Annots"]
    assert annotation.get_object()["/A"]["/URI"] == "https://vi.wikipedia.org/"
