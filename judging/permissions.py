"""Who may do what in judging. Organizers of the contest run its rounds; a judge scores only
their own assignments, blind, while the round is scoring; results stay with the organizers
until the contest is published."""

from django.db.models import QuerySet

from contests.enums import RESULTS_OUT, RoundStatus
from contests.models import Round
from contests.permissions import can_manage_contest
from judging.models import Assignment, Judge
from submissions.enums import EntryStatus


def can_manage_round(user, judging_round: Round) -> bool:
    return can_manage_contest(user, judging_round.contest)


def is_judge(user, judging_round: Round) -> bool:
    return bool(user.is_authenticated) and Judge.objects.filter(round=judging_round, user=user).exists()


def round_takes_scores(judging_round: Round) -> bool:
    """Marks change only while the round scores and the contest's result is not out."""
    return judging_round.status == RoundStatus.SCORING and judging_round.contest.status not in RESULTS_OUT


def can_view_round_results(user, judging_round: Round) -> bool:
    return can_manage_round(user, judging_round) or judging_round.contest.status in RESULTS_OUT


def assignments_visible_to(user, assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """A judge's own, and only for entries still in the contest; nobody else's (organizers
    follow progress through the round's progress view, not the judges' queues)."""
    if not user.is_authenticated:
        return assignments.none()
    return assignments.filter(judge=user, entry__status=EntryStatus.SUBMITTED)
