"""The text of an entry's DOCX or PDF attachment, for screening.

Attachments are whatever entrants send, so they are read as hostile: in a child process
(`python -m screening.extraction`) with a memory ceiling, a time limit per file enforced from
outside, and limits of its own inside (the unpacked size of a DOCX, the pages of a PDF, the
length of the text kept). A file that breaks any of them is reported as not read, never
half-read, and the child is replaced for the files after it. This module imports no Django:
the child needs only the standard library and pypdf.

DOCX: word/document.xml, streamed through expat (paragraphs and line breaks become newlines);
a file declaring a DTD is refused outright (no entity tricks). PDF: pypdf's text extraction, page
by page. A PDF with no text layer (a scan) is reported as such: it cannot be screened.
"""

import contextlib
import json
import os
import resource
import select
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import XMLPullParser

MAX_TEXT = 200_000  # characters kept: a 5,000-word essay is about 30,000
DOCX_MAX_MEMBERS = 2_000
DOCX_MAX_XML = 30 * 1024 * 1024  # word/document.xml once unzipped
PDF_MAX_PAGES = 300
CHILD_MEMORY = 1024 * 1024 * 1024  # address space of the child
TIMEOUT = float(os.environ.get("SCREENING_EXTRACT_TIMEOUT", "30"))  # seconds per file

UNREADABLE, NO_TEXT, TIMEOUT_ERROR = "unreadable", "no_text", "timeout"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class Refused(Exception):
    pass


@dataclass(frozen=True)
class Extracted:
    text: str = ""
    error: str = ""  # "", UNREADABLE, NO_TEXT or TIMEOUT_ERROR


# Inside the child -------------------------------------------------------------------------


def docx_text(path: str) -> str:
    with zipfile.ZipFile(path) as archive:
        if len(archive.infolist()) > DOCX_MAX_MEMBERS:
            raise Refused("too many members")
        member = archive.getinfo("word/document.xml")
        if member.file_size > DOCX_MAX_XML:
            raise Refused("document.xml too large")
        parser = XMLPullParser(events=("start", "end"))
        parts: list[str] = []
        kept, read = 0, 0
        with archive.open(member) as stream:
            while chunk := stream.read(64 * 1024):
                read += len(chunk)
                if read > DOCX_MAX_XML:  # the size in the zip's directory can lie
                    raise Refused("document.xml too large")
                if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
                    raise Refused("a DTD")
                parser.feed(chunk)
                for event, element in parser.read_events():
                    if event == "end" and element.tag == f"{_W}t" and element.text:
                        parts.append(element.text)
                        kept += len(element.text)
                    elif event == "end" and element.tag == f"{_W}p":
                        parts.append("\n")
                        element.clear()
                    elif event == "start" and element.tag in (f"{_W}br", f"{_W}tab"):
                        parts.append("\n" if element.tag == f"{_W}br" else "\t")
                if kept > MAX_TEXT:
                    break
        return "".join(parts)[:MAX_TEXT]


def pdf_text(path: str) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path, strict=False)
    parts: list[str] = []
    kept = 0
    for number, page in enumerate(reader.pages):
        if number >= PDF_MAX_PAGES or kept > MAX_TEXT:
            break
        text = page.extract_text() or ""
        parts.append(text)
        kept += len(text)
    return "\n".join(parts)[:MAX_TEXT]


def extract_one(path: str, file_type: str) -> Extracted:
    try:
        text = docx_text(path) if file_type == "docx" else pdf_text(path)
    except Exception:  # broken zips, broken PDFs, refusals, MemoryError: all mean "not read"
        return Extracted(error=UNREADABLE)
    text = text.strip()
    return Extracted(text=text) if text else Extracted(error=NO_TEXT)


def _child() -> None:
    """Reads one job a line ({"path", "type"}) and answers one line each, in order."""
    for line in sys.stdin:
        job = json.loads(line)
        result = extract_one(job["path"], job["type"])
        sys.stdout.write(json.dumps({"text": result.text, "error": result.error}) + "\n")
        sys.stdout.flush()


def _limits() -> None:  # in the child, before it runs any of our code
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# In the parent ----------------------------------------------------------------------------


def extract_many(jobs: list[tuple[str, str]], *, timeout: float = TIMEOUT) -> list[Extracted]:
    """The text of each (path, file type) job, in order. One child reads them one after another;
    a file that takes longer than `timeout`, or kills the child, is reported (TIMEOUT_ERROR,
    UNREADABLE) and a new child goes on with the next."""
    results: list[Extracted] = []
    while len(results) < len(jobs):
        results.extend(_child_run(jobs[len(results) :], timeout))
    return results


def _child_run(jobs: list[tuple[str, str]], timeout: float) -> list[Extracted]:
    """Hands the jobs to one child, one at a time, until they are done or the child fails one."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    child = subprocess.Popen(
        [sys.executable, "-m", "screening.extraction"],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        preexec_fn=_limits,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": root},
    )
    results: list[Extracted] = []
    buffer = b""
    try:
        for path, file_type in jobs:
            try:
                child.stdin.write((json.dumps({"path": path, "type": file_type}) + "\n").encode())
                child.stdin.flush()
            except BrokenPipeError:
                results.append(Extracted(error=UNREADABLE))  # the child died on the job before
                return results
            deadline = time.monotonic() + timeout
            while b"\n" not in buffer:
                ready, _, _ = select.select([child.stdout], [], [], max(deadline - time.monotonic(), 0))
                if not ready:
                    results.append(Extracted(error=TIMEOUT_ERROR))
                    return results
                chunk = os.read(child.stdout.fileno(), 1 << 20)
                if not chunk:  # the child died (its memory ceiling, a crash)
                    results.append(Extracted(error=UNREADABLE))
                    return results
                buffer += chunk
            line, buffer = buffer.split(b"\n", 1)
            answer = json.loads(line)
            results.append(Extracted(text=answer["text"], error=answer["error"]))
        return results
    finally:
        child.kill()
        child.wait()
        with contextlib.suppress(OSError):
            child.stdin.close()
        child.stdout.close()


if __name__ == "__main__":
    _child()
