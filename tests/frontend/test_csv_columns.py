"""The library page's copy of the paper-entry CSV columns, its template file and the README say
what the server reads (submissions.imports.CSV_COLUMNS)."""

import csv
import json
import re
from pathlib import Path

from submissions.imports import CSV_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "frontend" / "static" / "frontend"


def test_the_library_pages_columns_are_the_servers():
    script = (STATIC / "pages" / "library.js").read_text()

    listed = re.search(r"const CSV_COLUMNS = (\[.*?\]);", script, re.DOTALL).group(1)

    assert json.loads(re.sub(r",\s*\]", "]", listed)) == CSV_COLUMNS


def test_the_template_file_has_the_servers_columns():
    with (STATIC / "library-import-template.csv").open(encoding="utf-8-sig", newline="") as template:
        header = next(csv.reader(template))

    assert header == CSV_COLUMNS


def test_the_readme_lists_the_servers_columns():
    readme = " ".join((ROOT / "README.md").read_text().split())

    listed = re.search(r"`…/paper_entries/import/`, multipart: [^;]*; columns `([^`]*)`", readme).group(1)

    assert listed.split(", ") == CSV_COLUMNS
