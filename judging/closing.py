"""Closing a round: every entry's score, its rank in its category, and who advances.

The work is one INSERT ... SELECT that the database runs over all of the round's scores (three
million in a national first round): nothing is loaded into Python row by row. The SQL keeps to
what PostgreSQL and SQLite share (CTEs, window functions).

How an entry's score comes from its judges' totals (a judge's total is the sum of weight x
mark over the round's criteria):
- weighted mean: the mean of the totals, each judge counting by their panel weight (1 by default);
- median: the middle total, or the mean of the two middle ones;
- trimmed mean: with 4 judges or more, the highest and the lowest total are dropped, then the mean;
- z-score: each judge's totals are standardized (minus that judge's mean, divided by that
  judge's population standard deviation; a judge whose totals are all equal gives 0), rescaled
  to the round (times the standard deviation of all totals, plus their mean), then averaged.
Scores are rounded to 4 decimals before ranking, so float noise never splits a tie. The
z-score is computed in floating point (square roots are not exact anyway); the other methods
average the exact decimal totals.

Rank, within the entry's category: higher score first; on equal scores, the higher lowest
judge's total (the entry its least convinced judge liked more); entries equal on both share
the rank (1, 2, 2, 4). "Top N" therefore lets every entry ranked N or better advance, ties
at the edge included. Per library and per network, the same ranking runs within each
category's entries of that library, or of that library's network.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.enums import AdvanceRule, Aggregation, RoundStatus
from contests.models import Round
from core.errors import Conflict
from core.services import audit_record
from judging import selectors
from judging.models import Assignment, Judge, RoundResult, Score
from judging.services import RoundClosed, round_lock, round_manager_check
from judging.signals import round_closed
from people.models import Library
from submissions.enums import EntryStatus
from submissions.models import Entry


class ScoresMissing(Conflict):
    code = "scores_missing"

    def __init__(self, count: int):
        super().__init__(
            _(
                "{count} assignments are not submitted yet. Wait for them, or close with force to leave them out."
            ).format(count=count)
        )
        self.count = count


@dataclass
class CloseReport:
    ranked: int
    advanced: int
    flagged: int
    left_out: list[dict[str, Any]] = field(default_factory=list)  # {"assignment", "entry", "code", "judge"}
    unscored_entries: list[str] = field(default_factory=list)  # codes of entries no judge scored (or had)


def _tables() -> dict[str, str]:
    return {
        "score": Score._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "judge": Judge._meta.db_table,
        "entry": Entry._meta.db_table,
        "library": Library._meta.db_table,
        "result": RoundResult._meta.db_table,
    }


def _rounded(expression: str) -> str:
    # Half away from zero, the one convention of every figure (core.figures); on SQLite, ROUND
    # is core.figures.sqlite_round, which rounds as PostgreSQL's ROUND(numeric) does.
    return f"ROUND(CAST({expression} AS NUMERIC), 4)"


# Each method's `scored` yields, per entry: the score (rounded to 4 decimals where it is made,
# once) and the judges' count, lowest total and spread, in one pass over `marks` wherever the
# method allows it.
_STATS = f"COUNT(*) AS judges, {_rounded('MIN(total)')} AS lowest, {_rounded('MAX(total) - MIN(total)')} AS spread"
_PER_ENTRY = "GROUP BY entry_id"
_TRIMMED_MEAN = """CASE WHEN COUNT(*) >= 4
                        THEN (SUM(total) - MAX(total) - MIN(total)) * 1.0 / (COUNT(*) - 2)
                        ELSE SUM(total) * 1.0 / COUNT(*) END"""
_MIDDLE = """SUM(CASE WHEN position IN ((n + 1) / 2, (n + 2) / 2) THEN total END) * 1.0
             / SUM(CASE WHEN position IN ((n + 1) / 2, (n + 2) / 2) THEN 1 END)"""
_SCORE_CTES = {
    Aggregation.WEIGHTED_MEAN: f"""
        scored AS (
            SELECT entry_id, {_rounded("SUM(weight * total) * 1.0 / SUM(weight)")} AS score, {_STATS}
            FROM marks {_PER_ENTRY}
        )""",
    Aggregation.TRIMMED_MEAN: f"""
        scored AS (
            SELECT entry_id, {_rounded(_TRIMMED_MEAN)} AS score, {_STATS}
            FROM marks {_PER_ENTRY}
        )""",
    Aggregation.MEDIAN: f"""
        ordered_marks AS (
            -- one window for both, the whole entry as its frame: one pass over the sorted marks
            SELECT marks.*, ROW_NUMBER() OVER entry_marks AS position, COUNT(*) OVER entry_marks AS n
            FROM marks
            WINDOW entry_marks AS (
                PARTITION BY entry_id ORDER BY total ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
            )
        ),
        scored AS (
            SELECT entry_id, {_rounded(_MIDDLE)} AS score, {_STATS}
            FROM ordered_marks {_PER_ENTRY}
        )""",
    Aggregation.ZSCORE: f"""
        marks_f AS (SELECT entry_id, judge_id, total, CAST(total AS DOUBLE PRECISION) AS total_f FROM marks),
        judge_sums AS (
            SELECT judge_id, COUNT(*) AS n, SUM(total_f) AS s, SUM(total_f * total_f) AS squares
            FROM marks_f GROUP BY judge_id
        ),
        round_stats AS (
            -- from the judges' sums: one pass over the marks fewer
            SELECT SUM(s) / SUM(n) AS mean, SUM(squares) / SUM(n) - (SUM(s) / SUM(n)) * (SUM(s) / SUM(n)) AS variance
            FROM judge_sums
        ),
        judge_stats AS (
            -- the round's figures on every judge's row (subqueries, not a join: the planner is
            -- told to avoid nested loops)
            SELECT judge_id, s / n AS mean, squares / n - (s / n) * (s / n) AS variance,
                   (SELECT mean FROM round_stats) AS round_mean, (SELECT variance FROM round_stats) AS round_variance
            FROM judge_sums
        ),
        judge_slopes AS (
            SELECT judge_id, mean, round_mean,
                   CASE WHEN variance > 0.000000001 AND round_variance > 0.000000001
                        THEN SQRT(round_variance) / SQRT(variance) ELSE 0 END AS slope
            FROM judge_stats
        ),
        judge_scales AS (
            -- round's mean + (total - judge's mean) / judge's deviation x round's deviation, as
            -- intercept + slope x total: worked out once per judge, not once per mark
            SELECT judge_id, slope, round_mean - mean * slope AS intercept FROM judge_slopes
        ),
        scored AS (
            SELECT entry_id, {_rounded("AVG(js.intercept + js.slope * total_f)")} AS score, {_STATS}
            FROM marks_f JOIN judge_scales js USING (judge_id)
            {_PER_ENTRY}
        )""",
}


def _results_sql(judging_round: Round) -> tuple[str, list[Any]]:
    t = _tables()
    # Withdrawn and disqualified entries count for nothing. The entries are joined once per
    # entry after grouping, which leaves them out there; the z-score standardizes each judge
    # over their marks, so it leaves their marks out up front as well.
    standardized = judging_round.aggregation == Aggregation.ZSCORE
    params: list[Any] = [judging_round.pk]
    if standardized:
        params += [judging_round.contest_id, EntryStatus.SUBMITTED]
    params.append(EntryStatus.SUBMITTED)
    by_network = judging_round.advance == AdvanceRule.TOP_N_PER_NETWORK
    group = {AdvanceRule.TOP_N_PER_LIBRARY: "library_id", AdvanceRule.TOP_N_PER_NETWORK: "network_id"}.get(
        judging_round.advance, "category_id"
    )
    if judging_round.max_spread is None:
        flagged = "FALSE"
    else:
        flagged = "spread > CAST(%s AS NUMERIC)"
        params.append(str(judging_round.max_spread))
    if judging_round.advance == AdvanceRule.NONE:
        advanced = "FALSE"
    elif judging_round.advance == AdvanceRule.THRESHOLD:
        advanced = "score >= CAST(%s AS NUMERIC)"
        params.append(str(judging_round.advance_value))
    elif group == "category_id":
        advanced = "rank <= %s"  # top N in the category: the overall rank says it
        params.append(int(judging_round.advance_value))
    else:
        advanced = "group_rank <= %s"
        params.append(int(judging_round.advance_value))
    network = f"(SELECT network_id FROM {t['library']} l WHERE l.id = e.library_id)" if by_network else "NULL"
    # The quota per library or network costs a second sort of every entry: only when the rule
    # asks for it.
    if group == "category_id":
        grouping = "SELECT ranked.* FROM ranked"
    else:
        grouping = f"""
            SELECT ranked.*,
                   RANK() OVER (PARTITION BY category_id, {group} ORDER BY score_key DESC, lowest_key DESC)
                   AS group_rank
            FROM ranked
        """
    weighted = judging_round.aggregation == Aggregation.WEIGHTED_MEAN
    if weighted and Judge.objects.filter(round=judging_round).exclude(weight=1).exists():
        weight = "COALESCE(j.weight, 1)"
        weights = f"LEFT JOIN {t['judge']} j ON j.round_id = a.round_id AND j.user_id = a.judge_id"
    else:
        weight, weights = "1", ""
    scoring = _SCORE_CTES[judging_round.aggregation]
    if weighted and not weights:
        scoring = scoring.replace("SUM(weight * total) * 1.0 / SUM(weight)", "AVG(total)")
    # (With every weight 1 the weighted mean is the plain mean: no need to join the panel.)
    gone = (
        f"AND a.entry_id NOT IN (SELECT id FROM {t['entry']} WHERE contest_id = %s AND status <> %s)"
        if standardized
        else ""
    )
    sql = f"""
        WITH marks AS (
            SELECT a.entry_id, a.judge_id, s.total, {weight} AS weight
            FROM {t["score"]} s
            JOIN {t["assignment"]} a ON a.id = s.assignment_id
            {weights}
            WHERE a.round_id = %s AND s.submitted
              {gone}
        ),
        {scoring},
        ranked AS (
            -- Sorting by floats is faster than by numerics. Scores (rounded) and totals have 4
            -- decimals, and converting such numbers to double precision keeps their order and
            -- their ties, so the ranks are those of the exact values.
            SELECT scored.entry_id, e.category_id, e.library_id, {network} AS network_id,
                   score, lowest, spread, judges,
                   CAST(score AS DOUBLE PRECISION) AS score_key, CAST(lowest AS DOUBLE PRECISION) AS lowest_key
            FROM scored JOIN {t["entry"]} e ON e.id = scored.entry_id AND e.status = %s
        ),
        grouped AS ({grouping}),
        standings AS (
            -- ranked last, so that rows reach the table in (category, rank) order: its index
            -- then grows at one end instead of everywhere
            SELECT grouped.*,
                   RANK() OVER (PARTITION BY category_id ORDER BY score_key DESC, lowest_key DESC) AS rank
            FROM grouped
        )
        INSERT INTO {t["result"]}
            (round_id, entry_id, category_id, score, lowest, spread, judges, rank, flagged, advanced)
        SELECT {judging_round.pk}, entry_id, category_id, score, lowest, spread, judges, rank, {flagged}, {advanced}
        FROM standings
    """
    return sql, params


@transaction.atomic
def round_close(*, actor, judging_round: Round, force: bool = False) -> CloseReport:
    judging_round = round_lock(judging_round)
    round_manager_check(actor, judging_round)
    if judging_round.status == RoundStatus.CLOSED:
        raise RoundClosed(_("This round is already closed."))
    live = selectors.live_assignments(judging_round)
    assigned = live.count()
    if not assigned:
        raise Conflict(_("This round has no assignments to close; assign its entries first."))

    # Rank first, check after: the ranking's own pass counts the submitted marks, so the usual
    # case (every mark in) needs no second pass over millions of scores to find the missing
    # ones. A refusal raises, and the transaction takes the results back with it.
    sql, params = _results_sql(judging_round)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Ranking a national round sorts a million rows: in memory, not in temporary files.
            cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.JUDGING_CLOSE_WORK_MEM])
            cursor.execute("SELECT set_config('jit', 'off', true)")  # compiling costs more than it saves here
            # Every join here is between whole sets, but the planner cannot count the rows of a
            # CTE read several times (the z-score's marks) and guesses 200: it then fetches the
            # entries one by one through their index (5 s at a million). No nested loops, for
            # this statement only.
            cursor.execute("SELECT current_setting('enable_nestloop')")
            (nested_loops,) = cursor.fetchone()
            cursor.execute("SELECT set_config('enable_nestloop', 'off', true)")
            # The counts come back from the insert itself, instead of reading the million new
            # rows again.
            cursor.execute(
                f"""WITH inserted AS ({sql} RETURNING advanced, flagged, judges)
                    SELECT COUNT(*), COUNT(CASE WHEN advanced THEN 1 END), COUNT(CASE WHEN flagged THEN 1 END),
                           COALESCE(SUM(judges), 0)
                    FROM inserted""",
                params,
            )
            counts = dict(zip(["ranked", "advanced", "flagged", "marks"], cursor.fetchone(), strict=True))
            cursor.execute("SELECT set_config('enable_nestloop', %s, true)", [nested_loops])
        else:
            cursor.execute(sql, params)
            counts = RoundResult.objects.filter(round=judging_round).aggregate(
                ranked=Count("pk"),
                advanced=Count("pk", filter=Q(advanced=True)),
                flagged=Count("pk", filter=Q(flagged=True)),
                marks=Sum("judges", default=0),
            )
    missing = assigned - counts.pop("marks")
    if missing and not force:
        raise ScoresMissing(missing)
    # Every entry of the round needs judges: one that came in after the assignment (a reopened
    # contest) and was never assigned must not vanish from the results unnoticed.
    expected = selectors.round_entries(judging_round).count()
    unassigned = []
    if expected > counts["ranked"]:
        unassigned = list(
            selectors.round_entries(judging_round)
            .exclude(pk__in=live.values("entry_id"))
            .order_by("code")
            .values_list("code", flat=True)
        )
    if unassigned and not force:
        raise Conflict(
            _("{count} entries of this round have no judges; run the assignment again.").format(count=len(unassigned))
        )
    left_out = []
    if missing:
        left_out = [
            {"assignment": pk, "entry": entry_id, "code": code, "judge": judge_id}
            for pk, entry_id, code, judge_id in live.exclude(score__submitted=True)
            .order_by("entry__code", "judge_id")
            .values_list("pk", "entry_id", "entry__code", "judge_id")
        ]
    # An entry without a result had no submitted score, so it is among the left-out ones.
    with_result = set(
        RoundResult.objects.filter(round=judging_round, entry_id__in={row["entry"] for row in left_out}).values_list(
            "entry_id", flat=True
        )
    )
    unscored = sorted({row["code"] for row in left_out if row["entry"] not in with_result} | set(unassigned))
    judging_round.status, judging_round.closed_at = RoundStatus.CLOSED, timezone.now()
    judging_round.save(update_fields=["status", "closed_at"])
    report = CloseReport(**counts, left_out=left_out, unscored_entries=unscored)
    round_closed.send(sender=Round, judging_round=judging_round)
    audit_record(
        actor=actor,
        action="round.closed",
        target=judging_round,
        after={
            "ranked": report.ranked,
            "advanced": report.advanced,
            "forced": force,
            "left_out": [row["assignment"] for row in left_out],
        },
    )
    return report
