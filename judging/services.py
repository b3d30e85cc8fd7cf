"""Writes for judging: panels, assignment, recusals and scores. Closing a round is in closing.py.

Every write that touches a round first locks the round's row, so scoring, assigning and
closing one round never interleave: a score cannot slip in after the round closed.
"""

import gc
import secrets
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contests.enums import ContestStatus, RoundStatus
from contests.models import Criterion, Round
from contests.permissions import can_manage_contest
from contests.services import results_frozen_check
from core.errors import Conflict, DomainError, NotAllowed
from core.services import audit_record
from judging import hooks, selectors
from judging.assignment import Slot, assignment_plan
from judging.models import Anchor, Assignment, Judge, Recusal, Score
from judging.permissions import can_manage_round, is_judge, round_takes_scores
from people.models import Library, LibraryStaff, NetworkOrganizer, User
from submissions.enums import EntryStatus
from submissions.models import Entry


class RoundClosed(Conflict):
    code = "round_closed"
    default_message = gettext_lazy("This round is closed; its marks can no longer change.")


class NoJudges(Conflict):
    code = "no_judges"
    default_message = gettext_lazy("This round has no judges yet; add judges before assigning.")


def round_lock(judging_round: Round) -> Round:
    """The round's row, locked for this transaction, with its contest; refused once the
    contest's results are out (every judging write starts here)."""
    judging_round = Round.objects.select_for_update(no_key=True).select_related("contest").get(pk=judging_round.pk)
    results_frozen_check(judging_round.contest)
    return judging_round


def _round_open_check(judging_round: Round) -> None:
    if not round_takes_scores(judging_round):
        raise RoundClosed()


def round_manager_check(actor: User, judging_round: Round) -> None:
    if not can_manage_round(actor, judging_round):
        raise NotAllowed()


# Panels ---------------------------------------------------------------------------------


def judge_add_check(judging_round: Round, user: User) -> None:
    """Who may sit on a round's panel; asked by judge_add and by the admin's form."""
    results_frozen_check(judging_round.contest)
    _round_open_check(judging_round)
    if not user.is_active:
        raise DomainError(_("This account is disabled."), field="user")
    if can_manage_contest(user, judging_round.contest):
        raise DomainError(
            _("Organizers of this contest see who wrote every entry, so they cannot judge it blind."), field="user"
        )
    if Entry.objects.filter(contest=judging_round.contest_id, entrant=user).exists():
        raise DomainError(_("This user has an entry in the contest and cannot judge it."), field="user")
    if Judge.objects.filter(round=judging_round, user=user).exists():
        raise Conflict(_("This user already judges this round."), field="user")


@transaction.atomic
def judge_add(*, actor: User, judging_round: Round, user: User, weight: Decimal = Decimal(1)) -> Judge:
    judging_round = round_lock(judging_round)
    round_manager_check(actor, judging_round)
    judge_add_check(judging_round, user)
    judge = Judge.objects.create(round=judging_round, user=user, weight=weight)
    after = {"user": user.pk, "weight": str(weight)}
    audit_record(actor=actor, action="judge.added", target=judging_round, after=after)
    return judge


@transaction.atomic
def judge_remove(*, actor: User, judging_round: Round, user: User) -> int:
    """Off the panel. Their submitted scores stay and count; what they had not submitted goes
    back to the pool for the next assignment run. Returns how many assignments were freed."""
    judging_round = round_lock(judging_round)
    round_manager_check(actor, judging_round)
    _round_open_check(judging_round)
    judge = Judge.objects.filter(round=judging_round, user=user).first()
    if judge is None:
        raise DomainError(_("This user is not a judge of this round."), field="user")
    unsubmitted = Assignment.objects.filter(round=judging_round, judge=user).exclude(score__submitted=True)
    freed = len(list(unsubmitted.values_list("pk", flat=True)))
    unsubmitted.delete()
    judge.delete()
    audit_record(actor=actor, action="judge.removed", target=judging_round, before={"user": user.pk, "freed": freed})
    return freed


# Assignment -------------------------------------------------------------------------------


