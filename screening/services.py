"""Writes for screening: fingerprints, the policy, runs, and the organizers' decisions.

Fingerprints are made in batches, off the request: by a sweep every minute over the contests
taking or judging entries, and by each run for whatever the sweep has not reached yet (so a run
never misses an entry). An entry's submission costs nothing here: no query, no task.
"""

import contextlib
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.enums import ContestStatus
from contests.models import Contest
from contests.permissions import can_manage_contest
from contests.services import contest_lock
from core.errors import Conflict, DomainError, NotAllowed
from core.outbox import outbox_heartbeat
from core.services import audit_record, task_enqueue_on_commit
from people.models import User
from screening import extraction, selectors, sketch
from screening.enums import ACTIVE_RUN, Decision, PairStatus, RunStatus
from screening.models import Fingerprint, Pair, Policy, Run
from screening.permissions import can_screen_contest
from submissions.enums import EntryStatus
from submissions.models import Entry
from submissions.services import entry_disqualify

logger = logging.getLogger(__name__)

# Contests whose entries may be screened: from the opening to the judging (after publication,
# nothing would change: a published result is frozen).
SCREENABLE = [ContestStatus.OPEN, ContestStatus.CLOSED, ContestStatus.JUDGING]
SOURCE_STATUSES = [EntryStatus.SUBMITTED, EntryStatus.DISQUALIFIED]  # a copy of a copy is a copy
FINGERPRINT_BATCH = 200
TEXT_BATCH = 500
SWEEP_SECONDS = 40  # the sweep runs every minute; one takes at most this long
# A run's task holds its outbox row this long, renewed as it goes (outbox_heartbeat); a run still
# `running` after that lost its worker, and the outbox's sweep sends it to another one.
RUN_LEASE_SECONDS = 20 * 60
RUN_LOST_AFTER = timedelta(seconds=RUN_LEASE_SECONDS)


# Fingerprints -----------------------------------------------------------------------------


