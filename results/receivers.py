"""Results listens to judging (which must not import it): a closed round refreshes the
contest's leaderboard once the close commits."""

from django.dispatch import receiver

from core.services import task_enqueue_on_commit
from judging.signals import round_closed
from results.tasks import leaderboard_refresh_task


@receiver(round_closed)
def leaderboard_after_round_close(sender, judging_round, **kwargs):
    task_enqueue_on_commit(leaderboard_refresh_task, contest_id=judging_round.contest_id)
