from celery import shared_task

from judging.services import judges_remind


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def judges_remind_task() -> int:
    """Daily; a second run the same day sends nothing (each judge is marked as reminded)."""
    return judges_remind()
