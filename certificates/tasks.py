from celery import shared_task
from django.conf import settings
from django.db import transaction

from certificates.models import CertificateJob
from certificates.services import certificates_render, unrendered_ids
from core.outbox import outbox_current_done, outbox_heartbeat
from core.services import task_enqueue_on_commit


@shared_task(acks_late=True)
def certificates_job_task(*, job_id: int) -> int:
    """Splits what the job's contest has not rendered yet into chunks, one task each, on the
    certificates queue (its own workers: a national batch does not hold up the e-mails). The
    chunks are queued in the same commit that marks this task done: run again after a crash,
    it queues them once, not twice."""
    job = CertificateJob.objects.filter(pk=job_id).first()
    if job is None:
        return 0
    pending = unrendered_ids(job.contest_id)
    size = settings.CERTIFICATES_CHUNK
    with transaction.atomic():
        for start in range(0, len(pending), size):
            task_enqueue_on_commit(certificates_render_task, certificate_ids=pending[start : start + size])
        outbox_current_done()
    return len(pending)


# A chunk holds its outbox row for a short lease that it renews as it renders: a worker killed
# half-way stops renewing, and the outbox's sweep sends the chunk again within a minute or so
# (the broker's redelivery after CELERY_VISIBILITY_TIMEOUT is the second way back). Rendering
# skips what has its file already, so a second delivery adds only what was missing.
@shared_task(acks_late=True, queue="certificates", outbox_lease=30)
def certificates_render_task(*, certificate_ids: list[int]) -> int:
    return certificates_render(certificate_ids, progress=outbox_heartbeat)