@dataclass
class AssignmentReport:
    entries: int
    judges: int
    added: int
    moved: int
    removed: int
    assignments: int
    lightest_load: int
    heaviest_load: int
    short: list[dict[str, Any]] = field(default_factory=list)  # {"entry", "code", "missing"}
    held: int = 0  # entries held back by another app (screening: possible copies not yet decided)
    anchored: int = 0  # anchor assignments added, on top of the loads
    design: dict[str, int] = field(default_factory=dict)  # judging.assignment.design_connectivity


def _judge_libraries(judge_ids: list[int]) -> dict[int, set[int]]:
    """A judge's own libraries: the one they belong to, those they work for, and every library
    of the networks they organize (all of whose entrants they can look up by name)."""
    libraries: dict[int, set[int]] = defaultdict(set)
    for user_id, library_id in User.objects.filter(pk__in=judge_ids).values_list("pk", "library_id"):
        libraries[user_id]  # every judge gets a key, even with no library
        if library_id is not None:
            libraries[user_id].add(library_id)
    for user_id, library_id in LibraryStaff.objects.filter(user_id__in=judge_ids).values_list("user_id", "library_id"):
        libraries[user_id].add(library_id)
    for user_id, path in NetworkOrganizer.objects.filter(user_id__in=judge_ids).values_list("user_id", "network__path"):
        libraries[user_id].update(Library.objects.filter(network__path__startswith=path).values_list("pk", flat=True))
    return libraries


