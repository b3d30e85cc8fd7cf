"""Who sees a contest's result: its organizers always, everyone else once it is published."""

from contests.enums import RESULTS_OUT
from contests.models import Contest
from contests.permissions import can_manage_contest


def can_view_results(user, contest: Contest) -> bool:
    return contest.status in RESULTS_OUT or can_manage_contest(user, contest)
