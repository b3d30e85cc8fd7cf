"""The scale a round's marks are compared on, shared by closing and by the live disagreement
list, so that a spread flagged while judges mark is the spread closing flags.

Under the weighted mean, the median and the trimmed mean, a judge's mark is their total. Under
the normalizing methods (z-score, judge effects) it is their total read back onto the round's
common scale through a line per judge, mark = intercept + slope x total, counted by weight x
factor: the temporary judging_judge_scale table, which `judge_scales_fill` writes first (by
SQL for the z-score, by judging.normalization for the judge-effects model). An entry's lowest
mark and its spread (highest minus lowest mark) are then on that scale: a harsh judge's low
total is no sign of disagreement once it is read as what it means.

`marks_sql` is the round's submitted marks as a CTE: entry_id, judge_id, total and the judge's
weight (in hundredths, an integer, so that sums of weights are exact in both databases; or 1
when every weight is 1).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from django.db import connection, transaction

from contests.enums import NORMALIZING, Aggregation
from contests.models import Round
from judging.models import Assignment, Judge, RoundResult, Score
from judging.normalization import judge_effects_fit
from people.models import Library
from submissions.enums import EntryStatus
from submissions.models import Entry


def tables() -> dict[str, str]:
    return {
        "score": Score._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "judge": Judge._meta.db_table,
        "entry": Entry._meta.db_table,
        "library": Library._meta.db_table,
        "result": RoundResult._meta.db_table,
    }


def rounded(expression: str) -> str:
    # Half away from zero, the one convention of every figure (core.figures); on SQLite, ROUND
    # is core.figures.sqlite_round, which rounds as PostgreSQL's ROUND(numeric) does. Rounded to
    # 4 decimals, float noise never splits a tie nor crosses a limit.
    return f"ROUND(CAST({expression} AS NUMERIC), 4)"


def mark_stats(mark: str) -> str:
    """An entry's judges, lowest mark and spread, from the `mark` column of its rows: the one
    formula of the flag and of the tie-break, live and at closing."""
    return f"COUNT(*) AS judges, {rounded(f'MIN({mark})')} AS lowest, {rounded(f'MAX({mark}) - MIN({mark})')} AS spread"


# Every mark on the common scale, with its strength (weight x factor): needs judging_judge_scale.
SCALED_MARKS = """
        scaled_marks AS (
            SELECT entry_id, weight * js.factor AS strength,
                   js.intercept + js.slope * CAST(total AS DOUBLE PRECISION) AS mark
            FROM marks JOIN judging_judge_scale js USING (judge_id)
        )"""


def weighted(judging_round: Round) -> bool:
    return Judge.objects.filter(round=judging_round).exclude(weight=1).exists()


def marks_sql(judging_round: Round) -> tuple[str, list[Any]]:
    """The `marks` CTE: the round's submitted marks, with the judges' weights where any
    differs from 1."""
    t = tables()
    # Withdrawn and disqualified entries count for nothing. The entries are joined once per
    # entry after grouping, which leaves them out there; the normalizing methods scale each
    # judge over their marks, so they leave those marks out up front as well.
    standardized = judging_round.aggregation in NORMALIZING
    params: list[Any] = [judging_round.pk]
    if standardized:
        params += [judging_round.contest_id, EntryStatus.SUBMITTED]
    if weighted(judging_round):
        weight = "CAST(ROUND(COALESCE(j.weight, 1) * 100) AS INTEGER)"
        weights = f"LEFT JOIN {t['judge']} j ON j.round_id = a.round_id AND j.user_id = a.judge_id"
    else:
        weight, weights = "1", ""  # every weight 1: no need to join the panel
    gone = (
        f"AND a.entry_id NOT IN (SELECT id FROM {t['entry']} WHERE contest_id = %s AND status <> %s)"
        if standardized
        else ""
    )
    sql = f"""
        marks AS (
            SELECT a.entry_id, a.judge_id, s.total, {weight} AS weight
            FROM {t["score"]} s
            JOIN {t["assignment"]} a ON a.id = s.assignment_id
            {weights}
            WHERE a.round_id = %s AND s.submitted
              {gone}
        )"""
    return sql, params


def _zscore_scales_sql(min_marks: int) -> str:
    """Each judge's line for the z-score, from their count, sum and sum of squares: one pass
    over the marks. Judges with too few marks or no spread keep their totals (slope 1), and
    the round's mean and deviation come from the others only."""
    return f"""
        marks_f AS (SELECT judge_id, total, CAST(total AS DOUBLE PRECISION) AS total_f FROM marks),
        judge_sums AS (
            SELECT judge_id, COUNT(*) AS n, SUM(total_f) AS s, SUM(total_f * total_f) AS squares,
                   CASE WHEN MAX(total) = MIN(total) THEN 1 ELSE 0 END AS flat,
                   CASE WHEN COUNT(*) >= {int(min_marks)} AND MAX(total) > MIN(total) THEN 1 ELSE 0 END AS normalized
            FROM marks_f GROUP BY judge_id
        ),
        round_stats AS (
            SELECT SUM(s) / SUM(n) AS mean, SUM(squares) / SUM(n) - (SUM(s) / SUM(n)) * (SUM(s) / SUM(n)) AS variance
            FROM judge_sums WHERE normalized = 1
        ),
        judge_stats AS (
            SELECT judge_id, n, flat, normalized, s / n AS mean, squares / n - (s / n) * (s / n) AS variance,
                   (SELECT mean FROM round_stats) AS round_mean, (SELECT variance FROM round_stats) AS round_variance
            FROM judge_sums
        ),
        judge_slopes AS (
            SELECT judge_id, n, flat, mean, round_mean,
                   CASE WHEN normalized = 1 AND variance > 0 AND round_variance > 0
                        THEN SQRT(round_variance) / SQRT(variance) END AS slope
            FROM judge_stats
        )
        SELECT judge_id, n, flat, CASE WHEN slope IS NULL THEN 0 ELSE round_mean - mean * slope END,
               COALESCE(slope, 1), 1
        FROM judge_slopes"""