@transaction.atomic
def round_assign(*, actor: User, judging_round: Round) -> AssignmentReport:
    """Give every entry of the round its judges (see judging.assignment for the rules). Run
    again, it only completes and evens out: no score, not even a draft, is ever moved."""
    judging_round = round_lock(judging_round)
    round_manager_check(actor, judging_round)
    _round_open_check(judging_round)
    contest = judging_round.contest
    if contest.status not in (ContestStatus.CLOSED, ContestStatus.JUDGING):
        raise Conflict(_("Judging starts once the contest is closed for entries."))
    previous = selectors.round_previous(judging_round)
    if previous is not None and previous.status != RoundStatus.CLOSED:
        raise Conflict(_("The previous round must be closed first: its result decides who is in this one."))
    judge_ids = list(Judge.objects.filter(round=judging_round).order_by("user_id").values_list("user_id", flat=True))
    if not judge_ids:
        raise NoJudges()

    entries = selectors.round_entries(judging_round)
    # Unscored work that no longer belongs: entries withdrawn or disqualified since, and entries
    # held back (until their hold is lifted). (Who is in a later round is fixed when the round
    # before it closes, so the status and the holds are all that change.)
    gone = ~Q(entry__status=EntryStatus.SUBMITTED)
    held = hooks.assignment_held(judging_round)
    held_count = 0
    if held is not None:
        held_count = entries.filter(held).count()
        entries = entries.exclude(held)
        gone |= Q(entry__in=Entry.objects.filter(held))
    stale = Assignment.objects.filter(round=judging_round, score__isnull=True).filter(gone)
    removed, _detail = stale.delete()
    # Millions of small objects (rows, slots, sets) and no cycles among them: the cyclic garbage
    # collector would walk them all again and again as they pile up, for nothing.
    with _collector_paused():
        entry_rows = list(entries.order_by("pk").values_list("pk", "library_id"))
        existing = [
            Slot(assignment_id=pk, entry_id=entry_id, judge_id=judge_id, movable=scored is None, anchor=is_anchor)
            for pk, entry_id, judge_id, scored, is_anchor in Assignment.objects.filter(round=judging_round).values_list(
                "pk", "entry_id", "judge_id", "score__assignment_id", "is_anchor"
            )
        ]
        if judging_round.assignment_seed is None:
            # Drawn once and kept: the judges are mixed anew for every round, the same way at every run.
            judging_round.assignment_seed = secrets.randbits(62)
        recused = Recusal.objects.filter(judge_id__in=judge_ids, entry__in=entries).values_list("judge_id", "entry_id")
        libraries = _judge_libraries(judge_ids)
        plan = assignment_plan(
            entries=entry_rows,
            judges=[(judge_id, libraries[judge_id]) for judge_id in judge_ids],
            per_entry=judging_round.judges_per_entry,
            existing=existing,
            recused=list(recused),
            anchors=list(Anchor.objects.filter(round=judging_round).values_list("entry_id", flat=True)),
            seed=judging_round.assignment_seed,
        )
        entry_count = len(entry_rows)
        del existing, entry_rows  # freed while the collector is still off
    judging_round.design = plan.design
    judging_round.save(update_fields=["assignment_seed", "design"])
    conflicting = Assignment.objects.filter(pk__in=plan.removed, score__isnull=True)
    removed += len(plan.removed)
    conflicting.delete()
    _moves_apply(judging_round.pk, plan.moved)
    _assignments_copy(judging_round.pk, plan.added_entries, plan.added_judges)
    _assignments_insert(judging_round.pk, [(entry_id, judge_id, False, True) for entry_id, judge_id in plan.anchored])
    if contest.status == ContestStatus.CLOSED:
        contest.status = ContestStatus.JUDGING
        contest.save(update_fields=["status"])
        audit_record(actor=actor, action="contest.judging_started", target=contest, after={"status": contest.status})

    codes = dict(Entry.objects.filter(pk__in=list(plan.short)).values_list("pk", "code"))
    report = AssignmentReport(
        entries=entry_count,
        judges=len(judge_ids),
        added=len(plan.added_entries),
        moved=len(plan.moved),
        removed=removed,
        assignments=sum(plan.loads.values()),
        lightest_load=min(plan.loads.values()),
        heaviest_load=max(plan.loads.values()),
        short=[
            {"entry": entry_id, "code": codes[entry_id], "missing": missing}
            for entry_id, missing in sorted(plan.short.items())
        ],
        held=held_count,
        anchored=len(plan.anchored),
        design=plan.design,
    )
    after = {
        "added": report.added,
        "moved": report.moved,
        "removed": removed,
        "short": len(report.short),
        "held": held_count,
    }
    if plan.anchored:
        after["anchored"] = len(plan.anchored)
    audit_record(actor=actor, action="round.assigned", target=judging_round, after=after)
    return report


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _moves_apply(round_id: int, moves: list[tuple[int, int]]) -> None:
    """A moved assignment has no marks, so it is deleted and written anew for its new judge.
    (Updating in place could meet a row not moved yet: judge A's slot going to B while B's slot
    on the same entry is still waiting to go to C would break the one-judge-once rule.)"""
    new_judge = dict(moves)
    moved = []
    for start in range(0, len(moves), 5000):
        ids = [assignment_id for assignment_id, _judge in moves[start : start + 5000]]
        rows = Assignment.objects.filter(pk__in=ids, score__isnull=True).values_list("pk", "entry_id", "is_extra")
        moved += [(entry_id, new_judge[pk], is_extra, False) for pk, entry_id, is_extra in rows]
        Assignment.objects.filter(pk__in=ids, score__isnull=True).delete()
    _assignments_insert(round_id, moved)


def _assignments_insert(round_id: int, rows: list[tuple[int, int, bool, bool]]) -> None:
    """(entry, judge, is_extra, is_anchor) rows: the few of moves and anchors."""
    if not rows:
        return
    entries, judges, extra, anchor = (np.array(column, dtype=np.int64) for column in zip(*rows, strict=True))
    _assignments_copy(round_id, entries, judges, extra=extra.astype(bool), anchor=anchor.astype(bool))


# PostgreSQL's binary COPY: a header, then per row its field count and each field as its length
# and its big-endian bytes; the timestamp in microseconds since 2000-01-01 UTC.
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_COPY_TRAILER = b"\xff\xff"
_COPY_ROW = np.dtype(
    [("fields", ">i2")]
    + [
        field
        for name, kind in [
            ("round", ">i8"),
            ("entry", ">i8"),
            ("judge", ">i8"),
            ("extra", "u1"),
            ("anchor", "u1"),
            ("created", ">i8"),
        ]
        for field in ((f"{name}_size", ">i4"), (name, kind))
    ]
)
_POSTGRES_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_COPY_BATCH = 200_000  # rows per write: 12 MB
_ANALYZE_FROM = 100_000  # new rows


