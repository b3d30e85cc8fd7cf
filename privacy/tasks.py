from celery import shared_task

from privacy.consent import guardian_consent_mail


@shared_task(acks_late=True)
def guardian_consent_mail_task(*, consent_id: int) -> bool:
    return guardian_consent_mail(consent_id=consent_id)
