"""What a people's-choice vote costs: a benchmark, not a test. Against gunicorn (2 workers, a
free port) on PostgreSQL, the same clients send, in one run, signed-in votes
(`PUT /api/public-votes/{id}/ballot/`: a new ballot or a changed one, its tally moved in the
same transaction, an audit row) and bare authenticated POSTs (bench/vote_urls.py: the same
token, middleware and DRF parsing, no database write). It prints votes per second and p50/p95
per request of each, their ratios, whether 100,000 votes in an hour (28 a second) fit, and that
every stored tally equals a recount afterwards.

    make bench-vote          # BENCH_VOTERS=2000 BENCH_VOTES=4000 BENCH_CLIENTS=8

It builds its own database (BENCH_DATABASE_URL, default dsvhd_vote_bench on the local server)
and drops it at the end.
"""

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dsvhd_vote_bench")
VOTERS = int(os.environ.get("BENCH_VOTERS", "2000"))
VOTES = int(os.environ.get("BENCH_VOTES", "4000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
ENTRIES = int(os.environ.get("BENCH_ENTRIES", "60"))  # in 3 categories
TARGET_PER_SECOND = 100_000 / 3600


def database_fresh() -> None:
    import psycopg

    admin_url, name = BENCH_URL.rsplit("/", 1)[0] + "/postgres", BENCH_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def database_drop() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin_url, name = BENCH_URL.rsplit("/", 1)[0] + "/postgres", BENCH_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def world_build():
    """A contest whose vote holds ENTRIES entries in 3 categories; VOTERS confirmed accounts,
    each with a token and every entry already opened."""
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from knox.models import AuthToken

    from contests.models import Category, Contest
    from people.models import Library, Network, User
    from submissions.models import Entry
    from voting.models import EntryView, PublicVote, VoteEntry

    now = timezone.now()
    network = Network.objects.create(name="Bench", path="")
    network.path = f"/{network.pk}/"
    network.save()
    libraries = Library.objects.bulk_create([Library(name=f"Thư viện {n}", network=network) for n in range(40)])
    contest = Contest.objects.create(
        title="Bench",
        network=network,
        code_prefix="BENCH",
        status="judging",
        submission_opens_at=now - timedelta(days=30),
        submission_closes_at=now - timedelta(days=1),
    )
    categories = [Category.objects.create(contest=contest, name=f"Bảng {n}") for n in range(3)]
    password = make_password("bench-password-2026")
    entrants = User.objects.bulk_create(
        [
            User(
                username=f"thisinh{n}",
                email=f"thisinh{n}@example.com",
                full_name="Thí Sinh",
                password=password,
                library=libraries[n % len(libraries)],
            )
            for n in range(ENTRIES)
        ]
    )
    entries = Entry.objects.bulk_create(
        [
            Entry(
                contest=contest,
                category=categories[n % 3],
                entrant=user,
                library=user.library,
                submitted_by=user,
                code=f"BENCH-{n:06d}",
                title=f"Clip {n}",
                book_title="Sách",
                book_author="Tác giả",
                video_url="https://www.youtube.com/watch?v=bench",
            )
            for n, user in enumerate(entrants)
        ]
    )
    public_vote = PublicVote.objects.create(
        contest=contest, title="Bench", opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1)
    )
    vote_entries = VoteEntry.objects.bulk_create(
        [VoteEntry(public_vote=public_vote, entry=entry, category=entry.category) for entry in entries]
    )
    voters = User.objects.bulk_create(
        [
            User(
                username=f"bandoc{n}",
                email=f"bandoc{n}@example.com",
                full_name="Bạn Đọc",
                password=password,
                library=libraries[n % len(libraries)],
                email_verified_at=now,
            )
            for n in range(VOTERS)
        ]
    )
    EntryView.objects.bulk_create(
        [EntryView(vote_entry=vote_entry, viewer=voter) for voter in voters for vote_entry in vote_entries],
        batch_size=10_000,
    )
    keys = [AuthToken.objects.create(user=voter)[1] for voter in voters]
    by_category = {}
    for entry in entries:
        by_category.setdefault(entry.category_id, []).append(entry.pk)
    return public_vote, keys, list(by_category.values())


def server_start(port: int) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": BENCH_URL,
        "DJANGO_SETTINGS_MODULE": "bench.vote_settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
    }
    env.pop("REDIS_URL", None)  # no broker: nothing here queues a task
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def send(port: int, method: str, path: str, key: str, body: dict) -> tuple[int, float]:
    payload = json.dumps(body).encode()
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            method,
            path,
            body=payload,
            headers={"Authorization": f"Token {key}", "Content-Type": "application/json", "Accept-Language": "en"},
        )
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def load(port: int, requests: list[tuple[str, str, str, dict]]) -> tuple[float, list[float], dict[int, int]]:
    """Sends the requests from CLIENTS threads at once; returns the wall time, each request's
    time and the count of each status."""
    latencies, statuses, lock = [], {}, threading.Lock()
    queue = iter(requests)

    def client():
        while True:
            with lock:
                request = next(queue, None)
            if request is None:
                return
            status, seconds = send(port, *request)
            with lock:
                latencies.append(seconds)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, statuses


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(name: str, seconds: float, latencies: list[float], statuses: dict[int, int]) -> tuple[float, float]:
    rate = len(latencies) / seconds
    p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    print(
        f"{name:<22} {len(latencies):>6} requests  {rate:8.1f}/s  p50 {p50 * 1000:7.1f} ms  "
        f"p95 {p95 * 1000:7.1f} ms  statuses {dict(sorted(statuses.items()))}"
    )
    return rate, p95