def _assignments_copy(round_id: int, entries: np.ndarray, judges: np.ndarray, *, extra=False, anchor=False) -> None:
    """New assignments from arrays of entry and judge ids (millions in a national round, in the
    plan's entry order, which the table's indexes take fastest): PostgreSQL's binary COPY, the
    rows built by numpy, not one by one; else a batched INSERT."""
    if not len(entries):
        return
    now = timezone.now()
    if connection.vendor != "postgresql":
        extras = np.broadcast_to(extra, len(entries)).tolist()
        anchors = np.broadcast_to(anchor, len(entries)).tolist()
        Assignment.objects.bulk_create(
            (
                Assignment(round_id=round_id, entry_id=e, judge_id=j, is_extra=x, is_anchor=a, created_at=now)
                for e, j, x, a in zip(entries.tolist(), judges.tolist(), extras, anchors, strict=True)
            ),
            batch_size=2000,
        )
        return
    rows = np.empty(len(entries), dtype=_COPY_ROW)
    rows["fields"] = 6
    for name, size in [("round", 8), ("entry", 8), ("judge", 8), ("extra", 1), ("anchor", 1), ("created", 8)]:
        rows[f"{name}_size"] = size
    rows["round"], rows["entry"], rows["judge"] = round_id, entries, judges
    rows["extra"], rows["anchor"] = extra, anchor
    rows["created"] = (now - _POSTGRES_EPOCH) // timedelta(microseconds=1)
    table = Assignment._meta.db_table
    columns = "round_id, entry_id, judge_id, is_extra, is_anchor, created_at"
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT binary)") as copy,
    ):
        copy.write(_COPY_HEADER)
        for start in range(0, len(rows), _COPY_BATCH):
            copy.write(rows[start : start + _COPY_BATCH].tobytes())
        copy.write(_COPY_TRAILER)
    if len(rows) >= _ANALYZE_FROM:
        # The table's statistics learn of the new rows at once (autovacuum would, some time
        # later): taking the table for a few rows, the next run's search for stale assignments
        # loops over millions of them (155 s for a second run at 500,000 entries).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


# Anchors ------------------------------------------------------------------------------------

MAX_ANCHORS = 20  # each one is marked by every judge of the panel: a few, not a second round


@transaction.atomic
def anchor_add(*, actor: User, judging_round: Round, entry: Entry) -> Anchor:
    """Every judge of the round will mark this entry too, on top of their load, from the next
    assignment run on: common ground for comparing the judges' severity and spread."""
    judging_round = round_lock(judging_round)
    round_manager_check(actor, judging_round)
    _round_open_check(judging_round)
    if not selectors.round_entries(judging_round).filter(pk=entry.pk).exists():
        raise DomainError(_("This entry is not judged in this round."), field="entry")
    if Anchor.objects.filter(round=judging_round, entry=entry).exists():
        raise Conflict(_("This entry is already an anchor of this round."), field="entry")
    if Anchor.objects.filter(round=judging_round).count() >= MAX_ANCHORS:
        raise Conflict(
            _("A round has at most {count} anchors: every judge marks each of them.").format(count=MAX_ANCHORS),
            field="entry",
        )
    anchor = Anchor.objects.create(round=judging_round, entry=entry)
    audit_record(actor=actor, action="anchor.added", target=judging_round, after={"entry": entry.pk})
    return anchor


@transaction.atomic
def anchor_remove(*, actor: User, judging_round: Round, entry: Entry) -> None:
    """The entry is an ordinary one again; the next assignment run drops the anchor
    assignments nobody has marked yet (marks already given stay and count)."""
    judging_round = round_lock(judging_round)
    round_manager_check(actor, judging_round)
    _round_open_check(judging_round)
    deleted, _detail = Anchor.objects.filter(round=judging_round, entry=entry).delete()
    if not deleted:
        raise DomainError(_("This entry is not an anchor of this round."), field="entry")
    audit_record(actor=actor, action="anchor.removed", target=judging_round, before={"entry": entry.pk})


