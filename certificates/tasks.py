from celery import shared_task
from django.conf import settings

from certificates.models import CertificateJob
from certificates.services import certificates_render, unrendered_ids


@shared_task(acks_late=True)
def certificates_job_task(*, job_id: int) -> int:
    """Splits what the job's contest has not rendered yet into chunks, one task each, on the
    certificates queue (its own workers: a national batch does not hold up the e-mails)."""
    job = CertificateJob.objects.filter(pk=job_id).first()
    if job is None:
        return 0
    pending = unrendered_ids(job.contest_id)
    size = settings.CERTIFICATES_CHUNK
    for start in range(0, len(pending), size):
        certificates_render_task.apply_async(kwargs={"certificate_ids": pending[start : start + size]})
    return len(pending)


# acks_late and reject_on_worker_lost (settings): a chunk whose worker dies goes back to the queue;
# rendering skips what has its file already, so the second delivery adds only what was missing.
@shared_task(acks_late=True, queue="certificates")
def certificates_render_task(*, certificate_ids: list[int]) -> int:
    return certificates_render(certificate_ids)
