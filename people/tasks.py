from celery import shared_task

from people.services import welcome_email_send


# Queued through the outbox (core.outbox), which sends it again after a failure or an outage.
@shared_task(acks_late=True)
def welcome_email_send_task(*, user_id: int) -> None:
    welcome_email_send(user_id=user_id)  # a no-op once sent


@shared_task(acks_late=True)
def email_confirmation_send_task(*, user_id: int) -> None:
    from people.services import email_confirmation_send

    email_confirmation_send(user_id=user_id)  # a no-op once the address is confirmed
