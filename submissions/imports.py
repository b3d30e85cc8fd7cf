"""Paper entries from a library's CSV file: all rows or none, each row checked as if it were
registered alone (submissions.services.paper_entry_register)."""

import csv
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.models import Contest
from core.errors import DomainError, NotAllowed
from core.idempotency import RequestKey, idempotency_check, idempotency_claim, idempotency_record
from core.parsing import ascii_number
from people.models import Library, User
from submissions.models import Entry
from submissions.permissions import can_register_paper_entry, contest_accepts_entries
from submissions.services import EDITABLE_FIELDS, SubmissionsClosed, paper_entry_register

CSV_COLUMNS = [
    "category",
    "entrant_full_name",
    "entrant_email",
    "title",
    "book_title",
    "book_author",
    "book_publisher",
    "book_year",
    "book_isbn",
    "body",
]
CSV_MAX_ROWS = 2000
CSV_MAX_BYTES = 5 * 1024 * 1024


class ImportRejected(DomainError):
    """The whole file is refused; `rows` says what is wrong with each bad row."""

    code = "import_rejected"

    def __init__(self, message, rows: list[dict[str, Any]]):
        super().__init__(message)
        self.rows = rows


def paper_entries_import(
    *, staff: User, contest: Contest, library: Library, data: bytes, request_key: RequestKey | None = None
) -> list[Entry]:
    """All rows or none: every row is checked (as if it were submitted alone, in order), and
    one bad row rolls the whole file back and is reported with its line number. Raises
    core.idempotency.RequestRepeated when `request_key` already imported the file."""
    if not can_register_paper_entry(staff, contest=contest, library=library):
        raise NotAllowed(_("Only the library's staff may register its paper entries."))
    idempotency_check(user=staff, request_key=request_key)
    if not contest_accepts_entries(contest):  # the file's fault in none of its rows
        raise SubmissionsClosed()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(_("The file must be a CSV saved as UTF-8."), field="file") from None
    try:  # Excel in Vietnamese locales saves CSV with semicolons; only the delimiter is guessed
        delimiter = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', restkey=_EXTRA)
    unknown = [c for c in (reader.fieldnames or []) if c not in CSV_COLUMNS]
    if unknown or len(set(reader.fieldnames or [])) != len(reader.fieldnames or []):
        raise DomainError(
            _("Unknown or repeated columns: {columns}. Expected: {expected}.").format(
                columns=", ".join(unknown) or ", ".join(reader.fieldnames), expected=", ".join(CSV_COLUMNS)
            ),
            field="file",
        )
    missing = [
        c
        for c in ("category", "entrant_full_name", "title", "book_title", "book_author")
        if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise DomainError(
            _("The CSV lacks the columns: {columns}. Expected: {expected}.").format(
                columns=", ".join(missing), expected=", ".join(CSV_COLUMNS)
            ),
            field="file",
        )
    categories = {c.name.casefold(): c for c in contest.categories.all()} | {
        str(c.pk): c for c in contest.categories.all()
    }
    try:
        rows = [(reader.line_num, row) for row in reader]  # line_num: where the record ends in the file
    except csv.Error as error:
        raise DomainError(
            _("The CSV cannot be read near line {line}: {error}.").format(line=reader.line_num, error=error),
            field="file",
        ) from None
    if not rows:
        raise DomainError(_("The CSV has no rows."), field="file")
    if len(rows) > CSV_MAX_ROWS:
        raise DomainError(_("At most {n} rows per file.").format(n=CSV_MAX_ROWS), field="file")
    errors, created = [], []
    with transaction.atomic():
        claim = idempotency_claim(user=staff, request_key=request_key)
        for line, row in rows:
            try:
                with transaction.atomic():
                    created.append(_import_row(staff, contest, library, categories, _row_clean(row)))
            except (DomainError, ValidationError) as error:
                errors.append({"row": line, "errors": _error_dict(error)})
        if errors:
            transaction.set_rollback(True)  # the key's claim too: the corrected file may be sent with it
        else:
            idempotency_record(claim, results=[entry.pk for entry in created])
    if errors:
        raise ImportRejected(
            _("{bad} of {total} rows have errors; nothing was imported.").format(bad=len(errors), total=len(rows)),
            rows=errors,
        )
    return created


_EXTRA = "__extra_cells__"
_ROW_LIMITS = {field.name: field.max_length for field in Entry._meta.fields if getattr(field, "max_length", None)}
_ROW_LIMITS |= {"entrant_full_name": 150, "entrant_email": 254, "body": 200_000}


def _row_clean(row: dict) -> dict[str, str]:
    """What the API's serializers check for a submitted entry, for one CSV row."""
    if row.get(_EXTRA):
        raise DomainError(_("This row has more cells than the header: is a comma in a text not quoted?"))
    cleaned = {key: (value or "").strip() for key, value in row.items() if key != _EXTRA}
    for key, value in cleaned.items():
        if "\x00" in value:
            raise DomainError(_("Null characters are not allowed."), field=key)
        if key in _ROW_LIMITS and len(value) > _ROW_LIMITS[key]:
            raise DomainError(
                _("Ensure this field has no more than {max_length} characters.").format(max_length=_ROW_LIMITS[key]),
                field=key,
            )
    if cleaned.get("entrant_email"):
        try:
            validate_email(cleaned["entrant_email"])
        except ValidationError:
            raise DomainError(_("Enter a valid email address."), field="entrant_email") from None
    return cleaned


def _import_row(staff, contest, library, categories, row) -> Entry:
    category = categories.get(row.get("category", "").casefold())
    if category is None:
        raise DomainError(_("No such category in this contest."), field="category")
    year = row.get("book_year", "")
    if year and not 1000 <= (ascii_number(year, digits=4) or 0) <= timezone.now().year:
        raise DomainError(_("Give the year as four digits."), field="book_year")
    values = {
        key: row.get(key, "") for key in EDITABLE_FIELDS if key not in ("book_year", "video_url")
    }  # a paper entry has no video link; the year was parsed above
    values["book_year"] = ascii_number(year, digits=4) if year else None
    return paper_entry_register(
        staff=staff,
        contest=contest,
        library=library,
        category=category,
        values=values,
        entrant_full_name=row.get("entrant_full_name", ""),
        entrant_email=row.get("entrant_email", ""),
    )


def _error_dict(error) -> dict[str, list[str]]:
    if isinstance(error, DomainError):
        return {error.field or "detail": [str(error.message)]}
    if hasattr(error, "error_dict"):
        return {key: [str(m) for m in messages] for key, messages in error.message_dict.items()}
    return {"detail": [str(m) for m in error.messages]}