def stale(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """Entries without a fingerprint, or changed since theirs was made."""
    made_from = "screening_fingerprint__entry_updated_at"
    return entries.filter(
        Q(screening_fingerprint__isnull=True)
        | Q(**{f"{made_from}__lt": F("updated_at")})
        | Q(**{f"{made_from}__gt": F("updated_at")})
    )


@contextlib.contextmanager
def _local_file(name: str) -> Iterator[str]:
    """A path to the stored file: the storage's own when it is on this disk, else a copy."""
    try:
        yield default_storage.path(name)
    except NotImplementedError:
        with default_storage.open(name, "rb") as source, tempfile.NamedTemporaryFile() as copy:
            shutil.copyfileobj(source, copy)
            copy.flush()
            yield copy.name


def _attachments_read(rows: list[dict]) -> dict[int, extraction.Extracted]:
    readable = [row for row in rows if row["attachment"] and row["attachment_type"] in ("docx", "pdf")]
    if not readable:
        return {}
    with contextlib.ExitStack() as files:
        jobs = [(files.enter_context(_local_file(row["attachment"])), row["attachment_type"]) for row in readable]
        results = extraction.extract_many(jobs)
    return {row["pk"]: result for row, result in zip(readable, results, strict=True)}


def fingerprints_make(entry_ids: list[int]) -> int:
    """(Re)makes the fingerprints of these entries, FINGERPRINT_BATCH at a time."""
    made = 0
    for start in range(0, len(entry_ids), FINGERPRINT_BATCH):
        rows = list(
            Entry.objects.filter(pk__in=entry_ids[start : start + FINGERPRINT_BATCH]).values(
                "pk", "body", "attachment", "attachment_type", "updated_at"
            )
        )
        extracted = _attachments_read(rows)
        words = [
            sketch.word_hashes(selectors.screened_text(row["body"], getattr(extracted.get(row["pk"]), "text", "")))
            for row in rows
        ]
        offsets = np.r_[0, np.cumsum([len(w) for w in words])]
        signatures, counts = sketch.fingerprints(np.concatenate(words) if words else np.empty(0, np.uint64), offsets)
        Fingerprint.objects.bulk_create(
            [
                Fingerprint(
                    entry_id=row["pk"],
                    signature=signatures[i].tobytes(),
                    shingles=int(counts[i]),
                    attachment_text=getattr(extracted.get(row["pk"]), "text", ""),
                    attachment_error=getattr(extracted.get(row["pk"]), "error", ""),
                    entry_updated_at=row["updated_at"],
                )
                for i, row in enumerate(rows)
            ],
            update_conflicts=True,
            unique_fields=["entry"],
            update_fields=["signature", "shingles", "attachment_text", "attachment_error", "entry_updated_at"],
        )
        made += len(rows)
    return made


def fingerprints_refresh(*, entries: QuerySet[Entry], seconds: float | None = None) -> int:
    """Fingerprints for the entries that lack a fresh one; within `seconds` if given."""
    started = time.monotonic()
    made = 0
    while True:
        ids = list(stale(entries).order_by("pk").values_list("pk", flat=True)[: FINGERPRINT_BATCH * 10])
        if not ids:
            return made
        made += fingerprints_make(ids)
        outbox_heartbeat()
        if seconds is not None and time.monotonic() - started > seconds:
            return made


# The policy -------------------------------------------------------------------------------


@transaction.atomic
def policy_update(
    *,
    actor: User,
    contest: Contest,
    threshold: Decimal | None = None,
    hold_flagged: bool | None = None,
    copy_sources: list[Contest] | None = None,
) -> Policy:
    if not can_screen_contest(actor, contest):
        raise NotAllowed()
    current = selectors.policy_for(contest)
    policy, _created = Policy.objects.select_for_update().get_or_create(
        contest=contest, defaults={"threshold": current.threshold, "hold_flagged": current.hold_flagged}
    )
    before = {
        "threshold": str(current.threshold),
        "hold_flagged": current.hold_flagged,
        "copy_sources": [c.pk for c in current.copy_sources],
    }
    if threshold is not None:
        policy.threshold = threshold
    if hold_flagged is not None:
        policy.hold_flagged = hold_flagged
    policy.full_clean(exclude=["contest"])
    policy.save()
    sources = current.copy_sources if copy_sources is None else copy_sources
    for source in sources:
        if source.pk == contest.pk:
            raise DomainError(_("A contest cannot be its own copy source."), field="copy_sources")
        if not can_manage_contest(actor, source):
            raise DomainError(
                _("You can only compare with contests you organize: {title}.").format(title=source.title),
                field="copy_sources",
            )
    policy.copy_sources.set(sources)
    after = {
        "threshold": str(policy.threshold),
        "hold_flagged": policy.hold_flagged,
        "copy_sources": [c.pk for c in sources],
    }
    audit_record(actor=actor, action="screening.policy_updated", target=contest, before=before, after=after)
    return policy


# Runs -------------------------------------------------------------------------------------


@transaction.atomic
def run_start(*, actor: User, contest: Contest) -> Run:
    """Queues a screening of the contest; asked again while one is queued or running, answers
    with that one."""
    if not can_screen_contest(actor, contest):
        raise NotAllowed()
    contest = contest_lock(contest)  # one run at a time
    if contest.status not in SCREENABLE:
        raise Conflict(_("Entries are screened while the contest takes entries, after it closes and during judging."))
    active = Run.objects.filter(contest=contest, status__in=ACTIVE_RUN).first()
    if active is not None:
        return active
    policy = selectors.policy_for(contest)
    run = Run.objects.create(contest=contest, started_by=actor, threshold=policy.threshold)
    audit_record(
        actor=actor,
        action="screening.run_started",
        target=run,
        after={"threshold": str(run.threshold), "copy_sources": [c.pk for c in policy.copy_sources]},
    )
    from screening.tasks import screening_run_task

    task_enqueue_on_commit(screening_run_task, run_id=run.pk)
    return run


def run_execute(*, run_id: int) -> Run | None:
    """The task's work. Safe to run twice: a finished run is left alone, and a running one too
    unless it has run for longer than any worker could (its worker died)."""
    with transaction.atomic():
        run = Run.objects.select_for_update().select_related("contest").filter(pk=run_id).first()
        if run is None or run.status in (RunStatus.DONE, RunStatus.FAILED):
            return run
        now = timezone.now()
        if run.status == RunStatus.RUNNING and run.started_at and run.started_at > now - RUN_LOST_AFTER:
            return run
        run.status, run.started_at = RunStatus.RUNNING, now
        run.save(update_fields=["status", "started_at"])
    try:
        _run(run)
    except Exception as error:  # recorded on the run for the organizers; the traceback is logged
        logger.exception("screening run %s failed", run.pk)
        Run.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
    run.refresh_from_db()
    return run


def _run(run: Run) -> None:
    contest = run.contest
    sources = [c.pk for c in selectors.policy_for(contest).copy_sources]
    screened = Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED)
    earlier = Entry.objects.filter(contest_id__in=sources, status__in=SOURCE_STATUSES)
    fingerprints_refresh(entries=screened)
    fingerprints_refresh(entries=earlier)

    rows = list(
        Fingerprint.objects.filter(Q(entry__in=screened) | Q(entry__in=earlier), shingles__gt=0)
        .order_by("entry_id")
        .values_list("entry_id", "entry__contest_id", "signature")
    )
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    in_contest = np.array([row[1] == contest.pk for row in rows], dtype=bool)
    signatures = np.frombuffer(b"".join(bytes(row[2]) for row in rows), dtype=np.uint16).reshape(-1, sketch.BINS)

    def shingle_sets(indexes):
        sets = {}
        for start in range(0, len(indexes), TEXT_BATCH):
            batch = indexes[start : start + TEXT_BATCH]
            texts = selectors.screened_texts([int(ids[i]) for i in batch])
            sets.update({i: sketch.shingle_set(sketch.word_hashes(texts[int(ids[i])])) for i in batch})
            outbox_heartbeat()
        return sets

    result = sketch.screen(signatures, float(run.threshold), shingle_sets, screened=in_contest)
    found = {}
    for pair in result.found:
        a, b = int(ids[pair.left]), int(ids[pair.right])
        if not in_contest[pair.left]:  # `entry` is the screened contest's (ids are ascending: a < b)
            a, b = b, a
        found[(a, b)] = Decimal(pair.similarity).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    unreadable = Fingerprint.objects.filter(
        Q(entry__in=screened) | Q(entry__in=earlier), attachment_error__gt=""
    ).count()
    _pairs_write(
        run,
        found,
        counts={
            "entries": int(in_contest.sum()),
            "sources": int((~in_contest).sum()),
            "unreadable": unreadable,
            "candidates": result.candidates,
            "checked": result.checked,
        },
    )


