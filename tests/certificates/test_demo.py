"""The issue's "done when": the demo contest's certificates are issued in bulk, downloadable and
verifiable."""

import io
from collections import Counter

from django.core.management import call_command
from django.urls import reverse

from certificates.models import Certificate, CertificateJob
from certificates.tasks import certificates_job_task
from tests.results.helpers import api


def test_seed_demo_issues_last_years_certificates(demo, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    contest = demo.published
    (job,) = CertificateJob.objects.filter(contest=contest)

    with django_capture_on_commit_callbacks(execute=True):  # the chunks are queued on commit
        certificates_job_task.apply(kwargs={"job_id": job.pk})  # what the workers do once the seed commits
    student = Certificate.objects.filter(contest=contest, kind="prize").select_related("holder").first()
    download = api(student.holder).get(reverse("certificate-pdf", kwargs={"pk": student.pk}))
    verified = api(None).get(reverse("certificate-verify", kwargs={"code": student.code})).json()
    archive = api(demo.organizer).get(reverse("contest-certificates-zip", kwargs={"pk": contest.pk}))

    # 104 entrants, 65 of them with a prize, 8 judges, 2 collective prizes
    assert Counter(Certificate.objects.filter(contest=contest).values_list("kind", flat=True)) == {
        "participation": 104,
        "prize": 65,
        "judge": 8,
        "collective": 2,
    }
    assert job.total == 179 and not Certificate.objects.filter(rendered_at__isnull=True).exists()
    assert download.status_code == 200
    assert (verified["valid"], verified["holder"]) == (True, student.holder.full_name)
    assert archive.status_code == 200
