from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from contests.enums import AdvanceRule, ContestStatus, RoundStatus
from results import prizes, publication
from results.models import CollectiveAward
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    ContestFactory,
    CriterionFactory,
    JudgeFactory,
    PrizeTierFactory,
    RoundFactory,
    ScoreFactory,
    StudentFactory,
    UserFactory,
)
from tests.results.helpers import ranking

NAMES = ["Nguyễn Thị Hường", "Trần Quốc Việt", "Lê Ngọc Ánh", "Đặng Thuỳ Dương", "Phạm Thị Hồng Nhung"]


@dataclass
class Published:
    contest: object
    entries: list
    judge: object
    organizer: object


@pytest.fixture
def published(places, role_users, settings, tmp_path, django_capture_on_commit_callbacks) -> Published:
    """A published contest of the north: five entrants with every Vietnamese tone mark in their
    names (the first, role_users' student); Nhất 1 and Nhì 1; a special prize for the third; a
    judge who scored; a collective prize for the north library."""
    settings.MEDIA_ROOT = tmp_path / "media"
    organizer = role_users["network_organizer"]
    contest = ContestFactory(title="Đại sứ Văn hóa đọc 2025", network=places.north, status=ContestStatus.JUDGING)
    category = CategoryFactory(contest=contest, name="THPT & Đại học")
    final = RoundFactory(
        contest=contest, name="Chung khảo", order=1, advance=AdvanceRule.NONE, status=RoundStatus.CLOSED
    )
    CriterionFactory(round=final, max_score=Decimal(10))
    PrizeTierFactory(contest=contest, name="Giải Nhất", rank=1, quota=1)
    PrizeTierFactory(contest=contest, name="Giải Nhì", rank=2, quota=1)
    entries = ranking(final, category, places.north_library, [1, 2, 3, 4, 5])
    for entry, name in zip(entries, NAMES, strict=True):
        entry.entrant.full_name = name
        entry.entrant.save()
    entries[0].entrant = role_users["student"]
    entries[0].save()
    role_users["student"].full_name = NAMES[0]
    role_users["student"].publish_consent_at = timezone.now()  # the others' names are withheld in public
    role_users["student"].save()
    judge = JudgeFactory(round=final, user=UserFactory(full_name="Vũ Hoàng Long")).user
    ScoreFactory(assignment=AssignmentFactory(round=final, entry=entries[1], judge=judge))
    prizes.prizes_award(actor=organizer, contest=contest)
    prizes.special_prize_give(actor=organizer, contest=contest, entry_id=entries[2].pk, name="Bài viết sáng tạo")
    CollectiveAward.objects.create(contest=contest, library=places.north_library, name="Đơn vị tích cực")
    with django_capture_on_commit_callbacks(execute=True):
        publication.results_publish(actor=organizer, contest=contest)
    return Published(contest=contest, entries=entries, judge=judge, organizer=organizer)


@pytest.fixture
def other_student(places):
    return StudentFactory(full_name="Hoàng Văn Nam", library=places.south_library)
