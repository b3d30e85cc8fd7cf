"""A Word document without its author: what Word's own Document Inspector calls "document
properties and personal information" and "custom XML data".

Refused (the original would be kept for the organizers, who open it in Word): macros, ActiveX
controls, embedded objects, DDE fields, and every relationship that reaches outside the file
(an attached template, a picture or frame loaded by URL ...) except a hyperlink to a web page
or an e-mail address, which does nothing until someone clicks it.

Cleaned in the judges' copy:
- docProps/core.xml (creator, lastModifiedBy, title, subject, keywords ...) and docProps/app.xml
  (Company, Manager, Template ...) are emptied; docProps/custom.xml, the thumbnail and
  customXml/ (cover-page fields, SharePoint properties) are left out;
- in every XML part, the attributes that name a person: w:author and w:initials of comments and
  tracked changes (document, headers, footers, notes), w15:author, userId and providerId of
  people.xml; and the document variables (w:docVars) of settings.xml;
- pictures (JPEG, PNG) lose their EXIF, XMP and text as uploaded pictures do (images.py);
- the zip is written anew: no comment, no timestamps.

Parts are rewritten as text, never parsed and serialized again: a serializer renames namespace
prefixes, and Word reads `mc:Ignorable="w14 w15"` by prefix. A DTD (forbidden in OOXML) is
refused, so no entity can hide a name or blow up a parser.
"""

import html
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile

from submissions.cleaning import Refused
from submissions.cleaning.images import jpeg_clean, png_clean

RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CORE_EMPTY = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
    b' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
APP_EMPTY = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)
_EMPTIED = {"/metadata/core-properties": CORE_EMPTY, "/extended-properties": APP_EMPTY}
_LEFT_OUT_TYPES = ("/custom-properties", "/metadata/thumbnail", "/customXml")
_LEFT_OUT_FOLDERS = ("customXml/",)

# Attributes naming a person, whatever their namespace prefix: <w:ins w:author="…">,
# <w:comment w:initials="…">, <w15:person w15:author="…"><w15:presenceInfo w15:userId="…">.
_PERSON_ATTRIBUTE = re.compile(r"""(\s(?:[\w.-]+:)?(?:author|initials|userId|providerId)\s*=\s*)(?:"[^"]*"|'[^']*')""")
_DOC_VARS_OPEN = re.compile(r"<((?:[\w.-]+:)?docVars)\b[^>]*?(/?)>")
_INSTRUCTION = re.compile(
    r"""<(?:[\w.-]+:)?instrText\b[^>]*>([^<]*)<|\s(?:[\w.-]+:)?instr\s*=\s*(?:"([^"]*)"|'([^']*)')"""
)
_LINK_SCHEMES = ("http://", "https://", "mailto:")  # a link to a file (file:, \\server\share) leaks when clicked
_DDE = re.compile(r"\bDDE(?:AUTO)?\b", re.IGNORECASE)
_MACRO_NAMES = re.compile(r"(?:^|/)(?:vbaProject\.bin|vbaData\.xml)$", re.IGNORECASE)
_MACRO_TYPES = re.compile(rb"macroEnabled|vbaProject|vbaData", re.IGNORECASE)
_ACTIVEX_TYPES = re.compile(rb"activeX|\.ocx", re.IGNORECASE)
_ATTRIBUTE = r"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)')"""


