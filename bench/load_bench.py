"""Deadline day and publication day under load: a benchmark, not a test. The stack as deployed
(gunicorn with config/gunicorn.py, 4 workers, PostgreSQL, Redis, a Celery worker taking the
receipts) on a free port, driven over HTTP, and every figure printed beside a baseline measured
in the same run against the same server:

- entry POST (a ~3 KB essay, each student once, by token) against a bare authenticated DRF POST
  inserting one row with the same body (core.bench, routed only with BENCH_ENDPOINTS),
  BENCH_POST_CLIENTS (50) concurrent clients; then entry POSTs offered at BENCH_RATE per second
  (150) for BENCH_OPEN_SECONDS (10), new students, latency counted from when each was due;
- the published result and the leaderboards read anonymously against /healthz/ (one query),
  BENCH_READ_CLIENTS (100) concurrent clients.

    REDIS_URL=redis://127.0.0.1:6379/7 make bench-load     # BENCH_ENTRIES=20000 published entries

Each comparison runs in two rounds, the two kinds alternating (A B A B), so that a change in the
machine's load shows in both. It builds its own database (BENCH_DATABASE_URL, default
dsvhd_load_bench) and drops it at the end (BENCH_KEEP=1 keeps it).

The load comes from an asyncio client (httpx) in this one process rather than Locust: on a
2-core machine the generator shares the cores with the server, and one event loop costs less per
request than Locust's gevent users and master; the comparisons need each request's own latency,
an open-loop schedule (latency from when a request was due, so a slow server is not hidden by a
client that waits for it) and the baseline in the same run, which are a few lines here.
"""

import asyncio
import logging
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dsvhd_load_bench")
os.environ.setdefault("BENCH_ENTRIES", "20000")  # the published contest's entries (and students)
os.environ.setdefault("BENCH_JUDGES", "20")

import httpx  # noqa: E402

from bench.judging_bench import BENCH_URL, ENTRIES, database_drop, database_fresh, sql, world_build  # noqa: E402
from bench.results_bench import results_write  # noqa: E402

