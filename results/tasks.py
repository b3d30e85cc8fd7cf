from celery import shared_task

from contests.models import Contest
from results.leaderboard import leaderboard_refresh
from results.publication import results_notify_batch, results_publish_due


@shared_task(acks_late=True)
def leaderboard_refresh_task(*, contest_id: int) -> int:
    contest = Contest.objects.filter(pk=contest_id).first()
    if contest is None:
        return 0  # deleted since it was queued
    return leaderboard_refresh(contest=contest)


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def results_notify_task(self, *, contest_id: int) -> int:
    """One batch, then the next batch as a task of its own (in-process: a loop, not recursion)."""
    remaining = results_notify_batch(contest_id=contest_id)
    while remaining and self.request.is_eager:
        remaining = results_notify_batch(contest_id=contest_id)
    if remaining:
        results_notify_task.apply_async(kwargs={"contest_id": contest_id})
    return remaining


@shared_task
def results_publish_due_task() -> int:
    return results_publish_due()