def judge_scales_fill(judging_round: Round) -> list[dict[str, Any]]:
    """For a normalizing method, (re)creates the temporary judging_judge_scale table of this
    connection with every judge's line, and returns the judges kept raw. Other methods: [].
    On PostgreSQL the table goes with the transaction: call this inside one."""
    if judging_round.aggregation not in NORMALIZING:
        return []
    marks, params = marks_sql(judging_round)
    min_marks = judging_round.normalize_min_marks
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS judging_judge_scale")
        cursor.execute(
            "CREATE TEMPORARY TABLE judging_judge_scale (judge_id BIGINT PRIMARY KEY, marks INTEGER, flat INTEGER, "
            "intercept DOUBLE PRECISION, slope DOUBLE PRECISION, factor DOUBLE PRECISION)"
            + (" ON COMMIT DROP" if connection.vendor == "postgresql" else "")
        )
        columns = "judge_id, marks, flat, intercept, slope, factor"
        if judging_round.aggregation == Aggregation.ZSCORE:
            cursor.execute(
                f"INSERT INTO judging_judge_scale ({columns}) WITH {marks}, {_zscore_scales_sql(min_marks)}", params
            )
        else:
            cursor.execute(
                f"WITH {marks} SELECT entry_id, judge_id, CAST(total AS DOUBLE PRECISION), weight FROM marks", params
            )
            rows = cursor.fetchall()
            columns_of = list(zip(*rows, strict=True)) if rows else [[], [], [], []]
            scales = judge_effects_fit(*(np.array(c) for c in columns_of), min_marks=min_marks)
            cursor.executemany(
                f"INSERT INTO judging_judge_scale ({columns}) VALUES (%s, %s, %s, %s, %s, %s)",
                [(j, n, int(flat), c, slope, f) for j, n, flat, c, slope, f in scales.rows()],
            )
        cursor.execute(
            "SELECT judge_id, marks, flat FROM judging_judge_scale WHERE marks < %s OR flat = 1 ORDER BY judge_id",
            [min_marks],
        )
        return [
            {"judge": judge_id, "marks": n, "reason": "no_spread" if flat else "few_marks"}
            for judge_id, n, flat in cursor.fetchall()
        ]


def judge_scales_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS judging_judge_scale")


def marks_on_scale_sql(judging_round: Round) -> tuple[str, str, list[Any]]:
    """The CTEs of the round's marks on its method's scale: (CTEs, the CTE to read, params);
    that CTE has entry_id and mark. Needs `judge_scales_fill` first under a normalizing method."""
    marks, params = marks_sql(judging_round)
    if judging_round.aggregation in NORMALIZING:
        return f"{marks}, {SCALED_MARKS}", "scaled_marks", params
    return f"{marks}, marks_as_given AS (SELECT entry_id, total AS mark FROM marks)", "marks_as_given", params


@contextmanager
def marks_on_scale(judging_round: Round) -> Iterator[tuple[str, str, list[Any]]]:
    """`marks_on_scale_sql` with the judges' lines written for the block's queries (in a
    transaction of its own if there is none), and gone after it."""
    with transaction.atomic():
        judge_scales_fill(judging_round)
        try:
            yield marks_on_scale_sql(judging_round)
        finally:
            if judging_round.aggregation in NORMALIZING:
                judge_scales_drop()
