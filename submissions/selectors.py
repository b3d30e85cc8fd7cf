from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from contests.models import Category, Contest
from people.models import Library, User
from submissions.enums import EntryStatus
from submissions.models import Entry
from submissions.permissions import entries_visible_to


def entries_list(*, user) -> QuerySet[Entry]:
    entries = Entry.objects.select_related("contest", "category", "entrant", "library")
    return entries_visible_to(user, entries)


def upload_limit(*, contest_id: int | None = None, entry_id: int | None = None) -> int | None:
    """The largest body an upload to this contest (or to this entry's category) may be: its
    largest file plus room for the form's fields. None when there is nothing to go by."""
    categories = Category.objects.filter(contest_id=contest_id) if contest_id else Category.objects.none()
    if entry_id:
        categories = Category.objects.filter(entries__pk=entry_id)
    largest_mb = categories.aggregate(largest=Max("max_file_mb"))["largest"]
    return None if largest_mb is None else largest_mb * 1024 * 1024 + settings.UPLOAD_MARGIN_BYTES


def library_summary(*, contest: Contest, library: Library) -> dict:
    entries = Entry.objects.filter(contest=contest, library=library).exclude(status=EntryStatus.WITHDRAWN)
    by_category = entries.values("category", "category__name").annotate(entries=Count("id")).order_by("category")
    return {
        "library": library,
        "members": User.objects.filter(library=library).count(),
        "entrants": entries.values("entrant").distinct().count(),
        "entries": entries.count(),
        "by_category": [
            {"category": row["category"], "name": row["category__name"], "entries": row["entries"]}
            for row in by_category
        ],
        "latest": list(entries.select_related("contest", "category", "entrant", "library")[:10]),
    }


EXPORT_COLUMNS = [
    ("code", "Mã bài thi"),
    ("status", "Trạng thái"),
    ("category", "Bảng thi"),
    ("title", "Tên bài"),
    ("book", "Sách"),
    ("author", "Tác giả"),
    ("entrant", "Họ và tên"),
    ("email", "Email"),
    ("library", "Thư viện"),
    ("network", "Mạng lưới"),
    ("words", "Số chữ"),
    ("attachment", "Tệp đính kèm"),
    ("video", "Video"),
    ("paper", "Bài giấy"),
    ("submitted", "Thời gian nộp"),
]


def entries_export_rows(entries: QuerySet[Entry]) -> Iterator[list]:
    """The rows of the entries' CSV (core.exports.csv_response), in EXPORT_COLUMNS' order."""
    rows = entries.select_related("category", "entrant", "library__network").order_by("created_at", "id")
    for entry in rows.iterator(chunk_size=2000):
        yield [
            entry.code,
            entry.get_status_display(),
            entry.category.name,
            entry.title,
            entry.book_title,
            entry.book_author,
            entry.entrant.full_name,
            entry.entrant.email,
            entry.library.name,
            entry.library.network.name,
            entry.word_count,
            entry.attachment_name,
            entry.video_url,
            "x" if entry.is_paper else "",
            timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M"),
        ]
