from celery import shared_task
from django.db import transaction

from contests.models import Contest
from core.outbox import outbox_current_done, outbox_heartbeat
from core.services import task_enqueue_on_commit
from results.leaderboard import leaderboard_refresh
from results.publication import results_notify_batch, results_publish_due


@shared_task(acks_late=True)
def leaderboard_refresh_task(*, contest_id: int) -> int:
    contest = Contest.objects.filter(pk=contest_id).first()
    if contest is None:
        return 0  # deleted since it was queued
    return leaderboard_refresh(contest=contest)


@shared_task(bind=True, acks_late=True)
def results_notify_task(self, *, contest_id: int, after: int = 0) -> None:
    """One batch of the entrants' e-mails, then the next batch as a task of its own, queued in the
    same commit that marks this one done (in-process: a loop, not recursion). A failure leaves
    the batch to the outbox, which runs it again later; those already told are not told again."""
    after = results_notify_batch(contest_id=contest_id, after=after, progress=outbox_heartbeat)
    while after is not None and self.request.is_eager:
        after = results_notify_batch(contest_id=contest_id, after=after)
    if after is not None:
        with transaction.atomic():
            task_enqueue_on_commit(results_notify_task, contest_id=contest_id, after=after)
            outbox_current_done()


@shared_task
def results_publish_due_task() -> int:
    return results_publish_due()
