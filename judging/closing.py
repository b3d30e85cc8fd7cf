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
Scores are rounded to 4 decimals before ranking, so float noise never splits a tie.

Rank, within the entry's category: higher score first; on equal scores, the higher lowest
judge's total (the entry its least convinced judge liked more); entries equal on both share
the rank (1, 2, 2, 4). "Top N" therefore lets every entry ranked N or better advance, ties
at the edge included. Per library and per network, the same ranking runs within each
category's entries of that library, or of that library's network.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.enums import AdvanceRule, Aggregation, RoundStatus
from contests.models import Round
from core.errors import Conflict
from core.services import audit_record
from judging.models import Assignment, Judge, RoundResult, Score
from judging.services import RoundClosed, round_lock, round_manager_check
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
    unscored_entries: list[str] = field(default_factory=list)  # codes of entries no judge scored


def _tables() -> dict[str, str]:
    return {
        "score": Score._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "judge": Judge._meta.db_table,
        "entry": Entry._meta.db_table,
        "library": Library._meta.db_table,
        "result": RoundResult._meta.db_table,
    }


# Every CTE below yields (entry_id, score) from `marks`.
_SCORE_CTES = {
    Aggregation.WEIGHTED_MEAN: """
        scored AS (
            SELECT entry_id, SUM(weight * total) * 1.0 / SUM(weight) AS score FROM marks GROUP BY entry_id
        )""",
    Aggregation.TRIMMED_MEAN: """
        scored AS (
            SELECT entry_id,
                   CASE WHEN COUNT(*) >= 4 THEN (SUM(total) - MAX(total) - MIN(total)) * 1.0 / (COUNT(*) - 2)
                        ELSE SUM(total) * 1.0 / COUNT(*) END AS score
            FROM marks GROUP BY entry_id
        )""",
    Aggregation.MEDIAN: """
        ordered_marks AS (
            SELECT entry_id, total,
                   ROW_NUMBER() OVER (PARTITION BY entry_id ORDER BY total) AS position,
                   COUNT(*) OVER (PARTITION BY entry_id) AS judges
            FROM marks
        ),
        scored AS (
            SELECT entry_id, SUM(total) * 1.0 / COUNT(*) AS score FROM ordered_marks
            WHERE position IN ((judges + 1) / 2, (judges + 2) / 2) GROUP BY entry_id
        )""",
    Aggregation.ZSCORE: """
        judge_stats AS (
            SELECT judge_id, AVG(total) AS mean, AVG(total * total) - AVG(total) * AVG(total) AS variance
            FROM marks GROUP BY judge_id
        ),
        round_stats AS (
            SELECT AVG(total) AS mean, AVG(total * total) - AVG(total) * AVG(total) AS variance FROM marks
        ),
        scored AS (
            SELECT m.entry_id,
                   AVG(CASE WHEN js.variance > 0.000000001 AND rs.variance > 0.000000001
                            THEN rs.mean + (m.total - js.mean) / SQRT(js.variance) * SQRT(rs.variance)
                            ELSE rs.mean END) AS score
            FROM marks m JOIN judge_stats js ON js.judge_id = m.judge_id CROSS JOIN round_stats rs
            GROUP BY m.entry_id
        )""",
}


def _results_sql(judging_round: Round) -> tuple[str, list[Any]]:
    t = _tables()
    params: list[Any] = [judging_round.pk, EntryStatus.SUBMITTED]
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
    else:
        advanced = "group_rank <= %s"
        params.append(int(judging_round.advance_value))
    sql = f"""
        WITH marks AS (
            SELECT a.entry_id AS entry_id, a.judge_id AS judge_id, s.total AS total,
                   COALESCE(j.weight, 1) AS weight
            FROM {t["score"]} s
            JOIN {t["assignment"]} a ON a.id = s.assignment_id
            JOIN {t["entry"]} e ON e.id = a.entry_id
            LEFT JOIN {t["judge"]} j ON j.round_id = a.round_id AND j.user_id = a.judge_id
            WHERE a.round_id = %s AND s.submitted AND e.status = %s
        ),
        stats AS (
            SELECT entry_id, COUNT(*) AS judges, MIN(total) AS lowest, MAX(total) - MIN(total) AS spread
            FROM marks GROUP BY entry_id
        ),
        {_SCORE_CTES[judging_round.aggregation]},
        ranked AS (
            SELECT st.entry_id, e.category_id, e.library_id, l.network_id, ROUND(sc.score, 4) AS score,
                   st.lowest, st.spread, st.judges
            FROM stats st
            JOIN scored sc ON sc.entry_id = st.entry_id
            JOIN {t["entry"]} e ON e.id = st.entry_id
            JOIN {t["library"]} l ON l.id = e.library_id
        ),
        standings AS (
            SELECT ranked.*,
                   RANK() OVER (PARTITION BY category_id ORDER BY score DESC, lowest DESC) AS rank,
                   RANK() OVER (PARTITION BY category_id, {group} ORDER BY score DESC, lowest DESC) AS group_rank
            FROM ranked
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
    live = Assignment.objects.filter(round=judging_round, entry__status=EntryStatus.SUBMITTED)
    if not live.exists():
        raise Conflict(_("This round has no assignments to close; assign its entries first."))
    unsubmitted = live.exclude(score__submitted=True)
    left_out = [
        {"assignment": pk, "entry": entry_id, "code": code, "judge": judge_id}
        for pk, entry_id, code, judge_id in unsubmitted.order_by("entry__code", "judge_id").values_list(
            "pk", "entry_id", "entry__code", "judge_id"
        )
    ]
    if left_out and not force:
        raise ScoresMissing(len(left_out))

    sql, params = _results_sql(judging_round)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    results = RoundResult.objects.filter(round=judging_round)
    unscored = list(
        live.exclude(entry__round_results__round=judging_round)
        .order_by("entry__code")
        .values_list("entry__code", flat=True)
        .distinct()
    )
    judging_round.status, judging_round.closed_at = RoundStatus.CLOSED, timezone.now()
    judging_round.save(update_fields=["status", "closed_at"])
    report = CloseReport(
        ranked=results.count(),
        advanced=results.filter(advanced=True).count(),
        flagged=results.filter(flagged=True).count(),
        left_out=left_out,
        unscored_entries=unscored,
    )
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
