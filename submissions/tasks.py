from celery import shared_task

from submissions.services import attachments_orphaned_delete, entry_disqualified_notify, entry_receipt_send


# Queued through the outbox (core.outbox), which sends them again after a failure or an outage.
@shared_task(acks_late=True)
def entry_receipt_send_task(*, entry_id: int) -> None:
    entry_receipt_send(entry_id=entry_id)  # a no-op once sent


@shared_task(acks_late=True)
def entry_disqualified_notify_task(*, entry_id: int) -> None:
    entry_disqualified_notify(entry_id=entry_id)


@shared_task
def attachments_orphaned_sweep_task() -> int:
    """Upload files left by requests that died before their entry committed."""
    return len(attachments_orphaned_delete())