POSTS = int(os.environ.get("BENCH_POSTS", "1000"))  # entry POSTs, and as many bare ones
POST_CLIENTS = int(os.environ.get("BENCH_POST_CLIENTS", "50"))
RATE = float(os.environ.get("BENCH_RATE", "150"))
OPEN_SECONDS = float(os.environ.get("BENCH_OPEN_SECONDS", "10"))
READS = int(os.environ.get("BENCH_READS", "2000"))  # of each kind
READ_CLIENTS = int(os.environ.get("BENCH_READ_CLIENTS", "100"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PARAGRAPH = (
    "Mỗi trang sách mở ra một thế giới mà tôi chưa từng được đi tới. Dế Mèn dạy tôi rằng "
    "kiêu ngạo làm ta mất bạn, còn biết nhận lỗi làm ta lớn lên. "
)
ESSAY = (PARAGRAPH * (3000 // len(PARAGRAPH.encode()) + 1)).strip()  # ~3 KB of UTF-8


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Run:
    """One kind of request: every latency (s), the errors, the wall time of its rounds."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)  # what came instead: a status, or an exception's name
    seconds: float = 0.0

    def add(self, other: "Run") -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.seconds += other.seconds

    def p(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else float("nan")


Request = tuple[str, str, dict, dict | None]  # method, path, headers, JSON body


async def one(client: httpx.AsyncClient, request: Request, expected: int) -> str | None:
    """None when the answer is the one expected, else what came instead."""
    method, path, headers, body = request
    try:
        response = await client.request(method, path, headers=headers, json=body)
        await response.aread()
        return None if response.status_code == expected else str(response.status_code)
    except httpx.HTTPError as error:
        return type(error).__name__


async def closed_loop(base: str, name: str, requests: list[Request], clients: int, expected: int) -> Run:
    """`clients` clients, each sending its next request as soon as the last one is answered."""
    run, pending = Run(name), iter(requests)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def user():
            for request in pending:
                started = time.perf_counter()
                error = await one(client, request, expected)
                run.latencies.append(time.perf_counter() - started)
                if error:
                    run.errors[error] += 1

        started = time.perf_counter()
        await asyncio.gather(*(user() for _ in range(clients)))
        run.seconds = time.perf_counter() - started
    return run


async def open_loop(base: str, name: str, requests: list[Request], rate: float, expected: int) -> Run:
    """Requests started at `rate` per second whatever the answers; each latency counts from the
    moment it was due, so time spent waiting for a connection counts too."""
    run = Run(name)
    limits = httpx.Limits(max_connections=500, max_keepalive_connections=500)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def timed(request: Request, due: float):
            error = await one(client, request, expected)
            run.latencies.append(time.perf_counter() - due)
            if error:
                run.errors[error] += 1

        started, tasks = time.perf_counter(), []
        for index, request in enumerate(requests):
            due = started + index / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(timed(request, due)))
        await asyncio.gather(*tasks)
        run.seconds = time.perf_counter() - started
    return run


def alternating(base: str, kinds: list[tuple[str, list[Request], int]], clients: int) -> list[Run]:
    """Each kind's requests in two halves, the kinds taking turns: A B C A B C."""
    totals = [Run(name) for name, _requests, _expected in kinds]
    for half in (0, 1):
        for total, (name, requests, expected) in zip(totals, kinds, strict=True):
            middle = len(requests) // 2
            part = requests[:middle] if half == 0 else requests[middle:]
            total.add(asyncio.run(closed_loop(base, name, part, clients, expected)))
    return totals


def line(run: Run, baseline: Run | None = None) -> str:
    text = (
        f"  {run.name:<34} {len(run.latencies):>6} req {run.rate:8.1f} req/s  p50 {run.p(0.5):7.1f}  "
        f"p95 {run.p(0.95):7.1f}  p99 {run.p(0.99):7.1f} ms  errors {run.errors.total()}"
        + (f" ({', '.join(f'{what} x{count}' for what, count in run.errors.most_common())})" if run.errors else "")
    )
    if baseline is not None:
        text += (
            f"\n  {'':<34} ratio to {baseline.name}: throughput {run.rate / baseline.rate:.2f}x, "
            f"p50 {run.p(0.5) / baseline.p(0.5):.2f}x, p95 {run.p(0.95) / baseline.p(0.95):.2f}x, "
            f"p99 {run.p(0.99) / baseline.p(0.99):.2f}x"
        )
    return text


def world_seed(open_posts: int):
    """The published contest (world_build's, closed, ranked, prizes awarded, leaderboards
    written), an open contest for the entries, and a token per student who will send one."""
    from django.utils import timezone
    from knox.models import AuthToken

    from contests.enums import ContestStatus
    from contests.models import Category, Contest, PrizeTier
    from people.models import Network, User
    from results.caching import results_version_bump
    from results.leaderboard import leaderboard_refresh
    from results.prizes import prizes_award

    judging_round, _judges = world_build()
    results_write(judging_round)
    published = Contest.objects.get(pk=judging_round.contest_id)
    for rank, (name, quota, points) in enumerate(
        [("Giải Nhất", 4, 10), ("Giải Nhì", 8, 7), ("Giải Ba", 16, 5), ("Khuyến khích", 64, 1)], start=1
    ):
        PrizeTier.objects.create(contest=published, name=name, rank=rank, quota=quota, points=points)
    organizer = User.objects.create(username="bantochuc", is_staff=True, is_superuser=True)
    prizes_award(actor=organizer, contest=published)
    leaderboard_refresh(contest=published)
    # Published without e-mailing the entrants (publication itself is not what is measured).
    sql("UPDATE contests_contest SET status = 'published', published_at = now() WHERE id = %s", [published.pk])
    results_version_bump(contest=published)

    now = timezone.now()
    taking = Contest.objects.create(
        title="Đại sứ Văn hóa đọc 2026 (benchmark)",
        network=Network.objects.get(parent__isnull=True),
        code_prefix="DSVH26",
        status=ContestStatus.OPEN,
        submission_opens_at=now - timedelta(days=1),
        submission_closes_at=now + timedelta(days=30),
    )
    category = Category.objects.create(contest=taking, name="THPT & Đại học", max_words=5000)
    students = User.objects.filter(username__startswith="hs").order_by("pk")[: POSTS + open_posts]
    keys = [AuthToken.objects.create(user=student)[1] for student in students]
    sql("VACUUM ANALYZE")
    return published, taking, category, keys


def stack_start(port: int, redis_url: str) -> list[subprocess.Popen]:
    env = os.environ | {
        "DATABASE_URL": BENCH_URL,
        "REDIS_URL": redis_url,
        "BENCH_ENDPOINTS": "true",
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "dummymail://",  # the receipts are sent, to nowhere
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
        "LOG_LEVEL": "WARNING",
    }
    quiet = {"cwd": ROOT, "env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [
        subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"], **quiet),
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1", "-n", f"bench{port}@%h"],
            **quiet,
        ),
    ]
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=1).read()
            return processes
        except OSError:
            time.sleep(0.2)
    stack_stop(processes)
    raise RuntimeError("gunicorn did not start")


def stack_stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    redis_url = os.environ.pop("REDIS_URL", "")  # for the stack; the seeding runs its tasks in-process
    if not redis_url:
        sys.exit("REDIS_URL must name a Redis database of yours: the stack's broker and cache")
    database_fresh()
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    from django.core.management import call_command

    open_posts = int(RATE * OPEN_SECONDS)
    processes = []
    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        published, taking, category, keys = world_seed(open_posts)
        version = sql("SHOW server_version")[0][0]
        print(
            f"load benchmark: PostgreSQL {version}, gunicorn {WORKERS} workers (gthread), Redis, 1 Celery worker, "
            f"{os.cpu_count()} cores shared with whatever else runs; {ENTRIES:,} published entries, "
            f"{len(keys):,} student tokens ({time.perf_counter() - started:.0f} s to build, not timed)"
        )
        port = free_port()
        processes = stack_start(port, redis_url)
        base = f"http://127.0.0.1:{port}"
        from contests.models import Category

        categories = list(Category.objects.filter(contest=published).values_list("pk", flat=True))

        def entry(key: str) -> Request:
            body = {"category": category.pk, "title": "Điều Tô Hoài dạy tôi", "book_title": "Dế Mèn phiêu lưu ký"}
            body |= {"book_author": "Tô Hoài", "body": ESSAY}
            return ("POST", f"/api/contests/{taking.pk}/entries/", {"Authorization": f"Token {key}"}, body)

        def bare(key: str) -> Request:
            _method, _path, headers, body = entry(key)
            return ("POST", "/api/bench/insert/", headers, body)

        rng = random.Random(17)

        def results() -> Request:
            query = "" if rng.random() < 0.7 else f"?category={rng.choice(categories)}&page={rng.randint(1, 5)}"
            return ("GET", f"/api/contests/{published.pk}/results/{query}", {}, None)

        def leaderboard() -> Request:
            query = rng.choice(
                ["by=library", "by=library&page=2", "by=network", f"by=library&category={categories[0]}"]
            )
            return ("GET", f"/api/contests/{published.pk}/leaderboard/?{query}", {}, None)

        # Warm up: every worker's connections, the cached pages (as the first readers would).
        warm = [("GET", "/healthz/", {}, None)] * 40
        warm += [results() for _ in range(40)] + [leaderboard() for _ in range(40)]
        asyncio.run(closed_loop(base, "warm-up", warm, 10, 200))

        posting, opening = keys[:POSTS], keys[POSTS:]
        entry_run, bare_run = alternating(
            base,
            [
                ("entry POST", [entry(key) for key in posting], 201),
                ("bare DRF POST (baseline)", [bare(key) for key in posting], 201),
            ],
            POST_CLIENTS,
        )
        offered = asyncio.run(
            open_loop(base, f"entry POST offered {RATE:.0f}/s", [entry(key) for key in opening], RATE, 201)
        )
        health, result_run, board_run = alternating(
            base,
            [
                ("/healthz/ (baseline)", [("GET", "/healthz/", {}, None)] * READS, 200),
                ("results (published, anonymous)", [results() for _ in range(READS)], 200),
                ("leaderboard (anonymous)", [leaderboard() for _ in range(READS)], 200),
            ],
            READ_CLIENTS,
        )
        print(f"\nwrites, {POST_CLIENTS} concurrent clients, {len(posting):,} of each, two alternating rounds:")
        print(line(bare_run))
        print(line(entry_run, bare_run))
        print(f"\nentry POSTs offered at {RATE:.0f}/s for {OPEN_SECONDS:.0f} s (latency from when each was due):")
        print(line(offered))
        print(f"\nreads, {READ_CLIENTS} concurrent clients, {READS:,} of each, two alternating rounds:")
        print(line(health))
        print(line(result_run, health))
        print(line(board_run, health))
        from submissions.models import Entry

        stored = Entry.objects.filter(contest=taking).count()
        print(f"\nentries stored {stored:,} of {len(keys):,} sent; receipts sent by the worker so far: ", end="")
        print(f"{Entry.objects.filter(contest=taking, receipt_sent_at__isnull=False).count():,}")
    finally:
        stack_stop(processes)
        if not os.environ.get("BENCH_KEEP"):
            database_drop()


if __name__ == "__main__":
    main()