@transaction.atomic
def extra_judge_add(*, actor: User, judging_round: Round, entry: Entry) -> Assignment:
    """One more judge for an entry the judges disagree on: the least-loaded one who may take it."""
    judging_round = round_lock(judging_round)
    round_manager_check(actor, judging_round)
    _round_open_check(judging_round)
    on_entry = set(Assignment.objects.filter(round=judging_round, entry=entry).values_list("judge_id", flat=True))
    if not on_entry:
        raise DomainError(_("This entry is not judged in this round."), field="entry")
    judge_ids = list(Judge.objects.filter(round=judging_round).values_list("user_id", flat=True))
    libraries = _judge_libraries(judge_ids)
    recused = set(Recusal.objects.filter(entry=entry).values_list("judge_id", flat=True))
    takers = [
        judge_id
        for judge_id in judge_ids
        if judge_id not in on_entry and judge_id not in recused and entry.library_id not in libraries[judge_id]
    ]
    if not takers:
        raise Conflict(_("No judge of this round is left who may take this entry."), field="entry")
    loads = selectors.judge_loads(judging_round)
    judge_id = min(takers, key=lambda j: (loads.get(j, 0), j))
    assignment = Assignment.objects.create(
        round=judging_round, entry=entry, judge_id=judge_id, is_extra=True, created_at=timezone.now()
    )
    audit_record(actor=actor, action="assignment.extra_added", target=assignment, after={"judge": judge_id})
    return assignment


# Judges' own actions ------------------------------------------------------------------------


def _own_assignment(judge: User, judging_round: Round, assignment: Assignment) -> Assignment:
    """The assignment as it is now, under the round's lock: an assignment run may have given it
    to another judge (or dropped it) since the caller read it."""
    current = Assignment.objects.select_related("entry").filter(pk=assignment.pk).first()
    if current is None:
        raise Conflict(_("This assignment has gone to another judge; reload your list."))
    if current.judge_id != judge.pk or not is_judge(judge, judging_round):
        raise NotAllowed(_("This assignment is not yours."))
    _round_open_check(judging_round)
    if current.entry.status != EntryStatus.SUBMITTED:
        raise Conflict(_("This entry is no longer in the contest."))
    return current


@transaction.atomic
def recusal_declare(*, judge: User, assignment: Assignment, reason: str) -> Recusal:
    """The judge steps back from an entry (they know the entrant, ...). Their marks for it,
    if any, go; the next assignment run gives the entry another judge."""
    judging_round = round_lock(assignment.round)
    assignment = _own_assignment(judge, judging_round, assignment)
    score = Score.objects.filter(assignment=assignment).first()
    recusal, _created = Recusal.objects.get_or_create(
        judge=judge, entry_id=assignment.entry_id, defaults={"round": judging_round, "reason": reason}
    )
    audit_record(
        actor=judge,
        action="assignment.recused",
        target=assignment,
        before={"entry": assignment.entry_id, "score": _score_state(score) if score else None},
        reason=reason,
    )
    assignment.delete()
    return recusal


class InvalidMarks(DomainError):
    """Every problem of a score's marks at once, under "marks" (one message each), with under
    "criteria" the ids of the criteria each message is about, one list per message (in the
    round's order; empty for a key that is no criterion of the round): the judge's page puts
    each message next to its criterion's input by id, not by its name in a translated message."""

    def __init__(self, problems: list[tuple[str, list[Criterion]]]):
        about = [[criterion.pk for criterion in criteria] for _message, criteria in problems]
        super().__init__(problems[0][0], field="marks", data={"criteria": about} if any(about) else {})
        self.messages = [message for message, _criteria in problems]


