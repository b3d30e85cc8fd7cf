from celery import shared_task

from contests.services import contests_close_due


@shared_task
def contests_close_due_task() -> int:
    return contests_close_due()
