"""Who sees and decides screening's findings: the contest's organizers only. Judges never see a
flag (judging shows them only what an organizer sent on); entrants and libraries never do."""

from django.db.models import QuerySet

from contests.models import Contest
from contests.permissions import can_manage_contest, contests_managed_by
from screening.models import Pair, Run


def can_screen_contest(user, contest: Contest) -> bool:
    return can_manage_contest(user, contest)


def pairs_visible_to(user, pairs: QuerySet[Pair]) -> QuerySet[Pair]:
    if not (user and user.is_authenticated):
        return pairs.none()
    return pairs.filter(contest__in=contests_managed_by(user, Contest.objects.all()))


def runs_visible_to(user, runs: QuerySet[Run]) -> QuerySet[Run]:
    if not (user and user.is_authenticated):
        return runs.none()
    return runs.filter(contest__in=contests_managed_by(user, Contest.objects.all()))
