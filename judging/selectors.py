"""Reads for judging: who is in a round, the judges' queues, progress and disagreements."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from contests.enums import RESULTS_OUT, ContestStatus, RoundStatus
from contests.models import Contest, Round
from contests.permissions import contests_managed_by
from judging import scales
from judging.enums import AssignmentState
from judging.models import Assignment, Judge, Score
from judging.permissions import assignments_visible_to
from people.models import User
from submissions.enums import EntryStatus
from submissions.models import Entry


def round_previous(judging_round: Round) -> Round | None:
    return (
        Round.objects.filter(contest=judging_round.contest_id, order__lt=judging_round.order).order_by("-order").first()
    )


def round_entries(judging_round: Round) -> QuerySet[Entry]:
    """The entries a round judges: every valid entry of the contest in the first round, then
    only those the previous round forwarded."""
    entries = Entry.objects.filter(contest=judging_round.contest_id, status=EntryStatus.SUBMITTED)
    previous = round_previous(judging_round)
    if previous is None:
        return entries
    return entries.filter(round_results__round=previous, round_results__advanced=True)


def rounds_being_judged() -> Q:
    """The one test of a round "being judged" (a Round filter): scoring, with work handed out, in
    a contest in judging. A round not yet assigned (a later one, or any before judging starts) is
    not, nor is a closed one or one of a contest whose results are out."""
    return Q(status=RoundStatus.SCORING, contest__status=ContestStatus.JUDGING) & Exists(
        Assignment.objects.filter(round=OuterRef("pk"))
    )


def round_being_judged(judging_round: Round) -> bool:
    """rounds_being_judged for a round known to have assignments (asked from one of them)."""
    return judging_round.status == RoundStatus.SCORING and judging_round.contest.status == ContestStatus.JUDGING


def assignment_state_q(state: str) -> Q:
    if state == AssignmentState.SUBMITTED:
        return Q(score__submitted=True)
    if state == AssignmentState.DRAFT:
        return Q(score__submitted=False)
    return Q(score__isnull=True)


def assignments_for_judge(*, user: User) -> QuerySet[Assignment]:
    assignments = assignments_visible_to(user, Assignment.objects.all())
    return assignments.select_related("entry__category", "round__contest", "score").order_by("round_id", "entry__code")


def judge_loads(judging_round: Round) -> dict[int, int]:
    return dict(
        Assignment.objects.filter(round=judging_round)
        .values_list("judge_id")
        .annotate(n=Count("pk"))
        .values_list("judge_id", "n")
    )


def live_assignments(judging_round: Round) -> QuerySet[Assignment]:
    """The round's assignments that are work: their entries still in the contest. Withdrawn and
    disqualified entries are few, so they are left out by id rather than by joining every entry."""
    gone = Entry.objects.filter(contest=judging_round.contest_id).exclude(status=EntryStatus.SUBMITTED)
    return Assignment.objects.filter(round=judging_round).exclude(entry_id__in=gone.values("pk"))


def pending_count(judging_round: Round, user: User) -> int:
    return live_assignments(judging_round).filter(judge=user).exclude(score__submitted=True).count()


@dataclass
class Progress:
    judges: list[dict]
    categories: list[dict]
    done: int
    total: int


def round_progress(judging_round: Round) -> Progress:
    """Submitted scores against assignments, per judge and per category: two queries."""
    done = Count("pk", filter=Q(score__submitted=True))
    drafts = Count("pk", filter=Q(score__submitted=False))
    panel = {
        judge.user_id: judge.user
        for judge in Judge.objects.filter(round=judging_round).select_related("user").order_by("user__full_name")
    }
    per_judge = {
        row["judge_id"]: row
        for row in live_assignments(judging_round)
        .values("judge_id")
        .annotate(total=Count("pk"), done=done, drafts=drafts)
    }
    judges = []
    for user_id in list(panel) + sorted(set(per_judge) - set(panel)):
        row = per_judge.get(user_id, {"total": 0, "done": 0, "drafts": 0})
        user = panel.get(user_id)
        judges.append(
            {
                "user": user_id,
                "full_name": user.full_name if user else "",
                "on_panel": user is not None,  # a judge taken off the panel keeps the scores they submitted
                "done": row["done"],
                "drafts": row["drafts"],
                "total": row["total"],
            }
        )
    categories = [
        {"category": row["entry__category_id"], "name": row["entry__category__name"], **_counts(row)}
        for row in live_assignments(judging_round)
        .values("entry__category_id", "entry__category__name")
        .annotate(total=Count("pk"), done=done)
        .order_by("entry__category_id")
    ]
    return Progress(
        judges=judges,
        categories=categories,
        done=sum(c["done"] for c in categories),
        total=sum(c["total"] for c in categories),
    )


def _counts(row: dict) -> dict:
    return {"done": row["done"], "total": row["total"]}


def disagreements(judging_round: Round) -> list[tuple[int, Decimal]]:
    """(entry id, spread) of the entries whose judges' submitted marks lie further apart than
    the round allows, the widest first (then by code). Empty while the round sets no limit.
    The spread is on the round's method's scale (judging.scales), computed by the formula
    closing flags with: under the z-score a harsh and a lenient judge who agree on an entry are
    no disagreement, however far apart their raw totals. One pass over the round's marks (the
    judges' lines first under a normalizing method)."""
    if judging_round.max_spread is None:
        return []
    with scales.marks_on_scale(judging_round) as (ctes, source, params), connection.cursor() as cursor:
        cursor.execute(
            f"""WITH {ctes},
                    spreads AS (SELECT entry_id, {scales.mark_stats("mark")} FROM {source} GROUP BY entry_id)
                    SELECT s.entry_id, s.spread
                    FROM spreads s JOIN {Entry._meta.db_table} e ON e.id = s.entry_id AND e.status = %s
                    WHERE s.spread > CAST(%s AS NUMERIC)
                    ORDER BY s.spread DESC, e.code""",
            [*params, EntryStatus.SUBMITTED, str(judging_round.max_spread)],
        )
        return [(entry_id, Decimal(str(spread))) for entry_id, spread in cursor.fetchall()]


