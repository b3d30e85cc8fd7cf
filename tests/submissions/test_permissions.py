import itertools

import pytest
from django.core.files.base import ContentFile

from tests.factories import CategoryFactory, ContestFactory, EntryFactory, StudentFactory
from tests.files import PDF, upload
from tests.matrix import ROLES, MatrixWorld, matrix_check, rows

_unique = itertools.count(1)
ALL = dict.fromkeys(ROLES, 200) | {"anonymous": 401}
ORGANIZERS = {"anonymous": 401, "student": 403, "judge": 403, "library_staff": 403}
STAFF_AND_ORGANIZERS = {"anonymous": 401, "student": 403, "judge": 403}
# A judge is a signed-in user with no library and no entries of their own: they see no entry here.
NOT_JUDGES = {"judge": 404}

MATRIX = [
    # Only a student has a library to submit through; others are told so (400).
    *rows(
        "contest-entries",
        "POST",
        anonymous=401,
        student=201,
        judge=400,
        library_staff=400,
        network_organizer=400,
        platform_organizer=400,
    ),
    *rows("contest-entries-export", "GET", **ORGANIZERS, network_organizer=200, platform_organizer=200),
    *rows(
        "contest-paper-entries",
        "POST",
        **STAFF_AND_ORGANIZERS,
        library_staff=201,
        network_organizer=201,
        platform_organizer=201,
    ),
    *rows(
        "contest-paper-entries-import",
        "POST",
        **STAFF_AND_ORGANIZERS,
        library_staff=201,
        network_organizer=201,
        platform_organizer=201,
    ),
    *rows(
        "contest-library-summary",
        "GET",
        **STAFF_AND_ORGANIZERS,
        library_staff=200,
        network_organizer=200,
        platform_organizer=200,
    ),
    *rows("entry-list", "GET", **ALL),
    *rows("entry-detail:own", "GET", **ALL | NOT_JUDGES),
    *rows("entry-detail:other", "GET", **dict.fromkeys(ROLES, 404) | {"anonymous": 401, "platform_organizer": 200}),
    *rows("entry-detail:own", "PATCH", **ALL | NOT_JUDGES | {"library_staff": 403}),
    *rows(
        "entry-detail:fresh",
        "DELETE",
        anonymous=401,
        student=204,
        judge=404,
        library_staff=403,
        network_organizer=204,
        platform_organizer=204,
    ),
    *rows("entry-disqualify:fresh", "POST", **ORGANIZERS | NOT_JUDGES, network_organizer=200, platform_organizer=200),
    *rows("entry-attachment:own", "GET", **ALL | NOT_JUDGES),
]


@pytest.fixture
def world(role_users, places, contest, category, settings, tmp_path) -> MatrixWorld:
    settings.MEDIA_ROOT = tmp_path
    student = role_users["student"]
    own = EntryFactory(category=category, entrant=student)
    own.attachment.save("bai.pdf", ContentFile(PDF))
    own.attachment_type, own.attachment_name = "pdf", "bai.pdf"
    own.save()
    south_contest = ContestFactory(network=places.south)
    other = EntryFactory(
        category=CategoryFactory(contest=south_contest), entrant=StudentFactory(library=places.south_library)
    )
    roomy = CategoryFactory(contest=contest, name="Bảng rộng", max_entries_per_entrant=100)

    def fresh():
        return {"pk": EntryFactory(category=category, entrant=student).pk}

    def paper_row():
        n = next(_unique)
        return f"{roomy.name},Phạm Thị Hồng Nhung,nhung{n}@example.com,Bài {n},Số đỏ,Vũ Trọng Phụng,Nội dung\n"

    csv_header = "category,entrant_full_name,entrant_email,title,book_title,book_author,body\n"
    on_contest = lambda name: lambda: (name, {"contest_id": contest.pk})
    return MatrixWorld(
        users=role_users,
        urls={
            "contest-entries": on_contest("contest-entries"),
            "contest-entries-export": on_contest("contest-entries-export"),
            "contest-paper-entries": on_contest("contest-paper-entries"),
            "contest-paper-entries-import": on_contest("contest-paper-entries-import"),
            "contest-library-summary": lambda: (
                "contest-library-summary",
                {"contest_id": contest.pk},
                {"library": places.north_library.pk},
            ),
            "entry-list": lambda: ("entry-list", {}),
            "entry-detail:own": lambda: ("entry-detail", {"pk": own.pk}),
            "entry-detail:other": lambda: ("entry-detail", {"pk": other.pk}),
            "entry-detail:fresh": lambda: ("entry-detail", fresh()),
            "entry-disqualify:fresh": lambda: ("entry-disqualify", fresh()),
            "entry-attachment:own": lambda: ("entry-attachment", {"pk": own.pk}),
        },
        payloads={
            ("contest-entries", "POST"): lambda: {
                "category": roomy.pk,
                "title": "Bài",
                "book_title": "Sách",
                "book_author": "Tác giả",
                "body": "Nội dung",
            },
            ("contest-paper-entries", "POST"): lambda: {
                "library": places.north_library.pk,
                "category": roomy.pk,
                "entrant_full_name": "Hoàng Minh Khoa",
                "title": "Bài giấy",
                "book_title": "Sách",
                "book_author": "Tác giả",
                "body": "Nội dung",
            },
            ("contest-paper-entries-import", "POST"): lambda: {
                "library": places.north_library.pk,
                "file": upload("bai.csv", (csv_header + paper_row()).encode()),
            },
            ("entry-detail:own", "PATCH"): lambda: {"title": "Tên mới"},
            ("entry-disqualify:fresh", "POST"): lambda: {"reason": "Đạo văn"},
        },
    )


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_submissions_permission_matrix(world, row):
    matrix_check(world, row)
