import pytest

from contests.enums import ContestStatus
from screening import services
from screening.models import Pair, Run
from tests.factories import ContestFactory, EntryFactory, StudentFactory
from tests.matrix import MatrixWorld, matrix_check, rows
from tests.screening import essays

# Screening is its contest's organizers' alone: nobody else learns that an entry was flagged.
ORGANIZERS = {
    "anonymous": 401,
    "student": 403,
    "judge": 403,
    "library_staff": 403,
    "network_organizer": 200,
    "platform_organizer": 200,
}
HIDDEN = ORGANIZERS | {"student": 404, "judge": 404, "library_staff": 404}

MATRIX = [
    *rows("contest-screening", "GET", **ORGANIZERS),
    *rows("contest-screening", "PATCH", **ORGANIZERS),
    *rows("contest-screening-runs", "POST", **ORGANIZERS | {"network_organizer": 202, "platform_organizer": 202}),
    *rows("screening-run-detail", "GET", **HIDDEN),
    *rows("screening-pair-list", "GET", **dict.fromkeys(ORGANIZERS, 200) | {"anonymous": 401}),
    *rows("screening-pair-detail", "GET", **HIDDEN),
    *rows("screening-pair-decide:fresh", "POST", **HIDDEN),
    *rows("screening-pair-forward", "POST", **HIDDEN),
]


@pytest.fixture
def world(role_users, places, django_capture_on_commit_callbacks) -> MatrixWorld:
    contest = ContestFactory(network=places.north, status=ContestStatus.CLOSED)

    def entry(body):
        return EntryFactory(category__contest=contest, entrant=StudentFactory(library=places.north_library), body=body)

    def fresh_pair():
        original, copy = entry(essays.ORIGINAL), entry(essays.EXACT_COPY)
        return Pair.objects.create(contest=contest, entry=original, other=copy, similarity=1)

    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(actor=role_users["platform_organizer"], contest=contest)
    pair = fresh_pair()
    assert Run.objects.get(pk=run.pk).status == "done"

    return MatrixWorld(
        users=role_users,
        urls={
            "contest-screening": lambda: ("contest-screening", {"pk": contest.pk}),
            "contest-screening-runs": lambda: ("contest-screening-runs", {"pk": contest.pk}),
            "screening-run-detail": lambda: ("screening-run-detail", {"pk": run.pk}),
            "screening-pair-list": lambda: ("screening-pair-list", {}),
            "screening-pair-detail": lambda: ("screening-pair-detail", {"pk": pair.pk}),
            "screening-pair-decide:fresh": lambda: ("screening-pair-decide", {"pk": fresh_pair().pk}),
            "screening-pair-forward": lambda: ("screening-pair-forward", {"pk": pair.pk}),
        },
        payloads={
            ("contest-screening", "PATCH"): lambda: {"hold_flagged": True},
            ("screening-pair-decide:fresh", "POST"): lambda: {"decision": "no_issue", "reason": "Trích dẫn sách"},
            ("screening-pair-forward", "POST"): lambda: {"note": "Xin lưu ý tính độc đáo của bài."},
        },
    )


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_screening_permission_matrix(world, row):
    matrix_check(world, row)
