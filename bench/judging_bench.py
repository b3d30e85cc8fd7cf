"""Judging a national round on PostgreSQL: a benchmark, not a test. It prints its figures and
their ratios against baselines measured in the same run, on the same rows:

- assigning 1,000,000 entries x 3 judges over 2,000 judges with the real service (plan in
  memory, one COPY), against the database writing the same 3,000,000 assignment rows with a
  bare INSERT ... SELECT (no planning at all). Target: under 60 s.
- closing the round over its 3,000,000 scores with the real service, for each aggregation
  (the judge-effects model included: its fit reads every mark into numpy), against a raw
  GROUP BY over the same rows (count and mean per entry). Target: within 3x.
  Each is measured BENCH_RUNS times (3) from the same start, and the medians are compared:
  this machine's timings vary by a fifth from run to run.

    make bench-judging                  # 1,000,000 entries; BENCH_ENTRIES=100000 for a quick look

It builds its own database (BENCH_DATABASE_URL, default dsvhd_bench on the local server) and
drops it again at the end. The rows are written with SQL (not timed); only the service calls
and their baselines are timed.
"""

import os
import statistics
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dsvhd_bench")
ENTRIES = int(os.environ.get("BENCH_ENTRIES", "1000000"))
JUDGES = int(os.environ.get("BENCH_JUDGES", "2000"))
LIBRARIES = 7_900  # the schools and universities of the 2022 contest
PROVINCES = 63
PER_ENTRY = 3
RUNS = int(os.environ.get("BENCH_RUNS", "3"))  # each closing and its baseline; the medians are compared
CLOSE = os.environ.get("BENCH_CLOSE", "1") != "0"  # BENCH_CLOSE=0: the assignment's figures only


def database_fresh() -> None:
    admin_url = BENCH_URL.rsplit("/", 1)[0] + "/postgres"
    name = BENCH_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def database_drop() -> None:
    from django.db import connections

    connections.close_all()
    admin_url = BENCH_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_URL.rsplit("/", 1)[1]}" WITH (FORCE)')


def timed(what, *args, **kwargs):
    started = time.perf_counter()
    result = what(*args, **kwargs)
    return result, time.perf_counter() - started


