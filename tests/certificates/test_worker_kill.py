"""A worker killed with SIGKILL in the middle of a batch: once a worker runs again, every
certificate is there once, whole, and nothing is rendered twice; under the shipped timeouts (the
broker's visibility timeout of two hours untouched) the batch finishes within two minutes of the
new worker starting, because the outbox's sweep (beat, every 30 s) sends again the chunk whose
lease the dead worker stopped renewing."""

import io
import os
import signal
import time

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
from tests.figures import figures_record
from tests.worker import beat_start, wait_for, worker_start, worker_stop

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HOLDERS = 240
BOUND = 120  # seconds, from the new worker's start to the last certificate (the bound)


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing_and_the_batch_ends_within_2_minutes(
    places, role_users, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    contest = ContestFactory(network=places.north, status=ContestStatus.PUBLISHED, title="Đại sứ Văn hóa đọc 2024")
    category = CategoryFactory(contest=contest)
    for number in range(HOLDERS):
        EntryFactory(category=category, entrant=StudentFactory(full_name=f"Nguyễn Thị Hường {number}"))
    # A background makes each page slower, so that the kill lands in the middle of the work.
    CertificateDesign.objects.create(contest=contest, background=ContentFile(image_downscale(noisy_png()), "nen.jpg"))
    # Six chunks, so that the kill leaves one chunk half-done and others still queued. Every
    # timeout is the shipped one.
    env = {"MEDIA_ROOT": str(settings.MEDIA_ROOT), "CERTIFICATES_CHUNK": "40"}
    logs = {"mail_dir": tmp_path / "mail", "log_path": tmp_path / "worker.log", "queues": "celery,certificates"}
    first = worker_start(**logs, env=env)
    beat = beat_start(log_path=tmp_path / "beat.log")
    client = APIClient()
    client.force_authenticate(role_users["network_organizer"])

    job = client.post(reverse("contest-certificates", kwargs={"pk": contest.pk})).json()
    rendered = Certificate.objects.filter(contest=contest, rendered_at__isnull=False)
    try:
        wait_for(lambda: rendered.count() >= 50, seconds=120, what="the first chunks")
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        at_the_kill = rendered.count()
        second = worker_start(**logs, env=env, purge=False)
        started = time.monotonic()
        try:
            wait_for(lambda: rendered.count() == HOLDERS, seconds=BOUND + 60, what="the rest, after the kill")
            took = time.monotonic() - started
        finally:
            worker_stop(second)
    finally:
        worker_stop(beat)

    certificates = list(Certificate.objects.filter(contest=contest))
    folder = settings.MEDIA_ROOT / "certificates" / str(contest.pk)
    files = sorted(path.name for path in folder.glob("*.pdf"))
    leftovers = sorted(path.name for path in folder.iterdir() if path.suffix != ".pdf")
    progress = client.get(reverse("job-detail", kwargs={"pk": job["id"]})).json()
    figures_record(
        "certificates after a worker kill (shipped timeouts)",
        certificates=len(certificates),
        rendered_at_the_kill=at_the_kill,
        duplicates=len(certificates) - len({c.holder_id for c in certificates}) + len(files) - len(set(files)),
        missing=HOLDERS - len(files),
        part_files_left=len(leftovers),
        seconds_from_the_new_worker_to_the_last=round(took, 1),
    )
    assert 50 <= at_the_kill < HOLDERS  # killed in the middle
    assert len(certificates) == HOLDERS == len({c.holder_id for c in certificates})
    assert files == sorted(f"{c.code}.pdf" for c in certificates)
    assert leftovers == []  # no .part file left behind
    for certificate in certificates:
        with certificate.file.open("rb") as stream:
            text = pypdf.PdfReader(io.BytesIO(stream.read())).pages[0].extract_text()
        assert certificate.holder_name in text.splitlines()
    assert (progress["done"], progress["total"], progress["status"]) == (HOLDERS, HOLDERS, "done")
    assert took <= BOUND
