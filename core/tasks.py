from celery import shared_task

from core.idempotency import idempotency_keys_prune
from core.outbox import outbox_sweep


@shared_task
def idempotency_keys_prune_task() -> int:
    return idempotency_keys_prune()


@shared_task
def outbox_sweep_task() -> int:
    return outbox_sweep()
