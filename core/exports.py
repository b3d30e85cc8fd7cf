"""The one CSV streamer: every CSV export (entries, results, leaderboards) goes out through
csv_response, so they share the BOM, the formula guard and streaming."""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse


def spreadsheet_cell(value):
    # A cell starting with = + - @ is a formula to Excel: quote it, so an entry titled
    # "=HYPERLINK(...)" stays text on the organizer's machine.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Echo:
    """csv.writer writes into this; each row goes straight out to the client."""

    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterable[str]:
    """The file, a row at a time: UTF-8 with a BOM (else Excel reads Vietnamese as mojibake),
    the header as given, every cell of the rows through spreadsheet_cell."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([spreadsheet_cell(value) for value in row])


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """Streamed, so that a contest's thousands of rows never sit in memory; `rows` should be
    lazy too (a generator over .iterator())."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