@transaction.atomic
def _pairs_write(run: Run, found: dict[tuple[int, int], Decimal], counts: dict[str, int]) -> None:
    """New pairs are added; pairs found again keep their decision and get the new similarity;
    pairs awaiting a decision that this run no longer finds are dropped (an entry was edited or
    withdrawn, or the threshold rose). Decided pairs stay, as the record of the decision."""
    existing = {
        (entry_id, other_id): (pk, similarity)
        for pk, entry_id, other_id, similarity in Pair.objects.filter(contest=run.contest_id).values_list(
            "pk", "entry_id", "other_id", "similarity"
        )
    }
    Pair.objects.bulk_create(
        [
            Pair(contest_id=run.contest_id, entry_id=a, other_id=b, similarity=similarity, run=run)
            for (a, b), similarity in found.items()
            if (a, b) not in existing
        ],
        batch_size=1000,
    )
    again = [(existing[key][0], similarity) for key, similarity in found.items() if key in existing]
    Pair.objects.bulk_update(
        [Pair(pk=pk, similarity=similarity, run=run) for pk, similarity in again],
        ["similarity", "run"],
        batch_size=1000,
    )
    Pair.objects.filter(contest=run.contest_id, status=PairStatus.PENDING).exclude(run=run).delete()
    for name, value in counts.items():
        setattr(run, name, value)
    run.pairs, run.status, run.finished_at = len(found), RunStatus.DONE, timezone.now()
    run.save()


