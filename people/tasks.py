from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from people.models import User
from people.services import welcome_email_send


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def welcome_email_send_task(*, user_id: int) -> None:
    welcome_email_send(user_id=user_id)  # a no-op once sent


@shared_task
def welcome_email_sweep_task() -> int:
    """Queue what the broker missed: accounts of the last two days still not welcomed."""
    now = timezone.now()
    missed = User.objects.filter(
        welcomed_at__isnull=True,
        date_joined__lt=now - timedelta(minutes=10),
        date_joined__gt=now - timedelta(days=2),
    ).exclude(email="")
    count = 0
    for user_id in missed.values_list("pk", flat=True).iterator():
        welcome_email_send_task.delay(user_id=user_id)
        count += 1
    return count
