from decimal import Decimal

import pytest

from contests.enums import AdvanceRule, ContestStatus, RoundStatus
from tests.factories import CategoryFactory, ContestFactory, PrizeTierFactory, RoundFactory


@pytest.fixture
def judged_contest(places):
    """In judging, run by the north association (role_users' organizer)."""
    return ContestFactory(title="Đại sứ Văn hóa đọc 2025", network=places.north, status=ContestStatus.JUDGING)


@pytest.fixture
def essays(judged_contest):
    return CategoryFactory(contest=judged_contest, name="Bài viết")


@pytest.fixture
def videos(judged_contest):
    return CategoryFactory(contest=judged_contest, name="Video")


@pytest.fixture
def final_round(judged_contest):
    """The contest's only round, closed."""
    return RoundFactory(
        contest=judged_contest, name="Chung khảo", order=1, advance=AdvanceRule.NONE, status=RoundStatus.CLOSED
    )


@pytest.fixture
def tiers(judged_contest) -> dict:
    """Nhất 1 (10 points), Nhì 2 (5), Ba 3 (2)."""
    return {
        name: PrizeTierFactory(contest=judged_contest, name=f"Giải {name}", rank=rank, quota=quota, points=points)
        for name, rank, quota, points in (("Nhất", 1, 1, 10), ("Nhì", 2, 2, 5), ("Ba", 3, 3, 2))
    }


@pytest.fixture
def organizer(role_users):
    return role_users["network_organizer"]


def scores(values) -> list[Decimal]:
    return [Decimal(str(value)) for value in values]
