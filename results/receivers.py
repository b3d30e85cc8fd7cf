"""Results listens to judging and submissions (which must not import it): a closed round
refreshes the contest's leaderboard once the close commits; an entry withdrawn or disqualified
moves the places (and prizes) below it up."""

from django.dispatch import receiver

from core.services import task_enqueue_on_commit
from judging.signals import round_closed
from results.prizes import prizes_follow_standing
from results.tasks import leaderboard_refresh_task
from submissions.signals import entry_left


@receiver(round_closed)
def leaderboard_after_round_close(sender, judging_round, **kwargs):
    task_enqueue_on_commit(leaderboard_refresh_task, contest_id=judging_round.contest_id)


@receiver(entry_left)
def prizes_after_an_entry_left(sender, entry, actor, **kwargs):
    prizes_follow_standing(actor=actor, contest=entry.contest)