def sql(statement: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def world_build():
    """A national contest: 63 provinces, 7,900 libraries, one entrant per entry, judges of
    whom half belong to a library (so that the no-own-library rule bites)."""
    from decimal import Decimal

    from contests.enums import AdvanceRule, ContestStatus
    from contests.models import Category, Contest, Criterion, Round
    from judging.models import Judge
    from people.models import Network

    national = Network.objects.create(name="Toàn quốc", kind="national", path="")
    national.path = f"/{national.pk}/"
    national.save()
    sql(
        """INSERT INTO people_network (name, short_name, kind, path, parent_id)
           SELECT 'Tỉnh ' || n, '', 'province', '', %s FROM generate_series(1, %s) n""",
        [national.pk, PROVINCES],
    )
    sql("UPDATE people_network SET path = %s || id || '/' WHERE parent_id = %s", [national.path, national.pk])
    sql(
        """INSERT INTO people_library (name, short_name, student_count, network_id)
           SELECT 'Thư viện ' || n, '', 1000,
                  (SELECT id FROM people_network WHERE parent_id = %s ORDER BY id OFFSET n %% %s LIMIT 1)
           FROM generate_series(1, %s) n""",
        [national.pk, PROVINCES, LIBRARIES],
    )
    first_library = sql("SELECT MIN(id) FROM people_library")[0][0]
    user_columns = "password, is_superuser, username, is_staff, is_active, date_joined, full_name, email, language"
    sql(
        f"""INSERT INTO people_user ({user_columns}, library_id)
            SELECT '!', FALSE, 'hs' || n, FALSE, TRUE, now(), 'Học sinh ' || n, 'hs' || n || '@example.com', 'vi',
                   %s + n %% %s
            FROM generate_series(1, %s) n""",
        [first_library, LIBRARIES, ENTRIES],
    )
    sql(
        f"""INSERT INTO people_user ({user_columns}, library_id)
            SELECT '!', FALSE, 'gk' || n, FALSE, TRUE, now(), 'Giám khảo ' || n, 'gk' || n || '@example.com', 'vi',
                   CASE WHEN n %% 2 = 0 THEN %s + n %% %s END
            FROM generate_series(1, %s) n""",
        [first_library, LIBRARIES, JUDGES],
    )
    contest = Contest.objects.create(
        title="Đại sứ Văn hóa đọc (benchmark)",
        network=national,
        code_prefix="BENCH",
        status=ContestStatus.CLOSED,
        submission_opens_at="2026-03-01T00:00:00+07:00",
        submission_closes_at="2026-06-30T00:00:00+07:00",
    )
    junior = Category.objects.create(contest=contest, name="Tiểu học & THCS")
    senior = Category.objects.create(contest=contest, name="THPT & Đại học")
    judging_round = Round.objects.create(
        contest=contest,
        name="Vòng sơ khảo",
        order=1,
        judges_per_entry=PER_ENTRY,
        advance=AdvanceRule.TOP_N_PER_LIBRARY,
        advance_value=Decimal(1),
        max_spread=Decimal(30),
    )
    for name, weight, maximum in [("Nội dung", 4, 40), ("Cảm xúc", 3, 30), ("Trình bày", 2, 20), ("Sáng tạo", 1, 10)]:
        Criterion.objects.create(round=judging_round, name=name, weight=Decimal(weight), max_score=Decimal(maximum))
    sql(
        """INSERT INTO submissions_entry
             (contest_id, category_id, entrant_id, library_id, submitted_by_id, code, title, book_title,
              book_author, book_publisher, book_isbn, body, word_count, attachment, attachment_name,
              attachment_type, blind_attachment, video_url, status, disqualification_reason, is_paper,
              created_at, updated_at)
           SELECT %s, CASE WHEN u.id %% 3 = 0 THEN %s ELSE %s END, u.id, u.library_id, u.id,
                  'BENCH-' || u.id, 'Bài ' || u.id, 'Dế Mèn phiêu lưu ký', 'Tô Hoài', '', '', 'Nội dung', 2,
                  '', '', '', '', '', 'submitted', '', FALSE, now(), now()
           FROM people_user u WHERE u.username LIKE 'hs%%'""",
        [contest.pk, junior.pk, senior.pk],
    )
    judge_ids = [pk for (pk,) in sql("SELECT id FROM people_user WHERE username LIKE 'gk%%' ORDER BY id")]
    Judge.objects.bulk_create([Judge(round=judging_round, user_id=pk) for pk in judge_ids], batch_size=2000)
    sql("ANALYZE")
    return judging_round, judge_ids


def bare_write_seconds(judging_round, judge_ids) -> float:
    """The same number of assignment rows, into the same table with its indexes, chosen by SQL
    arithmetic: what writing alone costs. Done in a second round, then removed."""
    from contests.models import Round

    scratch = Round.objects.create(contest=judging_round.contest, name="scratch", order=99)
    _, seconds = timed(
        sql,
        """INSERT INTO judging_assignment (round_id, entry_id, judge_id, is_extra, created_at)
           SELECT %s, e.id, %s + (e.id * 3 + k) %% %s, FALSE, now()
           FROM submissions_entry e CROSS JOIN generate_series(0, %s) k""",
        [scratch.pk, judge_ids[0], len(judge_ids), PER_ENTRY - 1],
    )
    sql("DELETE FROM judging_assignment WHERE round_id = %s", [scratch.pk])
    scratch.delete()
    return seconds


def scores_write(judging_round) -> None:
    """Every assignment submitted, marks in quarter points: content 0..40 weighs 4, the rest 2."""
    sql(
        """INSERT INTO judging_score (assignment_id, marks, total, comment, submitted, submitted_at, updated_at)
           SELECT a.id, '{}'::jsonb, (floor(random() * 161) / 4) * 4 + (floor(random() * 241) / 4) * 2,
                  '', TRUE, now(), now()
           FROM judging_assignment a WHERE a.round_id = %s""",
        [judging_round.pk],
    )
    sql("ANALYZE")


def round_reopen(judging_round) -> None:
    """Back to scoring with no results, the table vacuumed and a checkpoint taken, so that each
    measurement starts alike: one run's dead rows and pending writes do not land on the next."""
    from contests.enums import RoundStatus
    from judging.models import RoundResult

    judging_round.status = RoundStatus.SCORING
    judging_round.save()
    RoundResult.objects.filter(round=judging_round).delete()
    sql("VACUUM judging_roundresult")
    sql("CHECKPOINT")


def group_by_seconds(judging_round) -> float:
    """The floor: the database grouping the round's scores per entry, and nothing else; with
    the same memory for its work as the closing gets."""
    from django.conf import settings
    from django.db import transaction

    with transaction.atomic():
        sql("SELECT set_config('work_mem', %s, true)", [settings.JUDGING_CLOSE_WORK_MEM])
        _, seconds = timed(
            sql,
            """SELECT COUNT(*), SUM(score) FROM (
                   SELECT a.entry_id, AVG(s.total) AS score
                   FROM judging_score s JOIN judging_assignment a ON a.id = s.assignment_id
                   WHERE a.round_id = %s AND s.submitted
                   GROUP BY a.entry_id
               ) per_entry""",
            [judging_round.pk],
        )
    return seconds


def main() -> None:
    database_fresh()
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from contests.enums import Aggregation
    from judging import closing, services
    from judging.signals import round_closed
    from people.models import User
    from results.receivers import leaderboard_after_round_close

    # A close queues the contest's leaderboard refresh for a worker, after its commit; without a
    # broker here it would run inside the timed call. The organizer's request does not wait for
    # it, so neither does this figure (`make bench-results` times the rebuild).
    round_closed.disconnect(leaderboard_after_round_close)

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        judging_round, judge_ids = world_build()
        organizer = User.objects.create(username="bantochuc", is_staff=True, is_superuser=True)
        version = sql("SHOW server_version")[0][0]
        print(f"judging benchmark, PostgreSQL {version}: {ENTRIES:,} entries, {len(judge_ids):,} judges, ", end="")
        print(f"{PER_ENTRY} per entry ({time.perf_counter() - started:.0f} s to build the rows, not timed)")

        bare = bare_write_seconds(judging_round, judge_ids)
        report, assign = timed(services.round_assign, actor=organizer, judging_round=judging_round)
        print(
            f"assign   {assign:7.2f} s  ({report.added:,} assignments, loads {report.lightest_load}-"
            f"{report.heaviest_load}, {len(report.short)} short)  target < 60 s"
        )
        print(f"  design (judges mixed from the round's seed): {report.design}")
        print(f"  baseline: bare INSERT ... SELECT of the same rows {bare:.2f} s; ratio {assign / bare:.2f}")
        again, rerun = timed(services.round_assign, actor=organizer, judging_round=judging_round)
        print(f"  run again (adds {again.added}, moves {again.moved}): {rerun:.2f} s")

        if CLOSE:
            scores_write(judging_round)
        for aggregation in Aggregation if CLOSE else ():
            judging_round.aggregation = aggregation
            baselines, closes = [], []
            for _run in range(RUNS):
                round_reopen(judging_round)
                baselines.append(group_by_seconds(judging_round))
                round_reopen(judging_round)
                close_report, seconds = timed(closing.round_close, actor=organizer, judging_round=judging_round)
                closes.append(seconds)
            baseline, seconds = statistics.median(baselines), statistics.median(closes)
            print(
                f"close    {seconds:7.2f} s  {aggregation.value:<14} ({close_report.ranked:,} ranked, "
                f"{close_report.advanced:,} advance)  GROUP BY {baseline:.2f} s; ratio {seconds / baseline:.2f} "
                f"(target <= 3; medians of {RUNS}, closing {min(closes):.2f}-{max(closes):.2f} s)"
            )
    finally:
        if not os.environ.get("BENCH_KEEP"):  # BENCH_KEEP=1 leaves the database for a closer look
            database_drop()


if __name__ == "__main__":
    main()