def main() -> None:
    database_fresh()
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count, F, Q

    from voting.models import VoteEntry

    server = None
    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        public_vote, keys, by_category = world_build()
        print(
            f"world: {VOTERS:,} confirmed voters with tokens, {ENTRIES} entries in 3 categories "
            f"({time.perf_counter() - started:.1f} s)"
        )
        rng = random.Random(19)
        votes, bare = [], []
        for n in range(VOTES):
            key = keys[n % len(keys)]  # past VOTERS, a voter comes back: most of those are changes
            entry = rng.choice(rng.choice(by_category))
            votes.append(("PUT", f"/api/public-votes/{public_vote.pk}/ballot/", key, {"entry": entry}))
            bare.append(("POST", "/api/bench/bare/", key, {"entry": entry}))
        port = free_port()
        server = server_start(port)
        load(port, bare[:100])  # warm the workers up (imports, connections)
        print(f"gunicorn: 2 workers on 127.0.0.1:{port}; {CLIENTS} clients at once; machine: {os.cpu_count()} cores")
        half = len(votes) // 2
        # Interleaved halves, so that a change in the machine's load falls on both alike.
        results = {"bare": [0.0, [], {}], "vote": [0.0, [], {}]}
        for name, batch in (
            ("bare", bare[:half]),
            ("vote", votes[:half]),
            ("bare", bare[half:]),
            ("vote", votes[half:]),
        ):
            seconds, latencies, statuses = load(port, batch)
            results[name][0] += seconds
            results[name][1] += latencies
            for status, count in statuses.items():
                results[name][2][status] = results[name][2].get(status, 0) + count
        bare_rate, bare_p95 = report("bare authenticated POST", *results["bare"])
        vote_rate, vote_p95 = report("vote (PUT ballot)", *results["vote"])
        print(f"ratio vote/bare: throughput {vote_rate / bare_rate:.2f}x, p95 {vote_p95 / bare_p95:.2f}x")
        fits = vote_rate >= TARGET_PER_SECOND and vote_p95 < 0.3
        print(
            f"100,000 votes an hour need {TARGET_PER_SECOND:.1f}/s with p95 < 300 ms: measured {vote_rate:.1f}/s, "
            f"p95 {vote_p95 * 1000:.0f} ms -> {'fits' if fits else 'does NOT fit'}"
        )
        mismatched = (
            VoteEntry.objects.filter(public_vote=public_vote)
            .annotate(n=Count("ballots", filter=Q(ballots__voided_at__isnull=True)))
            .exclude(votes=F("n"))
            .count()
        )
        counted = sum(VoteEntry.objects.filter(public_vote=public_vote).values_list("votes", flat=True))
        print(f"tallies: {counted:,} votes stored; entries whose stored tally differs from a recount: {mismatched}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        database_drop()


if __name__ == "__main__":
    main()
