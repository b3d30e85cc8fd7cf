"""Results on PostgreSQL at national scale: a benchmark, not a test. It prints its figures and
their ratios against baselines measured in the same run, on the same rows:

- leaderboard reads through the real HTTP stack (gunicorn, Django, DRF, PostgreSQL), p50 and
  p95 over many requests (libraries and networks, all categories or one, several pages),
  against reading one library by primary key through the same stack, the requests of the two
  interleaved. Target: p95 within 3x.
- the full leaderboard rebuild (every library and network, every category) against a raw SQL
  GROUP BY of the same entries with their scores per library and category.
- awarding the prizes over the final ranking, for the record.

    make bench-results                  # 1,000,000 entries; BENCH_ENTRIES=100000 for a quick look

It builds its own database (BENCH_DATABASE_URL, default dsvhd_results_bench on the local server)
with the judging benchmark's national world (7,900 libraries in 63 provinces) and a closed
round's 1,000,000 results written by SQL (not timed), and drops it at the end.
"""

import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dsvhd_results_bench")

from bench.judging_bench import BENCH_URL, ENTRIES, database_drop, database_fresh, sql, timed, world_build  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "600"))  # of each kind
PORT = int(os.environ.get("BENCH_PORT", "8765"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def results_write(judging_round) -> None:
    """The round closed: every entry scored and ranked in its category, as closing writes it."""
    sql(
        """INSERT INTO judging_roundresult
             (round_id, entry_id, category_id, score, lowest, spread, judges, rank, flagged, advanced)
           SELECT %s, id, category_id, score, score - 5, 10, 3,
                  RANK() OVER (PARTITION BY category_id ORDER BY score DESC), FALSE, FALSE
           FROM (SELECT id, category_id, floor(random() * 40000) / 400 AS score
                 FROM submissions_entry WHERE contest_id = %s) scored""",
        [judging_round.pk, judging_round.contest_id],
    )
    sql("UPDATE contests_round SET status = 'closed', advance = 'none' WHERE id = %s", [judging_round.pk])
    sql("UPDATE contests_contest SET status = 'judging' WHERE id = %s", [judging_round.contest_id])
    sql("ANALYZE")


def group_by_seconds(contest_id: int) -> float:
    """The floor: entries, entrants and the mean score per library and category, nothing else."""
    _, seconds = timed(
        sql,
        """SELECT e.library_id, e.category_id, COUNT(*), COUNT(DISTINCT e.entrant_id), AVG(r.score)
           FROM submissions_entry e LEFT JOIN judging_roundresult r ON r.entry_id = e.id
           WHERE e.contest_id = %s AND e.status = 'submitted'
           GROUP BY e.library_id, e.category_id""",
        [contest_id],
    )
    return seconds


def server_start() -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": BENCH_URL,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz/", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def latency(path: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30) as response:
        response.read()
        assert response.status == 200, path
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def reads_measure(contest, library_ids: list[int], categories: list[int]) -> tuple[list[float], list[float]]:
    rng = random.Random(7)
    leaderboards = []
    for _ in range(REQUESTS):
        query = {"by": rng.choice(["library", "library", "library", "network"])}
        if rng.random() < 0.5:
            query["category"] = rng.choice(categories)
        if query["by"] == "library":
            query["page"] = rng.randint(1, 20)
        leaderboards.append(
            f"/api/contests/{contest.pk}/leaderboard/?" + "&".join(f"{k}={v}" for k, v in query.items())
        )
    lookups = [f"/api/libraries/{rng.choice(library_ids)}/" for _ in range(REQUESTS)]
    for path in leaderboards[:20] + lookups[:20]:  # warm both up
        latency(path)
    board, lookup = [], []
    for board_path, lookup_path in zip(leaderboards, lookups, strict=True):
        board.append(latency(board_path))
        lookup.append(latency(lookup_path))
    return board, lookup


def main() -> None:
    database_fresh()
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from contests.models import Contest, PrizeTier
    from people.models import Library, User
    from results.leaderboard import leaderboard_refresh
    from results.models import LeaderboardRow
    from results.prizes import prizes_award

    server = None
    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        judging_round, _judges = world_build()
        results_write(judging_round)
        contest = Contest.objects.get(pk=judging_round.contest_id)
        for rank, (name, quota, points) in enumerate(
            [("Giải Đặc biệt", 4, 10), ("Giải A", 8, 7), ("Giải B", 16, 5), ("Giải C", 32, 3), ("Khuyến khích", 64, 1)],
            start=1,
        ):
            PrizeTier.objects.create(contest=contest, name=name, rank=rank, quota=quota, points=points)
        organizer = User.objects.create(username="bantochuc", is_staff=True, is_superuser=True)
        version = sql("SHOW server_version")[0][0]
        print(
            f"results benchmark, PostgreSQL {version}: {ENTRIES:,} entries in {Library.objects.count():,} libraries ",
            end="",
        )
        print(f"({time.perf_counter() - started:.0f} s to build the rows, not timed)")

        report, seconds = timed(prizes_award, actor=organizer, contest=contest)
        print(f"award    {seconds:7.2f} s  ({report.awarded:,} tier prizes over the final ranking)")

        rebuilds, baselines = [], []
        for _run in range(RUNS):
            baselines.append(group_by_seconds(contest.pk))
            rows, seconds = timed(leaderboard_refresh, contest=contest)
            rebuilds.append(seconds)
        rebuild, baseline = statistics.median(rebuilds), statistics.median(baselines)
        print(
            f"rebuild  {rebuild:7.2f} s  ({rows:,} leaderboard rows)  GROUP BY {baseline:.2f} s; "
            f"ratio {rebuild / baseline:.2f} (medians of {RUNS})"
        )

        # Published, without telling a million entrants (publication itself is not measured here).
        sql("UPDATE contests_contest SET status = 'published', published_at = now() WHERE id = %s", [contest.pk])
        sql("VACUUM ANALYZE")
        server = server_start()
        library_ids = list(Library.objects.values_list("pk", flat=True))
        categories = list(contest.categories.values_list("pk", flat=True))
        board, lookup = reads_measure(contest, library_ids, categories)
        p50, p95 = percentile(board, 0.5), percentile(board, 0.95)
        base50, base95 = percentile(lookup, 0.5), percentile(lookup, 0.95)
        print(
            f"read     leaderboard p50 {p50 * 1000:.1f} ms  p95 {p95 * 1000:.1f} ms  over {REQUESTS} requests "
            f"({LeaderboardRow.objects.filter(contest=contest).count():,} rows stored)"
        )
        print(
            f"  baseline: one library by primary key p50 {base50 * 1000:.1f} ms  p95 {base95 * 1000:.1f} ms; "
            f"ratio p50 {p50 / base50:.2f}  p95 {p95 / base95:.2f} (target p95 <= 3)"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        if not os.environ.get("BENCH_KEEP"):
            database_drop()


if __name__ == "__main__":
    main()
