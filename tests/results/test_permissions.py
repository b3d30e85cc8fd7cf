import pytest

from contests.enums import AdvanceRule, ContestStatus, RoundStatus
from results import prizes
from results.leaderboard import leaderboard_refresh
from results.models import CollectiveAward
from tests.factories import CategoryFactory, ContestFactory, PrizeTierFactory, RoundFactory
from tests.matrix import MatrixWorld, matrix_check, rows
from tests.results.helpers import ranking

# The contest is the north's, in judging: its organizers do everything; the others are refused.
WRITE = {
    "anonymous": 401,
    "student": 403,
    "judge": 403,
    "library_staff": 403,
    "network_organizer": 200,
    "platform_organizer": 200,
}
CREATE = WRITE | {"network_organizer": 201, "platform_organizer": 201}
# Reads are public, but the result is the organizers' until it is published.
READ_BEFORE = WRITE | {"anonymous": 403}
READ_AFTER = dict.fromkeys(WRITE, 200)
DELETE = {
    "anonymous": 401,
    "student": 404,
    "judge": 404,
    "library_staff": 404,
    "network_organizer": 204,
    "platform_organizer": 204,
}

MATRIX = [
    *rows("contest-publish", "POST", **WRITE),
    *rows("contest-unpublish:published", "POST", **WRITE),
    *rows("contest-prizes", "GET", **WRITE),
    *rows("contest-prizes", "POST", **WRITE),
    *rows("contest-award-override", "POST", **WRITE),
    *rows("contest-special-prize", "POST", **CREATE),
    *rows("contest-collective-awards", "POST", **CREATE),
    *rows("award-detail", "DELETE", **DELETE),
    *rows("collective-award-detail", "DELETE", **DELETE),
]
for _name in (
    "contest-awards",
    "contest-collective-awards",
    "contest-results",
    "contest-results-csv",
    "contest-leaderboard",
    "contest-leaderboard-csv",
):
    MATRIX += [*rows(_name, "GET", **READ_BEFORE), *rows(f"{_name}:published", "GET", **READ_AFTER)]


def judged(places, status):
    contest = ContestFactory(network=places.north, status=status)
    category = CategoryFactory(contest=contest)
    final_round = RoundFactory(contest=contest, order=1, advance=AdvanceRule.NONE, status=RoundStatus.CLOSED)
    PrizeTierFactory(contest=contest, rank=1, quota=2)
    entries = ranking(final_round, category, places.north_library, [1, 2, 3])
    return contest, entries


@pytest.fixture
def world(role_users, places) -> MatrixWorld:
    organizer = role_users["network_organizer"]
    contest, entries = judged(places, ContestStatus.JUDGING)
    prizes.prizes_award(actor=organizer, contest=contest)
    leaderboard_refresh(contest=contest)
    published, _ = judged(places, ContestStatus.PUBLISHED)
    leaderboard_refresh(contest=published)
    special = prizes.special_prize_give(actor=organizer, contest=contest, entry_id=entries[2].pk, name="Sáng tạo")
    collective = CollectiveAward.objects.create(contest=contest, library=places.north_library, name="Đơn vị tích cực")

    urls = {
        "award-detail": lambda: ("award-detail", {"pk": special.pk}),
        "collective-award-detail": lambda: ("collective-award-detail", {"pk": collective.pk}),
        "contest-unpublish:published": lambda: ("contest-unpublish", {"pk": published.pk}),
    }
    for name in (
        "contest-publish",
        "contest-prizes",
        "contest-award-override",
        "contest-special-prize",
        "contest-awards",
        "contest-collective-awards",
        "contest-results",
        "contest-results-csv",
        "contest-leaderboard",
        "contest-leaderboard-csv",
    ):
        urls[name] = lambda name=name: (name, {"pk": contest.pk})
        urls[f"{name}:published"] = lambda name=name: (name, {"pk": published.pk})
    return MatrixWorld(
        users=role_users,
        urls=urls,
        payloads={
            ("contest-unpublish:published", "POST"): lambda: {"reason": "Sửa sai sót"},
            ("contest-award-override", "POST"): lambda: {"entry": entries[2].pk, "tier": None, "reason": "Phúc khảo"},
            ("contest-special-prize", "POST"): lambda: {"entry": entries[1].pk, "name": "Cảm hứng"},
            ("contest-collective-awards", "POST"): lambda: {"library": places.north_library.pk, "name": "Tập thể"},
        },
    )


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_results_permission_matrix(world, row):
    matrix_check(world, row)
