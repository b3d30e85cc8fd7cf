"""Real files of each kind, made in memory, for upload tests; files that carry their author's
name in every metadata field we know of; and a search of a file's every byte (unzipped,
inflated, decoded) for strings."""

import io
import struct
import zipfile
import zlib

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)


def _pdf(build=None) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=300, height=300)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 14 Tf 20 260 Td (Bai du thi) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content.flate_encode())
    if build:
        build(writer, page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = _pdf()  # one page, "Bai du thi"


def image_bytes(kind: str, size=(64, 48), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color=0 if mode == "1" else (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def docx_bytes(*, extra: dict[str, bytes] | None = None, content_types: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", f'<?xml version="1.0"?><Types>{content_types}</Types>')
        archive.writestr("word/document.xml", "<w:document><w:body>Tôi yêu sách</w:body></w:document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def relationships(*rows: tuple[str, str, str] | tuple[str, str, str, str]) -> str:
    """A .rels part: (id, type's last segment, target[, target mode])."""
    lines = [
        f'<Relationship Id="{row[0]}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'{row[1]}" Target="{row[2]}"' + (f' TargetMode="{row[3]}"' if len(row) > 3 else "") + "/>"
        for row in rows
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(lines)
        + "</Relationships>"
    )


# --- files that carry who wrote them ----------------------------------------------------------


def _xmp(who: dict[str, str]) -> bytes:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<dc:creator><rdf:Seq><rdf:li>{who['full_name']}</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:rights>{who['library']}</dc:rights><xmp:CreatorTool>{who['username']}</xmp:CreatorTool>"
        f"<dc:publisher>{who['email']}</dc:publisher></rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def _exif(who: dict[str, str], orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x013B] = who["full_name"]  # Artist
    exif[0x8298] = f"© {who['library']}"  # Copyright
    exif[0x010E] = who["email"]  # ImageDescription
    exif[0x9C9D] = who["full_name"].encode("utf-16-le") + b"\x00\x00"  # XPAuthor, as Windows writes it
    exif[0x9C9C] = who["username"].encode("utf-16-le") + b"\x00\x00"  # XPComment
    exif.get_ifd(0x8769)[0xA430] = who["username"]  # CameraOwnerName
    return exif


def _iptc(who: dict[str, str]) -> bytes:
    """An APP13 segment with the IPTC By-line (2:80) and Copyright Notice (2:116)."""
    datasets = b"".join(
        b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(value)) + value
        for number, value in ((80, who["full_name"].encode()), (116, who["library"].encode()))
    )
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(datasets)) + datasets
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_author(who: dict[str, str], *, orientation: int = 6, size=(64, 48), progressive=False) -> bytes:
    """EXIF (Artist, Copyright, XPAuthor ...), XMP, IPTC, a comment, and bytes after the end."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(
        buffer,
        "JPEG",
        exif=_exif(who, orientation),
        xmp=_xmp(who),
        comment=who["email"].encode(),
        progressive=progressive,
    )
    data = buffer.getvalue()
    return data[:2] + _iptc(who) + data[2:] + who["username"].encode()


def png_with_author(who: dict[str, str], *, orientation: int = 6) -> bytes:
    """tEXt, zTXt, iTXt (compressed and not), XMP, eXIf, a private chunk, bytes after IEND."""
    info = PngInfo()
    info.add_text("Author", who["username"])  # Latin-1 text: tEXt
    info.add_text("Copyright", who["email"], zip=True)  # zTXt
    info.add_itxt("Author", who["full_name"])
    info.add_itxt("Comment", who["library"], zip=True)
    info.add_itxt("XML:com.adobe.xmp", _xmp(who).decode())
    info.add(b"prVt", who["username"].encode())
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 30, 200)).save(buffer, "PNG", pnginfo=info, exif=_exif(who, orientation))
    return buffer.getvalue() + who["username"].encode()


def pdf_with_author(who: dict[str, str]) -> bytes:
    """/Info, XMP on the catalog and the page (compressed), /PieceInfo, a comment with its author,
    and a JPEG image carrying its own EXIF and XMP."""

    def build(writer, page):
        writer.add_metadata(
            {
                "/Author": who["full_name"],
                "/Creator": who["username"],
                "/Producer": who["email"],
                "/Title": who["library"],
                "/Company": who["library"],
            }
        )
        xmp = DecodedStreamObject()
        xmp.set_data(_xmp(who))
        xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
        writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
        page[NameObject("/Metadata")] = writer._add_object(xmp.flate_encode())
        page[NameObject("/PieceInfo")] = DictionaryObject(
            {NameObject("/Word"): DictionaryObject({NameObject("/Private"): TextStringObject(who["full_name"])})}
        )
        photo = jpeg_with_author(who, orientation=1)
        image = StreamObject()
        image._data = photo
        image.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Image"),
                NameObject("/Width"): NumberObject(64),
                NameObject("/Height"): NumberObject(48),
                NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
                NameObject("/BitsPerComponent"): NumberObject(8),
                NameObject("/Filter"): NameObject("/DCTDecode"),
            }
        )
        page[NameObject("/Resources")][NameObject("/XObject")] = DictionaryObject(
            {NameObject("/Im1"): writer._add_object(image)}
        )
        drawing = DecodedStreamObject()
        drawing.set_data(b"q 128 0 0 96 20 100 cm /Im1 Do Q")
        page[NameObject("/Contents")] = ArrayObject([page.raw_get("/Contents"), writer._add_object(drawing)])
        note = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Text"),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 30, 30)]),
                NameObject("/T"): TextStringObject(who["full_name"]),
                NameObject("/Contents"): TextStringObject("Cần sửa đoạn này"),
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(note)])

    return _pdf(build)


def pdf_with(catalog: dict | None = None, page_entries: dict | None = None) -> bytes:
    """A one-page PDF with these entries added to its catalog and its page."""

    def build(writer, page):
        for key, value in (catalog or {}).items():
            writer.root_object[NameObject(key)] = value
        for key, value in (page_entries or {}).items():
            page[NameObject(key)] = value

    return _pdf(build)


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
W15 = 'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"'
CT = "application/vnd.openxmlformats-officedocument"


def docx_with_author(who: dict[str, str]) -> bytes:
    """A Word document as Word writes one, with its author in core.xml, app.xml, custom.xml, the
    thumbnail, customXml (cover page), comments, tracked changes, people.xml, document
    variables and a photo's EXIF; and a hyperlink, the one outside reference allowed."""
    name, email, username, library = who["full_name"], who["email"], who["username"], who["library"]
    overrides = "".join(
        f'<Override PartName="/{part}" ContentType="{kind}"/>'
        for part, kind in (
            ("word/document.xml", f"{CT}.wordprocessingml.document.main+xml"),
            ("word/comments.xml", f"{CT}.wordprocessingml.comments+xml"),
            ("word/people.xml", "application/vnd.ms-word.people+xml"),
            ("word/settings.xml", f"{CT}.wordprocessingml.settings+xml"),
            ("word/header1.xml", f"{CT}.wordprocessingml.header+xml"),
            ("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("docProps/app.xml", f"{CT}.extended-properties+xml"),
            ("docProps/custom.xml", f"{CT}.custom-properties+xml"),
            ("customXml/itemProps1.xml", f"{CT}.customXmlProperties+xml"),
        )
    )
    content_types = (
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/>'
        + overrides
    )
    package = "http://schemas.openxmlformats.org/package/2006/relationships/metadata"
    root_rels = relationships(
        ("rId1", "officeDocument", "word/document.xml"),
        ("rId3", "extended-properties", "docProps/app.xml"),
        ("rId4", "custom-properties", "docProps/custom.xml"),
    )
    root_rels = root_rels.replace(
        "</Relationships>",
        f'<Relationship Id="rId2" Type="{package}/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId5" Type="{package}/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>',
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W} {W15} '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="w15"><w:body>'
        "<w:p><w:r><w:t>Tôi yêu sách.</w:t></w:r>"
        f'<w:ins w:id="1" w:author="{name}" w:date="2026-03-01T10:00:00Z"><w:r><w:t> Thêm câu.</w:t></w:r></w:ins>'
        f"<w:del w:id='2' w:author='{username}' w:date='2026-03-01T10:00:00Z'>"  # single quotes, as some tools write
        "<w:r><w:delText>Bỏ</w:delText></w:r></w:del>"
        '<w:commentRangeStart w:id="0"/><w:r><w:t>Đoạn có nhận xét</w:t></w:r><w:commentRangeEnd w:id="0"/>'
        '<w:r><w:commentReference w:id="0"/></w:r>'
        '<w:hyperlink r:id="rId9"><w:r><w:t>nguồn</w:t></w:r></w:hyperlink></w:p>'
        '<w:p><w:r><w:drawing><a:blip xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'r:embed="rId8"/></w:drawing></w:r></w:p>'
        '<w:sectPr><w:headerReference w:type="default" r:id="rId7"/></w:sectPr></w:body></w:document>'
    )
    parts = {
        "_rels/.rels": root_rels,
        "word/document.xml": document,
        "word/_rels/document.xml.rels": relationships(
            ("rId1", "settings", "settings.xml"),
            ("rId2", "comments", "comments.xml"),
            ("rId3", "people", "people.xml"),
            ("rId4", "customXml", "../customXml/item1.xml"),
            ("rId7", "header", "header1.xml"),
            ("rId8", "image", "media/image1.jpeg"),
            ("rId9", "hyperlink", "https://vi.wikipedia.org/wiki/T%E1%BA%AFt_%C4%91%C3%A8n", "External"),
        ),
        "word/comments.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<w:comments {W}><w:comment w:id="0" w:author="{name}" '
            f'w:date="2026-03-01T10:00:00Z" w:initials="HTBN"><w:p><w:r><w:t>Xem lại</w:t></w:r></w:p>'
            "</w:comment></w:comments>"
        ),
        "word/people.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<w15:people {W15}><w15:person w15:author="{name}">'
            f'<w15:presenceInfo w15:providerId="AD" w15:userId="S::{email}::0f3c"/></w15:person></w15:people>'
        ),
        "word/settings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<w:settings {W}><w:zoom w:percent="100"/>'
            f'<w:docVars><w:docVar w:name="Owner" w:val="{username}"/></w:docVars></w:settings>'
        ),
        "word/header1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<w:hdr {W}><w:p><w:ins w:id="3" w:author="{email}">'
            "<w:r><w:t>Đầu trang</w:t></w:r></w:ins></w:p></w:hdr>"
        ),
        "word/media/image1.jpeg": jpeg_with_author(who),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
            f"<dc:title>Bài dự thi - {library}</dc:title><dc:subject>{email}</dc:subject>"
            f"<dc:creator>{name}</dc:creator><cp:keywords>{username}</cp:keywords>"
            f"<cp:lastModifiedBy>{name}</cp:lastModifiedBy><cp:revision>3</cp:revision></cp:coreProperties>"
        ),
        "docProps/app.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Template>C:\\Users\\{username}\\Templates\\Normal.dotm</Template>"
            f"<Company>{library}</Company><Manager>{email}</Manager><Application>Microsoft Office Word</Application>"
            "</Properties>"
        ),
        "docProps/custom.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Properties '
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="Owner">'
            f"<vt:lpwstr>{name}</vt:lpwstr></property></Properties>"
        ),
        "docProps/thumbnail.jpeg": jpeg_with_author(who),
        "customXml/item1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>\n<CoverPageProperties '
            'xmlns="http://schemas.microsoft.com/office/2006/coverPageProps">'
            f"<CompanyEmail>{email}</CompanyEmail><CompanyAddress>{library}</CompanyAddress></CoverPageProperties>"
        ),
        "customXml/itemProps1.xml": '<?xml version="1.0"?>\n<ds:datastoreItem '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml" ds:itemID="{1}"/>',
        "customXml/_rels/item1.xml.rels": relationships(("rId1", "customXmlProps", "itemProps1.xml")),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{content_types}</Types>',
        )
        for part, data in parts.items():
            archive.writestr(part, data)
        archive.comment = f"{name}".encode()
    return buffer.getvalue()