def marks_clean(judging_round: Round, marks: dict[str, Any], *, complete: bool) -> tuple[dict[str, str], Decimal]:
    """The marks as stored ({"<criterion id>": "7.25"}) and their weighted total. Each mark is
    0..the criterion's maximum in quarter points; a submitted score has one for every criterion.
    Every bad mark is reported, in the order given, so that the judge corrects them in one go."""
    criteria = {str(c.pk): c for c in judging_round.criteria.all()}
    cleaned, total, problems = {}, Decimal(0), []
    for key, raw in marks.items():
        criterion = criteria.get(str(key))
        if criterion is None:  # about no criterion of the round
            problems.append((_("{criterion} is not a criterion of this round.").format(criterion=key), []))
            continue
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            problems.append((_("Marks are numbers, e.g. 7.25."), [criterion]))
            continue
        if not value.is_finite() or value < 0 or value > criterion.max_score:
            message = _("The mark for “{name}” must be between 0 and {max}.").format(
                name=criterion.name, max=_plain(criterion.max_score)
            )
            problems.append((message, [criterion]))
            continue
        if (value * 4) % 1:
            problems.append((_("Marks go in quarter points (7, 7.25, 7.5, 7.75)."), [criterion]))
            continue
        cleaned[str(criterion.pk)] = _plain(value)
        total += criterion.weight * value
    given = {str(key) for key in marks}  # a bad mark is reported as bad, not also as missing
    if complete and (missing := [c for key, c in criteria.items() if key not in given]):
        names = ", ".join(c.name for c in missing)
        problems.append(
            (_("Give a mark for every criterion before submitting; missing: {names}.").format(names=names), missing)
        )
    if problems:
        raise InvalidMarks(problems)
    return dict(sorted(cleaned.items(), key=lambda item: int(item[0]))), total


def _plain(value: Decimal) -> str:
    """7.50 -> "7.5", 8.00 -> "8": marks as people write them."""
    return format(Decimal(value).normalize(), "f")


def _score_state(score: Score) -> dict[str, Any]:
    return {"marks": score.marks, "total": _plain(score.total), "comment": score.comment, "submitted": score.submitted}


@transaction.atomic
def score_record(
    *, judge: User, assignment: Assignment, marks: dict[str, Any], comment: str = "", submit: bool = False
) -> Score:
    """Save a judge's marks as a draft or submitted. The round's lock serializes two saves of the
    same score: one row, the later write whole. Every change leaves an audit row."""
    judging_round = round_lock(assignment.round)
    assignment = _own_assignment(judge, judging_round, assignment)
    cleaned, total = marks_clean(judging_round, marks, complete=submit)
    score = Score.objects.filter(assignment=assignment).first()
    before = _score_state(score) if score else None
    if score is None:
        score = Score(assignment=assignment)
    score.marks, score.total, score.comment, score.submitted = cleaned, total, comment, submit
    after = _score_state(score)
    if after == before:
        return score  # an autosave of what is already there: nothing changed, nothing to record
    score.submitted_at = timezone.now() if submit else None
    score.save()
    audit_record(
        actor=judge,
        action="score.submitted" if submit else "score.saved",
        target=score,
        before=before,
        after=after,
    )
    return score


# Reminders ----------------------------------------------------------------------------------


def judges_remind(*, today=None) -> int:
    """Once a day: every judge with unsubmitted work in a round that is scoring gets one e-mail
    per round. Returns how many were sent; a second run the same day sends none."""
    from judging.notifications import reminder_mail

    today = today or timezone.localdate()
    sent = 0
    for judge_pk in selectors.judges_to_remind(today=today):
        with transaction.atomic():
            judge = (
                Judge.objects.select_for_update(no_key=True)
                .select_related("user", "round__contest")
                .filter(pk=judge_pk)
                .first()
            )
            if judge is None or judge.reminded_on == today:
                continue  # removed, or reminded by a concurrent run
            pending = selectors.pending_count(judge.round, judge.user)
            if not pending:
                continue
            reminder_mail(judge=judge, pending=pending)
            judge.reminded_on = today
            judge.save(update_fields=["reminded_on"])
            sent += 1
    return sent
