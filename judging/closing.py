"""Closing a round: every entry's score, its rank in its category, and who advances.

The work is one INSERT ... SELECT that the database runs over all of the round's scores (three
million in a national first round): nothing is loaded into Python row by row. The SQL keeps to
what PostgreSQL and SQLite share (CTEs, window functions).

How an entry's score comes from its judges' totals (a judge's total is the sum of weight x
mark over the round's criteria). Every method counts each judge by their panel weight (1 by
default):
- weighted mean: the weighted mean of the totals;
- median: the weighted median: the total at which half of the entry's judges' weight lies
  below and half above (the mean of the two middle totals when it falls between them); with
  equal weights, the ordinary median;
- trimmed mean: with 4 judges or more, the highest and the lowest total are dropped (on equal
  totals, the later judge's at the top, the earlier one's at the bottom), then the weighted
  mean of the rest; an entry with fewer judges gets the weighted mean of all (a round refuses
  this method with fewer than 4 judges per entry: see contests.models.Round.clean);
- z-score: each judge's totals are standardized (minus that judge's mean, divided by that
  judge's population standard deviation), rescaled to the round (times the standard deviation
  of the round's standardized judges' totals, plus their mean), then weighted-averaged;
- judge effects: each judge's severity and scale are fitted together with the entries'
  quality by least squares (judging.normalization); each total is read back onto the average
  judge's scale and the entry's score is their weighted least-squares mean.
The last two are the normalizing methods. A judge with fewer submitted marks than the round's
`normalize_min_marks`, or whose totals are all equal, cannot be normalized: dividing by a
spread of 0, or of two marks, turns any difference into plus or minus one standard deviation.
Their totals count as given, on the round's own scale (they do not enter the round's mean and
deviation either, so they move nobody else's score), and closing lists them (`kept_raw`).
Scores are rounded to 4 decimals before ranking, so float noise never splits a tie. The
normalizing methods compute in floating point; the others use the exact decimal totals.

Rank, within the entry's category: higher score first; on equal scores, the higher lowest
judge's mark (the entry its least convinced judge liked more); entries equal on both share
the rank (1, 2, 2, 4). The lowest mark and the spread that flags a disagreement are on the
method's own scale: under the normalizing methods, each judge's mark as read back onto the
common scale, not the raw total (a harsh judge's low total is no sign of disagreement).
"Top N" therefore lets every entry ranked N or better advance, ties at the edge included.
Per library and per network, the same ranking runs within each category's entries of that
library, or of that library's network.
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
from judging import scales, selectors
from judging.models import RoundResult
from judging.services import RoundClosed, round_lock, round_manager_check
from judging.signals import round_closed
from submissions.enums import EntryStatus


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
    kept_raw: list[dict[str, Any]] = field(default_factory=list)  # {"judge", "marks", "reason"}: not normalized


# Each method's `scored` yields, per entry: the score (rounded to 4 decimals where it is made,
# once) and the judges' count, lowest mark and spread, in one pass over `marks` wherever the
# method allows it. `marks` has one row per submitted mark: entry_id, judge_id, total and the
# judge's weight (in hundredths, an integer, so that sums of weights are exact in both
# databases; or 1 when every weight is 1).
_STATS = scales.mark_stats("total")  # under these methods a judge's mark is their total
_PER_ENTRY = "GROUP BY entry_id"


def _mean_sql(weighted: bool) -> str:
    score = "SUM(weight * total) * 1.0 / SUM(weight)" if weighted else "AVG(total)"
    return f"""
        scored AS (
            SELECT entry_id, {scales.rounded(score)} AS score, {_STATS}
            FROM marks {_PER_ENTRY}
        )"""


_TRIMMED_MEAN = """CASE WHEN COUNT(*) >= 4
                        THEN (SUM(total) - MAX(total) - MIN(total)) * 1.0 / (COUNT(*) - 2)
                        ELSE SUM(total) * 1.0 / COUNT(*) END"""
# With weights, which judge is dropped matters: the top and bottom of the entry's totals in
# (total, judge) order.
_WEIGHTED_TRIMMED_MEAN = """CASE WHEN MAX(n) >= 4
                        THEN SUM(CASE WHEN position > 1 AND position < n THEN weight * total END) * 1.0
                             / SUM(CASE WHEN position > 1 AND position < n THEN weight END)
                        ELSE SUM(weight * total) * 1.0 / SUM(weight) END"""


def _trimmed_mean_sql(weighted: bool) -> str:
    if not weighted:
        return f"""
        scored AS (
            SELECT entry_id, {scales.rounded(_TRIMMED_MEAN)} AS score, {_STATS}
            FROM marks {_PER_ENTRY}
        )"""
    return f"""
        ordered_marks AS (
            SELECT marks.*, ROW_NUMBER() OVER entry_marks AS position, COUNT(*) OVER entry_marks AS n
            FROM marks
            WINDOW entry_marks AS (
                PARTITION BY entry_id ORDER BY total, judge_id
                ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
            )
        ),
        scored AS (
            SELECT entry_id, {scales.rounded(_WEIGHTED_TRIMMED_MEAN)} AS score, {_STATS}
            FROM ordered_marks {_PER_ENTRY}
        )"""


_MIDDLE = """SUM(CASE WHEN position IN ((n + 1) / 2, (n + 2) / 2) THEN total END) * 1.0
             / SUM(CASE WHEN position IN ((n + 1) / 2, (n + 2) / 2) THEN 1 END)"""
# The weighted median: the lowest total with at least half the weight at or below it, and the
# lowest with more than half; their mean. With equal weights these are the two middle totals
# (the same one for an odd count).
_WEIGHTED_MIDDLE = """(MIN(CASE WHEN 2 * up_to >= entry_weight THEN total END)
              + MIN(CASE WHEN 2 * up_to > entry_weight THEN total END)) / 2.0"""


def _median_sql(weighted: bool) -> str:
    if not weighted:
        return f"""
        ordered_marks AS (
            -- one window for both, the whole entry as its frame: one pass over the sorted marks
            SELECT marks.*, ROW_NUMBER() OVER entry_marks AS position, COUNT(*) OVER entry_marks AS n
            FROM marks
            WINDOW entry_marks AS (
                PARTITION BY entry_id ORDER BY total ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
            )
        ),
        scored AS (
            SELECT entry_id, {scales.rounded(_MIDDLE)} AS score, {_STATS}
            FROM ordered_marks {_PER_ENTRY}
        )"""
    return f"""
        ordered_marks AS (
            SELECT marks.*,
                   SUM(weight) OVER (
                       PARTITION BY entry_id ORDER BY total, judge_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                   ) AS up_to,
                   SUM(weight) OVER (PARTITION BY entry_id) AS entry_weight
            FROM marks
        ),
        scored AS (
            SELECT entry_id, {scales.rounded(_WEIGHTED_MIDDLE)} AS score, {_STATS}
            FROM ordered_marks {_PER_ENTRY}
        )"""


# The normalizing methods: every mark read back onto the common scale (judging.scales).
_NORMALIZED_SCORE = scales.rounded("SUM(strength * mark) / SUM(strength)")
_NORMALIZED = f"""{scales.SCALED_MARKS},
        scored AS (
            SELECT entry_id, {_NORMALIZED_SCORE} AS score, {scales.mark_stats("mark")}
            FROM scaled_marks {_PER_ENTRY}
        )"""


def _scored_sql(judging_round: Round) -> str:
    by_weight = scales.weighted(judging_round)
    return {
        Aggregation.WEIGHTED_MEAN: _mean_sql,
        Aggregation.TRIMMED_MEAN: _trimmed_mean_sql,
        Aggregation.MEDIAN: _median_sql,
    }.get(judging_round.aggregation, lambda weighted: _NORMALIZED)(by_weight)


def _results_sql(judging_round: Round) -> tuple[str, list[Any]]:
    t = scales.tables()
    marks, params = scales.marks_sql(judging_round)
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
    sql = f"""
        WITH {marks},
        {_scored_sql(judging_round)},
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
    kept_raw = scales.judge_scales_fill(judging_round)
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
    scales.judge_scales_drop()
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
    report = CloseReport(**counts, left_out=left_out, unscored_entries=unscored, kept_raw=kept_raw)
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
        }
        | ({"kept_raw": [row["judge"] for row in kept_raw]} if kept_raw else {}),
    )
    return report
