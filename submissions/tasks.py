from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from submissions.enums import EntryStatus
from submissions.models import Entry
from submissions.services import attachments_orphaned_delete, entry_disqualified_notify, entry_receipt_send


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def entry_receipt_send_task(*, entry_id: int) -> None:
    entry_receipt_send(entry_id=entry_id)  # a no-op once sent


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def entry_disqualified_notify_task(*, entry_id: int) -> None:
    entry_disqualified_notify(entry_id=entry_id)


@shared_task
def entry_receipt_sweep_task() -> int:
    """Queue what the broker missed: receipts and disqualification notices of the last week."""
    now = timezone.now()
    recent = Entry.objects.filter(updated_at__gt=now - timedelta(days=7), updated_at__lt=now - timedelta(minutes=5))
    receipts = list(recent.filter(receipt_sent_at__isnull=True).values_list("pk", flat=True))
    notices = list(
        recent.filter(status=EntryStatus.DISQUALIFIED, disqualification_sent_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    for entry_id in receipts:
        entry_receipt_send_task.delay(entry_id=entry_id)
    for entry_id in notices:
        entry_disqualified_notify_task.delay(entry_id=entry_id)
    return len(receipts) + len(notices)


@shared_task
def attachments_orphaned_sweep_task() -> int:
    """Upload files left by requests that died before their entry committed."""
    return len(attachments_orphaned_delete())
