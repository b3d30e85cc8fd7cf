"""A real Celery worker process on the configured Redis broker, for tests marked `worker`.

It runs this project's code against the test database, so what it writes is what a worker in
production writes; the tests read the results back through the database.
"""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


def broker_use(url: str) -> None:
    """Points this process's Celery app at the broker at `url`: its connection and producer pools
    are looked up again (kombu keeps one per broker URL, process-wide)."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.conf.broker_url = url


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("worker tests need DATABASE_URL on PostgreSQL: the worker must see the test database")
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def worker_start(
    *,
    mail_dir: Path,
    log_path: Path,
    queues: str = "celery",
    env: dict | None = None,
    purge: bool = True,
    broker_url: str | None = None,
) -> subprocess.Popen:
    """`purge`: empty the queues first (nothing left over from an earlier, interrupted run);
    off for a worker that must take over the work a killed one left. `broker_url`: a Redis of
    the test's own instead of REDIS_URL's, for the worker and for this process alike."""
    if broker_url is not None:
        broker_use(broker_url)
        env = {**(env or {}), "REDIS_URL": broker_url}
    if purge:
        celery_app.control.purge()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_URL": "filemail://",
        "EMAIL_FILE_PATH": str(mail_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **(env or {}),
    }
    log = log_path.open("ab")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.clock",  # on the session's clock (TEST_CLOCK), then `python -m celery ...`
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-Q",
            queues,
            "--hostname",
            f"test-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"the worker exited at start: {log_path.read_text()[-2000:]}")
            if celery_app.control.ping(timeout=0.5):
                return process
        pytest.fail(f"the worker did not answer a ping within 60 s: {log_path.read_text()[-2000:]}")
    except BaseException:
        process.kill()  # never left running behind a failed start
        process.wait()
        raise


def beat_start(*, log_path: Path, broker_url: str | None = None) -> subprocess.Popen:
    """`celery beat` as deployed: the schedules of config/schedule.py (written into the test
    database here, as `manage.py setup_periodic_tasks` does at a deploy), sent to the broker."""
    call_command("setup_periodic_tasks", stdout=io.StringIO())
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.settings"}
    if broker_url is not None:
        env["REDIS_URL"] = broker_url
    log = log_path.open("ab")
    # On the session's clock (TEST_CLOCK), as the workers are: the leases beat's sweep compares
    # with its own time were written by them.
    command = [
        sys.executable,
        "-m",
        "tests.clock",
        "celery",
        "-A",
        "config",
        "beat",
        "--loglevel=INFO",
        "--max-interval=5",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    time.sleep(1)
    if process.poll() is not None:
        pytest.fail(f"beat exited at start: {log_path.read_text()[-2000:]}")
    return process


def worker_stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for(predicate, *, seconds: float = 30, what: str = "the worker's result"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"waited {seconds} s for {what}")
