"""Who sees a contest's result: its organizers always, everyone else once it is published."""

from contests.enums import ContestStatus
from contests.models import Contest
from contests.permissions import can_manage_contest

PUBLISHED = (ContestStatus.PUBLISHED, ContestStatus.ARCHIVED)


def can_view_results(user, contest: Contest) -> bool:
    return contest.status in PUBLISHED or can_manage_contest(user, contest)
