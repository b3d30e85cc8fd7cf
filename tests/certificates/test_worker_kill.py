"""A worker killed with SIGKILL in the middle of a batch: once a worker runs again, every
certificate is there once, whole, and nothing is rendered twice."""

import io
import os
import signal

import pypdf
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from rest_framework.test import APIClient

from certificates.models import Certificate, CertificateDesign
from certificates.rendering import image_downscale
from contests.enums import ContestStatus
from tests.certificates.test_certificates import noisy_png
from tests.factories import CategoryFactory, ContestFactory, EntryFactory, StudentFactory
from tests.worker import wait_for, worker_start, worker_stop

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HOLDERS = 240


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(places, role_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    contest = ContestFactory(network=places.north, status=ContestStatus.PUBLISHED, title="Đại sứ Văn hóa đọc 2024")
    category = CategoryFactory(contest=contest)
    for number in range(HOLDERS):
        EntryFactory(category=category, entrant=StudentFactory(full_name=f"Nguyễn Thị Hường {number}"))
    # A background makes each page slower, so that the kill lands in the middle of the work.
    CertificateDesign.objects.create(contest=contest, background=ContentFile(image_downscale(noisy_png()), "nen.jpg"))
    env = {
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CERTIFICATES_CHUNK": "40",
        # Redis gives an unacknowledged task back after this many seconds (production: 2 hours).
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    }
    logs = {"mail_dir": tmp_path / "mail", "log_path": tmp_path / "worker.log", "queues": "celery,certificates"}
    first = worker_start(**logs, env=env)
    client = APIClient()
    client.force_authenticate(role_users["network_organizer"])

    job = client.post(reverse("contest-certificates", kwargs={"pk": contest.pk})).json()
    rendered = Certificate.objects.filter(contest=contest, rendered_at__isnull=False)
    wait_for(lambda: rendered.count() >= 50, seconds=120, what="the first chunks")
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    at_the_kill = rendered.count()
    second = worker_start(**logs, env=env, purge=False)
    try:
        wait_for(lambda: rendered.count() == HOLDERS, seconds=180, what="the rest, after the kill")
    finally:
        worker_stop(second)

    certificates = list(Certificate.objects.filter(contest=contest))
    files = sorted(path.name for path in (settings.MEDIA_ROOT / "certificates" / str(contest.pk)).glob("*.pdf"))
    progress = client.get(reverse("job-detail", kwargs={"pk": job["id"]})).json()
    assert 50 <= at_the_kill < HOLDERS  # killed in the middle
    assert len(certificates) == HOLDERS == len({c.holder_id for c in certificates})
    assert files == sorted(f"{c.code}.pdf" for c in certificates)
    for certificate in certificates:
        with certificate.file.open("rb") as stream:
            text = pypdf.PdfReader(io.BytesIO(stream.read())).pages[0].extract_text()
        assert certificate.holder_name in text.splitlines()
    assert (progress["done"], progress["total"], progress["status"]) == (HOLDERS, HOLDERS, "done")
