from celery import shared_task

from privacy.consent import guardian_consent_mail


@shared_task(acks_late=True)
def guardian_consent_mail_task(*, consent_id: int) -> bool:
    return guardian_consent_mail(consent_id=consent_id)


@shared_task(acks_late=True)
def retention_apply_task(*, contest_id: int) -> int:
    from contests.models import Contest
    from privacy.retention import retention_apply

    contest = Contest.objects.filter(pk=contest_id).first()
    if contest is None:
        return 0  # deleted since it was queued
    return retention_apply(contest=contest).entries  # a second run finds nothing left to do


@shared_task
def retention_sweep_task() -> int:
    from privacy.retention import retention_sweep

    return retention_sweep()
