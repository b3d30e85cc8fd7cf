from celery import shared_task

from core.outbox import outbox_sweep


@shared_task
def outbox_sweep_task() -> int:
    return outbox_sweep()