def _text(data: bytes) -> tuple[str, str]:
    """An XML part as text, and the encoding to write it back in."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding), encoding
    return data.decode("utf-8"), "utf-8"


def _relationships(name: str, data: bytes) -> list[dict]:
    """The relationships of a .rels part, with targets resolved to part names."""
    source_folder = posixpath.dirname(posixpath.dirname(name))  # word/_rels/x.rels -> word
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise Refused("docx_damaged") from None
    found = []
    for element in root.iter(f"{RELS_NS}Relationship"):
        target = element.get("Target", "")
        external = element.get("TargetMode", "Internal").lower() == "external"
        part = None
        if not external:
            joined = target.lstrip("/") if target.startswith("/") else posixpath.join(source_folder, target)
            part = posixpath.normpath(joined).lstrip("/")
        found.append(
            {
                "id": element.get("Id", ""),
                "type": element.get("Type", ""),
                "external": external,
                "target": target,
                "part": part,
            }
        )
    return found


def _relationship_remove(data: bytes, ids: set[str]) -> bytes:
    text, encoding = _text(data)

    def drop(match):
        identifier = re.search(_ATTRIBUTE.format(name="Id"), match.group(0))
        return "" if identifier and "".join(filter(None, identifier.groups())) in ids else match.group(0)

    text = re.sub(r"<(?:[\w.-]+:)?Relationship\b[^>]*?(?:/>|>\s*</(?:[\w.-]+:)?Relationship\s*>)", drop, text)
    return text.encode(encoding)


def _override_remove(data: bytes, parts: set[str]) -> bytes:
    text, encoding = _text(data)

    def drop(match):
        name = re.search(_ATTRIBUTE.format(name="PartName"), match.group(0))
        return "" if name and "".join(filter(None, name.groups())).lstrip("/") in parts else match.group(0)

    text = re.sub(r"<(?:[\w.-]+:)?Override\b[^>]*?(?:/>|>\s*</(?:[\w.-]+:)?Override\s*>)", drop, text)
    return text.encode(encoding)


def _doc_vars_remove(text: str) -> str:
    """settings.xml without <w:docVars>…</w:docVars>. Searched with find, not a lazy regex: a
    part full of unclosed openings must not cost the square of its length."""
    kept, position = [], 0
    while opening := _DOC_VARS_OPEN.search(text, position):
        if opening.group(2):  # <w:docVars/>
            end = opening.end()
        else:
            closing = text.find(f"</{opening.group(1)}>", opening.end())
            if closing < 0:
                break
            end = closing + len(opening.group(1)) + 3
        kept.append(text[position : opening.start()])
        position = end
    kept.append(text[position:])
    return "".join(kept)


def _active_content_check(parts: dict[str, bytes], relationships: dict[str, list[dict]]) -> None:
    content_types = parts.get("[Content_Types].xml", b"")
    if any(_MACRO_NAMES.search(name) for name in parts) or _MACRO_TYPES.search(content_types):
        raise Refused("docx_macros")
    if any("/activeX/" in f"/{name}" for name in parts) or _ACTIVEX_TYPES.search(content_types):
        raise Refused("docx_activex")
    if any("/embeddings/" in f"/{name}" for name in parts):
        raise Refused("docx_embedded")
    external = sorted(
        {
            relationship["type"].rsplit("/", 1)[-1] or "?"
            for found in relationships.values()
            for relationship in found
            if relationship["external"]
            and not (
                relationship["type"].endswith("/hyperlink")
                and relationship["target"].strip().lower().startswith(_LINK_SCHEMES)
            )
        }
    )
    if external:
        raise Refused("docx_external", tuple(external))
    for name, data in parts.items():
        if name.endswith(".xml") and name.startswith("word/"):
            text, _encoding = _text(data)
            pieces = ("".join(filter(None, match.groups())) for match in _INSTRUCTION.finditer(text))
            instructions = html.unescape("".join(pieces))
            if _DDE.search(instructions):
                raise Refused("docx_dde")


def docx_clean(data: bytes) -> bytes:
    """The judges' copy of a DOCX whose size was already checked (submissions.files)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [member for member in archive.infolist() if not member.is_dir()]
            names = [member.filename for member in members]
            if len(set(names)) != len(names):  # two members of one name: readers disagree on which counts
                raise Refused("docx_damaged")
            parts = {member.filename: archive.read(member) for member in members}
    except Refused:
        raise
    except Exception:  # BadZipFile, zlib.error, NotImplementedError (encrypted) ...
        raise Refused("docx_damaged") from None
    try:
        if any("<!DOCTYPE" in _text(part)[0] for name, part in parts.items() if name.endswith((".xml", ".rels"))):
            raise Refused("docx_damaged")
        relationships = {name: _relationships(name, part) for name, part in parts.items() if name.endswith(".rels")}
        _active_content_check(parts, relationships)
        return _clean(parts, relationships)
    except UnicodeDecodeError:
        raise Refused("docx_damaged") from None


def _clean(parts: dict[str, bytes], relationships: dict[str, list[dict]]) -> bytes:
    emptied: dict[str, bytes] = {}
    left_out = {name for name in parts if name.startswith(_LEFT_OUT_FOLDERS)}
    for found in relationships.values():
        for relationship in found:
            part = relationship["part"]
            if part is None:
                continue
            for suffix, empty in _EMPTIED.items():
                if relationship["type"].endswith(suffix):
                    emptied[part] = empty
            if relationship["type"].endswith(_LEFT_OUT_TYPES):
                left_out.add(part)
    # Metadata parts that no relationship names are still in the zip for anyone to read.
    for name in parts:
        if name.startswith("docProps/") and name not in emptied:
            left_out.add(name)
    left_out |= {posixpath.join(posixpath.dirname(n), "_rels", posixpath.basename(n) + ".rels") for n in left_out}
    cleaned: dict[str, bytes] = {}
    for name, part in parts.items():
        if name in left_out:
            continue
        if name in emptied:
            part = emptied[name]
        elif name.endswith(".rels"):
            dropped = {r["id"] for r in relationships[name] if r["part"] in left_out}
            if dropped:
                part = _relationship_remove(part, dropped)
        elif name == "[Content_Types].xml":
            part = _override_remove(part, left_out)
        elif name.lower().endswith(".xml"):
            text, encoding = _text(part)
            text = _PERSON_ATTRIBUTE.sub(r'\1""', text)
            text = _doc_vars_remove(text)
            part = text.encode(encoding)
        elif part.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
            try:
                part = jpeg_clean(part) if part.startswith(b"\xff") else png_clean(part)
            except Refused:
                raise Refused("docx_damaged") from None
        cleaned[name] = part
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(cleaned, key=lambda n: n != "[Content_Types].xml"):  # first, as Word writes it
            member = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            # Pictures are compressed already: deflating them again costs time and saves nothing.
            picture = cleaned[name].startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"))
            archive.writestr(member, cleaned[name], zipfile.ZIP_STORED if picture else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
