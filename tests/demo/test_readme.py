"""The README's API examples ("The API from a terminal"), run as written, by bash and curl, against
a server on the seeded demo."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from contests.enums import RoundStatus
from judging.models import Assignment
from people.models import Network
from submissions.models import Entry

ROOT = Path(__file__).resolve().parents[2]
MAKE_RUN = "http://127.0.0.1:8000"  # where the examples find `make run`'s server


def readme_examples() -> str:
    """The section's ```sh blocks, in order: one terminal session."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## The API from a terminal\n", 1)[1].split("\n## ", 1)[0]
    return "\n".join(re.findall(r"```sh\n(.*?)```", section, re.DOTALL))


@pytest.fixture
def server(demo, monkeypatch):
    """A live server in a thread that shares this test's database connection, and so sees the
    demo seeded in the transaction the test runs in (Django shares an in-memory SQLite database
    with its live server the same way). Only one of the two threads uses the connection at a
    time: the test waits for the examples while the server answers them."""
    shared = connections["default"]
    # The server closes its connections after each request; this one must outlive them.
    monkeypatch.setattr(shared, "close", lambda: None)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    shared.inc_thread_sharing()
    thread = LiveServerThread("127.0.0.1", _StaticFilesHandler, connections_override={"default": shared}, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
    shared.dec_thread_sharing()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def strict_curl(tmp_path) -> Path:
    """A `curl` first on the PATH that fails on an HTTP error, so that the script stops at the
    first example that does not answer 2xx (with what the server said)."""
    real = shutil.which("curl")
    if real is None:
        pytest.fail("the README's API examples need curl: apt-get install curl")
    shims = tmp_path / "bin"
    shims.mkdir()
    (shims / "curl").write_text(f'#!/bin/sh\nexec {real} --fail-with-body --show-error "$@"\n')
    (shims / "curl").chmod(0o755)
    return shims


def test_the_readmes_api_examples_run_as_written(server, strict_curl, tmp_path, demo):
    script = readme_examples()
    assert MAKE_RUN in script

    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script.replace(MAKE_RUN, server)],
        cwd=tmp_path,
        env={"PATH": f"{strict_curl}:/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, f"{done.stderr[-3000:]}\n--- printed ---\n{done.stdout[-3000:]}"
    assert '"valid":true' in done.stdout  # the certificate verified
    essay = Entry.objects.get(contest=demo.open, entrant__username="hs.moi")
    paper = Entry.objects.get(contest=demo.open, entrant__full_name="Nguyễn Thị Lan")
    assert (essay.status, essay.title, essay.library.short_name) == ("submitted", "Điều Tô Hoài dạy tôi", "VNU-LIC")
    assert (paper.is_paper, paper.library.short_name, paper.book_title) == (True, "VNU-LIC", "Tắt đèn")
    first, final = demo.judging.rounds.all()
    assert first.status == RoundStatus.CLOSED
    assert Assignment.objects.filter(round=final).count() == 65 * 5  # the top 5 of 13 libraries, 5 judges each
    assert Network.objects.get(name="Hội Thư viện Việt Nam").parent is None
    assert (tmp_path / "results.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    assert (tmp_path / "entries.csv").read_bytes().startswith(b"\xef\xbb\xbf")
