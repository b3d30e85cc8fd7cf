"""A PDF without its author, checked for content that acts by itself.

Refused: a PDF that is also a web page (HTML in its first kilobyte, where browsers sniff, or a
<script> anywhere), a password-protected one, and one holding anything that runs or opens
something: JavaScript (/JS, /JavaScript), actions that fire on their own (/AA, an /OpenAction
other than going to a page), /Launch, /SubmitForm, /ImportData, /GoToR, /GoToE, embedded
files (/EmbeddedFile(s), /EF, /FileAttachment annotations), media (/RichMedia, /Movie, /Sound,
/Screen, /Rendition, /3D), XFA forms (/XFA), and a link (/URI) to anything but a web page or
an e-mail address (file:, smb: and javascript: links act when clicked). Names are compared once parsed, so an escaped
name (/J#61vaScript) is caught too.

The judges' copy holds the pages only, each with what it needs to be drawn: the catalog's
extras (the XMP /Metadata, /OpenAction, outlines, names, the structure tree) stay behind; there
is no /Info (Author, Creator, Producer, Title ...); every /Metadata, /PieceInfo and
/LastModified left on a page, an image or a font is removed, comments lose their author (/T),
and JPEG images (/DCTDecode) lose their EXIF and XMP as a JPEG upload does.

pypdf is pure Python and a hostile file can make it loop or swell, so it runs in a child
process (`python -m submissions.cleaning.pdf`) under a CPU, memory and wall-clock limit, with
a cap on the number of objects; whatever goes wrong in there is a refusal, never a 500.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

from submissions.cleaning import Refused

CHECK_SECONDS = 30
CHECK_MEMORY = 2 * 1024**3
MAX_OBJECTS = 500_000
_ROOT = Path(__file__).resolve().parents[2]
_REFUSED, _TOO_BIG = 3, 4  # the child's exit codes

_HTML_EARLY = re.compile(rb"<(?:html|head|body|script|iframe|svg|meta|!doctype\s+html)\b", re.IGNORECASE)
# Anywhere in the file: seven exact bytes that never come up by chance in compressed data.
_SCRIPT = re.compile(rb"<script\b", re.IGNORECASE)

_ACTIVE_KEYS = {
    "/JS": "/JavaScript",
    "/JavaScript": "/JavaScript",
    "/AA": "/AA",
    "/EmbeddedFiles": "/EmbeddedFiles",
    "/EF": "/EmbeddedFile",
    "/RichMediaContent": "/RichMedia",
    "/RichMediaSettings": "/RichMedia",
    "/XFA": "/XFA",
}
_ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/Rendition",
    "/Movie",
    "/Sound",
    "/RichMediaExecute",
}
_ACTIVE_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"}
_METADATA_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")
_LINK_SCHEMES = ("http://", "https://", "mailto:")


def pdf_clean(data: bytes, *, seconds: int = CHECK_SECONDS, max_objects: int = MAX_OBJECTS) -> bytes:
    """The judges' copy of a PDF, or Refused."""
    if not data.startswith(b"%PDF-"):
        raise Refused("pdf_damaged")
    if _HTML_EARLY.search(data, 0, 1024) or _SCRIPT.search(data):
        raise Refused("pdf_polyglot")
    try:
        child = subprocess.run(
            [sys.executable, "-E", "-s", "-m", __name__, str(seconds), str(max_objects)],
            input=data,
            capture_output=True,
            timeout=seconds + 5,
            cwd=_ROOT,
        )
    except subprocess.TimeoutExpired:
        raise Refused("pdf_too_complex") from None
    if child.returncode == 0 and child.stdout.startswith(b"%PDF-"):
        return child.stdout
    if child.returncode == _REFUSED:
        verdict = json.loads(child.stdout)
        raise Refused(verdict["reason"], tuple(verdict["found"]))
    if child.returncode == _TOO_BIG or child.returncode < 0:  # out of memory, or killed by its CPU limit
        raise Refused("pdf_too_complex")
    # Anything else is this module's fault (pypdf missing ...), not the file's: a 500 is right.
    raise RuntimeError(f"the PDF check failed ({child.returncode}): {child.stderr.decode(errors='replace')[-2000:]}")


# --- in the child process ---------------------------------------------------------------------


def _resolved(value):
    return value.get_object() if hasattr(value, "get_object") else value


