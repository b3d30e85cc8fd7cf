from decimal import Decimal

import pytest

from contests.enums import AdvanceRule, ContestStatus
from tests.factories import (
    CategoryFactory,
    ContestFactory,
    CriterionFactory,
    RoundFactory,
)


@pytest.fixture
def judged_contest(places):
    """Run by the north association (role_users' organizer), closed for entries."""
    return ContestFactory(title="Đại sứ Văn hóa đọc 2025", network=places.north, status=ContestStatus.CLOSED)


@pytest.fixture
def essays(judged_contest):
    return CategoryFactory(contest=judged_contest, name="Bài viết")


@pytest.fixture
def first_round(judged_contest):
    """Two criteria: content (weight 2, out of 10) and form (weight 1, out of 5); scale 25."""
    judging_round = RoundFactory(
        contest=judged_contest,
        name="Vòng sơ khảo",
        order=1,
        judges_per_entry=2,
        advance=AdvanceRule.TOP_N,
        advance_value=Decimal(2),
    )
    CriterionFactory(round=judging_round, name="Nội dung", weight=Decimal(2), max_score=Decimal(10))
    CriterionFactory(round=judging_round, name="Hình thức", weight=Decimal(1), max_score=Decimal(5))
    return judging_round


@pytest.fixture
def organizer(role_users):
    return role_users["network_organizer"]