def disagreements_detail(judging_round: Round, flagged: list[tuple[int, Decimal]]) -> list[Entry]:
    """The entries of a page of `disagreements`, in its order, each with its spread, judges
    (assigned) and the submitted totals (highest first): two queries."""
    entries = Entry.objects.select_related("category").annotate(
        judges=Count("assignments", filter=Q(assignments__round=judging_round))
    )
    by_id = entries.in_bulk([entry_id for entry_id, _spread in flagged])
    totals = totals_for(judging_round, list(by_id))
    page = []
    for entry_id, spread in flagged:
        entry = by_id[entry_id]
        entry.spread, entry.totals = spread, totals[entry_id]
        page.append(entry)
    return page


@dataclass
class Calibration:
    judges: list[dict]
    marks: int
    panel_mean: float | None
    panel_spread: float | None
    normalize_min_marks: int


def round_calibration(judging_round: Round) -> Calibration:
    """How each judge marks compared with the rest of the panel, from the submitted marks
    (anchors and every other entry two judges or more share), so that a lenient or a harsh
    judge shows before the round closes. Per judge:
    - marks, anchors (of them, on anchor entries), shared (on entries another judge marked too);
    - mean and spread (population standard deviation) of their totals;
    - severity: the mean, over their shared entries, of their total minus the mean of the other
      judges' totals on the same entry (negative: harsher than the panel; positive: more lenient);
    - agreement: the correlation between their totals and those other judges' means (1: they
      order the entries as the panel does; null under 3 shared entries or with no spread);
    - flags: few_marks, no_spread: the judges a normalizing method keeps as given.
    Two passes over the round's marks, whatever its size."""
    t = {
        "score": Score._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "entry": Entry._meta.db_table,
    }
    marks = f"""
        marks AS (
            SELECT a.entry_id, a.judge_id, a.is_anchor, CAST(s.total AS DOUBLE PRECISION) AS total
            FROM {t["score"]} s JOIN {t["assignment"]} a ON a.id = s.assignment_id
            WHERE a.round_id = %s AND s.submitted
              AND a.entry_id NOT IN (SELECT id FROM {t["entry"]} WHERE contest_id = %s AND status <> %s)
        )"""
    params = [judging_round.pk, judging_round.contest_id, EntryStatus.SUBMITTED]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH {marks}
                SELECT judge_id, COUNT(*), SUM(CASE WHEN is_anchor THEN 1 ELSE 0 END), SUM(total),
                       SUM(total * total), MIN(total), MAX(total)
                FROM marks GROUP BY judge_id""",
            params,
        )
        own = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute(
            f"""WITH {marks},
                entry_sums AS (SELECT entry_id, COUNT(*) AS n, SUM(total) AS s FROM marks GROUP BY entry_id),
                paired AS (
                    SELECT m.judge_id, m.total AS t, (es.s - m.total) / (es.n - 1) AS o
                    FROM marks m JOIN entry_sums es ON es.entry_id = m.entry_id
                    WHERE es.n > 1
                )
                SELECT judge_id, COUNT(*), SUM(t), SUM(o), SUM(t * t), SUM(o * o), SUM(t * o)
                FROM paired GROUP BY judge_id""",
            params,
        )
        shared = {row[0]: row[1:] for row in cursor.fetchall()}
    panel = {
        judge.user_id: judge.user
        for judge in Judge.objects.filter(round=judging_round).select_related("user").order_by("user__full_name")
    }
    gone = sorted(set(own) - set(panel))  # taken off the panel: their submitted marks still count
    off_panel = dict(User.objects.filter(pk__in=gone).values_list("pk", "full_name"))
    min_marks = judging_round.normalize_min_marks
    judges = []
    for user_id in list(panel) + gone:
        n, anchors, total, squares, lowest, highest = own.get(user_id, (0, 0, 0.0, 0.0, None, None))
        mean = total / n if n else None
        row = {
            "user": user_id,
            "full_name": panel[user_id].full_name if user_id in panel else off_panel.get(user_id, ""),
            "on_panel": user_id in panel,
            "marks": n,
            "anchors": anchors or 0,
            "shared": 0,
            "mean": _figure(mean),
            "spread": _figure(_deviation(n, total, squares)) if n else None,
            "severity": None,
            "agreement": None,
            "flags": [],
        }
        if n < min_marks:
            row["flags"].append("few_marks")
        if n and highest == lowest:
            row["flags"].append("no_spread")
        if user_id in shared:
            k, st, so, stt, soo, sto = shared[user_id]
            row["shared"] = k
            row["severity"] = _figure((st - so) / k)
            covariance, vt, vo = k * sto - st * so, k * stt - st * st, k * soo - so * so
            if k >= 3 and vt > 1e-9 * (1 + stt) and vo > 1e-9 * (1 + soo):
                row["agreement"] = round(covariance / math.sqrt(vt * vo), 4)
        judges.append(row)
    count = sum(row[0] for row in own.values())
    total = sum(row[2] for row in own.values())
    squares = sum(row[3] for row in own.values())
    return Calibration(
        judges=judges,
        marks=count,
        panel_mean=_figure(total / count) if count else None,
        panel_spread=_figure(_deviation(count, total, squares)) if count else None,
        normalize_min_marks=min_marks,
    )


def _deviation(n: int, total: float, squares: float) -> float:
    return math.sqrt(max(0.0, squares / n - (total / n) ** 2))


def _figure(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def totals_for(judging_round: Round, entry_ids: list[int]) -> dict[int, list[Decimal]]:
    """The submitted totals per entry, for the organizer's view of a disagreement."""
    totals: dict[int, list[Decimal]] = {entry_id: [] for entry_id in entry_ids}
    for entry_id, total in Score.objects.filter(
        assignment__round=judging_round, assignment__entry_id__in=entry_ids, submitted=True
    ).values_list("assignment__entry_id", "total"):
        totals[entry_id].append(total)
    return {entry_id: sorted(values, reverse=True) for entry_id, values in totals.items()}


def rounds_visible_to(user) -> QuerySet[Round]:
    """Organizers see their contests' rounds, judges their panels' rounds; everyone sees the
    rounds of published contests."""
    visible = Q(contest__status__in=RESULTS_OUT)
    if user.is_authenticated:
        managed = contests_managed_by(user, Contest.objects.all())
        visible |= Q(contest__in=managed) | Q(judges__user=user)
    return Round.objects.filter(visible).distinct().select_related("contest")


def judges_to_remind(*, today: date) -> list[int]:
    """Judge rows with unsubmitted work in a round that is scoring, not reminded today."""
    unsubmitted = Assignment.objects.filter(
        round=OuterRef("round"), judge=OuterRef("user"), entry__status=EntryStatus.SUBMITTED
    ).exclude(score__submitted=True)
    return list(
        Judge.objects.filter(round__status=RoundStatus.SCORING)
        .exclude(round__contest__status__in=RESULTS_OUT)
        .exclude(reminded_on=today)
        .filter(Exists(unsubmitted))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