def _nested(obj):
    """The dictionaries in an object, itself included, not following references."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, DictionaryObject):
            yield item
            stack.extend(value for value in item.values() if not isinstance(value, IndirectObject))
        elif isinstance(item, ArrayObject):
            stack.extend(value for value in item if not isinstance(value, IndirectObject))


def _active_content(dictionary) -> set[str]:
    from pypdf.generic import DictionaryObject

    found = {_ACTIVE_KEYS[key] for key in dictionary if key in _ACTIVE_KEYS}
    action = _resolved(dictionary.get("/S"))
    if action in _ACTIVE_ACTIONS:
        found.add(str(action))
    if action == "/URI":  # a link to a web page or an address is fine; file:, smb:, javascript: are not
        uri = _resolved(dictionary.get("/URI"))
        uri = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri or "")
        if not uri.strip().lower().startswith(_LINK_SCHEMES):
            found.add("/URI")
    if _resolved(dictionary.get("/Subtype")) in _ACTIVE_SUBTYPES:
        found.add(str(_resolved(dictionary["/Subtype"])))
    if _resolved(dictionary.get("/Type")) == "/EmbeddedFile":
        found.add("/EmbeddedFile")
    open_action = _resolved(dictionary.get("/OpenAction"))
    if isinstance(open_action, DictionaryObject) and _resolved(open_action.get("/S")) != "/GoTo":
        found.add("/OpenAction")
    return found


def _objects(reader, max_objects: int):
    from pypdf.generic import IndirectObject

    references = [(number, generation) for generation, table in reader.xref.items() for number in table]
    references += [(number, 0) for number in reader.xref_objStm]
    if len(references) > max_objects:
        raise Refused("pdf_too_complex")
    yield reader.trailer
    for number, generation in references:
        yield reader.get_object(IndirectObject(number, generation, reader))


def _scrub(obj) -> None:
    from pypdf.generic import NameObject, StreamObject

    from submissions.cleaning.images import jpeg_clean

    for dictionary in _nested(obj):
        for key in _METADATA_KEYS:
            dictionary.pop(NameObject(key), None)
        subtype = _resolved(dictionary.get("/Subtype"))
        if "/Rect" in dictionary and subtype is not None and subtype != "/Widget":
            dictionary.pop(NameObject("/T"), None)  # a comment's author (a form field's /T is its name)
        if isinstance(dictionary, StreamObject):
            filters = _resolved(dictionary.get("/Filter"))
            if filters == "/DCTDecode" or (isinstance(filters, list) and list(filters) == ["/DCTDecode"]):
                try:
                    dictionary._data = jpeg_clean(dictionary._data)
                except Refused:
                    raise Refused("pdf_damaged") from None


def _clean(data: bytes, max_objects: int) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise Refused("pdf_encrypted")
    found: set[str] = set()
    for obj in _objects(reader, max_objects):
        for dictionary in _nested(obj):
            found |= _active_content(dictionary)
    if found:
        raise Refused("pdf_active", tuple(sorted(found)))
    if len(reader.pages) == 0:
        raise Refused("pdf_damaged")
    writer = PdfWriter()
    writer.pdf_header = reader.pdf_header  # the version the pages' features need
    for page in reader.pages:
        writer.add_page(page)
    writer.metadata = None  # no /Info at all, not even pypdf's /Producer
    for obj in writer._objects:
        if obj is not None:
            _scrub(obj)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _child(seconds: int, max_objects: int) -> int:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (CHECK_MEMORY, CHECK_MEMORY))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # it writes no file
    sys.setrecursionlimit(5000)  # pypdf recurses into nested arrays and dictionaries
    data = sys.stdin.buffer.read()
    try:
        cleaned = _clean(data, max_objects)
    except Refused as refused:
        sys.stdout.write(json.dumps({"reason": refused.reason, "found": list(refused.found)}))
        return _REFUSED
    except MemoryError:
        return _TOO_BIG
    except Exception:  # pypdf's errors for broken files are many kinds, and a RecursionError
        sys.stdout.write(json.dumps({"reason": "pdf_damaged", "found": []}))
        return _REFUSED
    sys.stdout.buffer.write(cleaned)
    return 0


if __name__ == "__main__":
    sys.exit(_child(int(sys.argv[1]), int(sys.argv[2])))