# Decisions --------------------------------------------------------------------------------


def _pair_locked(pair: Pair) -> Pair:
    return Pair.objects.select_for_update(of=("self",)).select_related("contest", "entry", "other").get(pk=pair.pk)


@transaction.atomic
def pair_decide(*, actor: User, pair: Pair, decision: str, reason: str, disqualify: list[Entry] | None = None) -> Pair:
    """No issue, or disqualify one or both of the pair's entries of this contest (through
    submissions' own disqualification: the entrant is told, the audit log has it)."""
    if not can_screen_contest(actor, pair.contest):
        raise NotAllowed()
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for the decision."), field="reason")
    pair = _pair_locked(pair)
    if pair.status != PairStatus.PENDING:
        raise Conflict(_("This pair has been decided already."))
    disqualify = disqualify or []
    if decision == Decision.NO_ISSUE and disqualify:
        raise DomainError(_("Choose entries to disqualify only when disqualifying."), field="disqualify")
    if decision == Decision.DISQUALIFY:
        if not disqualify:
            raise DomainError(_("Choose the entry or entries to disqualify."), field="disqualify")
        ours = {entry.pk for entry in (pair.entry, pair.other) if entry.contest_id == pair.contest_id}
        if any(entry.pk not in ours for entry in disqualify):
            raise DomainError(_("Only this contest's entries of the pair can be disqualified."), field="disqualify")
        for entry in sorted({entry.pk: entry for entry in disqualify}.values(), key=lambda e: e.pk):
            if Entry.objects.filter(pk=entry.pk, status=EntryStatus.DISQUALIFIED).exists():
                continue  # disqualified already, through another pair
            entry_disqualify(actor=actor, entry=entry, reason=reason)
    pair.status = PairStatus.NO_ISSUE if decision == Decision.NO_ISSUE else PairStatus.DISQUALIFIED
    pair.reason, pair.decided_by, pair.decided_at = reason, actor, timezone.now()
    pair.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="screening.pair_decided",
        target=pair,
        before={"status": PairStatus.PENDING},
        after={
            "status": pair.status,
            "similarity": str(pair.similarity),
            "disqualified": sorted(entry.pk for entry in disqualify),
        },
        reason=reason,
    )
    return pair


@transaction.atomic
def pair_forward(*, actor: User, pair: Pair, note: str) -> Pair:
    """Sends the flag on to the judges of the pair's entries in this contest, with a note of the
    organizer's (the other entry is not named: judging stays blind). Sent again, the note changes."""
    if not can_screen_contest(actor, pair.contest):
        raise NotAllowed()
    note = note.strip()
    if not note:
        raise DomainError(_("Write the note the judges will read."), field="note")
    pair = _pair_locked(pair)
    if pair.status == PairStatus.DISQUALIFIED:
        raise Conflict(_("A disqualified entry is not judged: there is nobody to tell."))
    before = {"judges_note": pair.judges_note}
    pair.judges_note, pair.forwarded_at = note, timezone.now()
    pair.save(update_fields=["judges_note", "forwarded_at"])
    audit_record(
        actor=actor, action="screening.pair_forwarded", target=pair, before=before, after={"judges_note": note}
    )
    return pair
