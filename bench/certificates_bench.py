"""Certificates on PostgreSQL and Redis with real workers: a benchmark, not a test. It prints its
figures and their ratios against baselines measured in the same run:

- the pipeline's throughput in one process (render, write the file atomically, update the row)
  against rendering the same pages with the renderer alone (reportlab, no database, no file).
  Target: at least 0.7 of the raw throughput.
- 10,000 certificates issued through the service and rendered by 2 worker processes on Redis,
  from the request to the last file. Target: under 2 minutes.

    make bench-certificates          # BENCH_CERTIFICATES=10000, BENCH_WORKERS=2

It builds its own database (BENCH_DATABASE_URL, default dsvhd_certificates_bench), writes the
files under a temporary MEDIA_ROOT, and drops both at the end. Needs Redis (REDIS_URL, default
redis://127.0.0.1:6379/0).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CERTIFICATES = int(os.environ.get("BENCH_CERTIFICATES", "10000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SAMPLE = int(os.environ.get("BENCH_SAMPLE", "600"))  # pages for the one-process comparison
ROUNDS = 6
os.environ["BENCH_ENTRIES"] = str(CERTIFICATES)
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dsvhd_certificates_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
MEDIA = Path(tempfile.mkdtemp(prefix="certificates-bench-"))
os.environ["MEDIA_ROOT"] = str(MEDIA)

from bench.judging_bench import BENCH_URL, database_drop, database_fresh, sql, timed, world_build  # noqa: E402


def workers_start() -> list[subprocess.Popen]:
    env = os.environ | {"DATABASE_URL": BENCH_URL, "DJANGO_SETTINGS_MODULE": "config.settings"}
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING"]
    command += ["-Q", "celery,certificates", "--without-gossip", "--without-mingle"]
    return [
        subprocess.Popen([*command, "--hostname", f"bench{n}@%h"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        for n in range(WORKERS)
    ]


def main() -> None:
    database_fresh()
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from certificates.models import Certificate, CertificateDesign
    from certificates.rendering import certificate_pdf
    from certificates.services import certificate_content, certificates_issue, certificates_render
    from config.celery import app as celery_app
    from contests.models import Contest
    from people.models import User

    workers = []
    try:
        call_command("migrate", verbosity=0)
        judging_round, _judges = world_build()
        sql(
            "UPDATE contests_contest SET status = 'published', published_at = now() WHERE id = %s",
            [judging_round.contest_id],
        )
        contest = Contest.objects.get(pk=judging_round.contest_id)
        CertificateDesign.objects.create(
            contest=contest, signatory_name="Trần Minh Quang", signatory_title="Trưởng Ban tổ chức"
        )
        organizer = User.objects.create(username="bantochuc", is_staff=True, is_superuser=True, full_name="Ban tổ chức")
        celery_app.control.purge()

        # One process: the same pages, raw and through the pipeline.
        sample_job = certificates_issue(actor=organizer, contest=contest)  # rows only: no worker runs yet
        celery_app.control.purge()  # (its chunks are not what this part measures)
        ids = list(Certificate.objects.filter(contest=contest).order_by("pk").values_list("pk", flat=True)[:SAMPLE])
        design = CertificateDesign.objects.get(contest=contest)
        contents = [
            certificate_content(c, design, {}) for c in Certificate.objects.filter(pk__in=ids).select_related("contest")
        ]
        certificate_pdf(contents[0])  # fonts loaded before timing
        raw = pipeline = 0.0
        step = SAMPLE // ROUNDS
        for start in range(0, step * ROUNDS, step):  # interleaved, so that both see the same machine
            raw += timed(lambda start=start: [certificate_pdf(c) for c in contents[start : start + step]])[1]
            pipeline += timed(certificates_render, ids[start : start + step])[1]
        done = step * ROUNDS
        print(f"certificates benchmark, PostgreSQL + Redis: {CERTIFICATES:,} holders, {WORKERS} worker processes")
        print(
            f"one process  pipeline {done / pipeline:6.1f} certificates/s  raw renderer {done / raw:6.1f} pages/s; "
            f"ratio {raw / pipeline:.2f} (target >= 0.7)"
        )

        # All of them, again from nothing, through the service and the workers.
        Certificate.objects.filter(contest=contest).delete()
        sample_job.delete()
        for path in MEDIA.glob("certificates/*/*.pdf"):
            path.unlink()
        workers = workers_start()
        time.sleep(3)  # the workers are up and waiting
        started = time.perf_counter()
        job = certificates_issue(actor=organizer, contest=contest)  # autocommit: queued at once
        rendered = Certificate.objects.filter(contest=contest, rendered_at__isnull=False)
        while rendered.count() < job.total:
            time.sleep(0.25)
        seconds = time.perf_counter() - started
        files = len(list(MEDIA.glob(f"certificates/{contest.pk}/*.pdf")))
        print(
            f"bulk         {job.total:,} certificates ({files:,} files) in {seconds:.1f} s on {WORKERS} workers: "
            f"{job.total / seconds:.0f} /s  (target < 120 s)"
        )
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait()
        shutil.rmtree(MEDIA, ignore_errors=True)
        if not os.environ.get("BENCH_KEEP"):
            database_drop()


if __name__ == "__main__":
    main()
