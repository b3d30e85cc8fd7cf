"""The fault suite's Redis: a redis-server of the test's own on a free port (never the shared one),
which the tests stop, pause and bring back under a real Celery worker and beat; the platform in
this process (throttles' cache, broker) and the worker both use it."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

from config.celery import app as celery_app
from core.breaker import breakers_reset
from tests.worker import beat_start, broker_use, worker_start, worker_stop


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """Persists to an append-only file, as compose.yaml's Redis does: stopped and started again,
    it still holds the tasks it had taken."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.paused = False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--logfile",
                str(self.directory / "redis.log"),
            ]
        )
        client = redis.Redis.from_url(self.url, socket_timeout=0.5, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        """SIGTERM: Redis writes its file and exits; clients are refused from then on."""
        self.resume()
        self.process.terminate()
        self.process.wait(timeout=20)

    def pause(self) -> None:
        """SIGSTOP: the port still accepts connections (the kernel does), nothing answers."""
        os.kill(self.process.pid, signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        if self.paused:
            os.kill(self.process.pid, signal.SIGCONT)
            self.paused = False


@pytest.fixture
def faulty_redis(tmp_path, settings):
    """A Redis of the test's own, which the platform in this process uses as broker and cache."""
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory)
    server.start()
    saved = celery_app.conf.broker_url
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FallbackRedisCache",
            "LOCATION": server.url.replace("/0", "/1"),
            "OPTIONS": {"socket_connect_timeout": settings.REDIS_TIMEOUT, "socket_timeout": settings.REDIS_TIMEOUT},
        }
    }
    broker_use(server.url)
    breakers_reset()
    yield server
    if server.process.poll() is None:
        server.stop()
    broker_use(saved)


@pytest.fixture
def worker_and_beat(faulty_redis, tmp_path, settings):
    """A worker on both queues and beat, as deployed, on that Redis; yields the worker's mail folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    mail_dir = tmp_path / "mail"
    env = {"MEDIA_ROOT": str(settings.MEDIA_ROOT), "RESULTS_NOTICE_BATCH": "5", "CERTIFICATES_CHUNK": "5"}
    worker = worker_start(
        mail_dir=mail_dir,
        log_path=tmp_path / "worker.log",
        queues="celery,certificates",
        env=env,
        broker_url=faulty_redis.url,
    )
    beat = beat_start(log_path=tmp_path / "beat.log", broker_url=faulty_redis.url)
    yield mail_dir
    faulty_redis.resume()
    worker_stop(beat)
    worker_stop(worker)