# --- searching a file for strings -------------------------------------------------------------


def _png_texts(data: bytes) -> list[bytes]:
    """The inflated text of a PNG's zTXt and compressed iTXt chunks."""
    found, position = [], 8
    while position + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, position)
        kind, payload = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        if kind == b"zTXt":
            found.append(zlib.decompress(payload[payload.index(b"\x00") + 2 :]))
        elif kind == b"iTXt":
            keyword_end = payload.index(b"\x00")
            if payload[keyword_end + 1] == 1:
                rest = payload[keyword_end + 3 :]
                rest = rest[rest.index(b"\x00") + 1 :]  # language
                found.append(zlib.decompress(rest[rest.index(b"\x00") + 1 :]))  # translated keyword
        position += 12 + length
    return found


def _pdf_texts(data: bytes) -> list[bytes]:
    """Every stream of a PDF, decoded, and every string and name in it."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    seen = set()
    stack = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, StreamObject):
            found.append(item.get_data())
        if isinstance(item, dict):
            stack.extend(item.values())
            found.extend(str(key).encode() for key in item)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, ByteStringObject):
            found.append(bytes(item))
        elif isinstance(item, str):
            found.append(item.encode())
    return found


def expanded(data: bytes) -> list[bytes]:
    """The file's bytes, and everything inside it: zip members (and zips in them), PDF streams
    and strings, PNG compressed text."""
    views = [data]
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            views.append(archive.comment)
            for member in archive.infolist():
                views += expanded(archive.read(member))
    elif data.startswith(b"%PDF-"):
        views += _pdf_texts(data)
    elif data.startswith(b"\x89PNG"):
        views += _png_texts(data)
    return views


def found_in(data: bytes, needles) -> set[str]:
    """Which of the strings appear anywhere in the file, as UTF-8 or UTF-16 (either byte order)."""
    views = expanded(data)
    return {
        needle
        for needle in needles
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
        if any(needle.encode(encoding) in view for view in views)
    }


def zip_bomb_docx() -> bytes:
    """A valid-looking DOCX holding 50 MB of zeros: ~50 KB on the wire."""
    return docx_bytes(extra={"word/media/padding.bin": bytes(50 * 1024 * 1024)})


def attach(entry, data: bytes, *, kind: str = "pdf", name: str = "") -> None:
    """An attachment stored as the upload stores one, without going through the API: the file,
    then the judges' copy made the way the command makes it for older entries."""
    from submissions.services import entry_blind_attachment_make

    extension = {"pdf": "pdf", "docx": "docx", "jpeg": "jpg", "png": "png"}[kind]
    entry.attachment.save(f"upload.{extension}", ContentFile(data), save=False)
    entry.attachment_type, entry.attachment_name, entry.attachment_size = kind, name or f"bai.{extension}", len(data)
    entry.save()
    entry_blind_attachment_make(entry=entry)
    entry.refresh_from_db()


def upload(name: str, data: bytes, content_type="application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def multipart_raw(fields: dict[str, str], *, file_field: str, file_name: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body with the file name exactly as given (Django's test client would strip
    a path from it before sending, as a browser does)."""
    boundary = "----docsachboundary"
    parts = []
    for key, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def docx_with_corrupt_stream() -> bytes:
    """A DOCX whose document.xml is declared deflated but holds garbage."""
    data = bytearray(docx_bytes(extra={"word/styles.xml": "<styles>" + "x" * 4000 + "</styles>"}))
    start = data.index(b"word/styles.xml") + len(b"word/styles.xml")
    data[start : start + 40] = b"\xff" * 40
    return bytes(data)
