"""How long a contest keeps its entrants' personal data after publication, and the sweep that
pseudonymises what is past its time (privacy.erasure says what goes and what stays).

Winners (an entry with a prize, tier or special) are kept settings.PRIVACY_KEEP_WINNERS_DAYS
after publication, everyone else PRIVACY_KEEP_OTHERS_DAYS, unless the contest sets its own
(RetentionPolicy). Beat runs `retention_sweep` daily; it queues one task per contest with work
due, through the outbox; each run writes an audit row saying what it did.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from contests.enums import RESULTS_OUT
from contests.models import Contest
from contests.permissions import can_manage_contest
from core.errors import NotAllowed
from core.services import audit_record, task_enqueue_on_commit
from privacy.enums import ErasureCause
from privacy.erasure import ErasureReport, entry_erase, people_erase_done
from privacy.models import ErasedEntry, RetentionPolicy
from privacy.publicity import public_results_changed
from results.enums import AwardKind
from results.models import Award
from submissions.models import Entry


def prizes_won(awards):
    """Prizes and special prizes given (a tier prize an organizer withheld has no tier)."""
    return awards.exclude(kind=AwardKind.PRIZE, tier__isnull=True)


@dataclass(frozen=True)
class Retention:
    winners_days: int
    others_days: int
    winners_until: datetime | None  # None: not published yet
    others_until: datetime | None


def retention_of(contest: Contest) -> Retention:
    # The reverse one-to-one: read from a select_related("retention_policy") when there is one.
    policy = getattr(contest, "retention_policy", None)
    winners = policy.winners_days if policy else settings.PRIVACY_KEEP_WINNERS_DAYS
    others = policy.others_days if policy else settings.PRIVACY_KEEP_OTHERS_DAYS
    published = contest.published_at if contest.status in RESULTS_OUT else None
    return Retention(
        winners_days=winners,
        others_days=others,
        winners_until=published + timedelta(days=winners) if published else None,
        others_until=published + timedelta(days=others) if published else None,
    )


@transaction.atomic
def retention_update(*, actor, contest: Contest, winners_days: int, others_days: int) -> Retention:
    if not can_manage_contest(actor, contest):
        raise NotAllowed()
    before = retention_of(contest)
    contest.retention_policy, _created = RetentionPolicy.objects.update_or_create(
        contest=contest, defaults={"winners_days": winners_days, "others_days": others_days}
    )
    audit_record(
        actor=actor,
        action="privacy.retention_set",
        target=contest,
        before={"winners_days": before.winners_days, "others_days": before.others_days},
        after={"winners_days": winners_days, "others_days": others_days},
    )
    return retention_of(contest)


def _not_erased(entries):
    return entries.exclude(Exists(ErasedEntry.objects.filter(entry=OuterRef("pk"))))


def _due(contest: Contest, now: datetime) -> tuple[list[Entry], set[int]]:
    """The contest's entries past their time, not erased yet; and the winners' ids."""
    retention = retention_of(contest)
    if retention.others_until is None or now < min(retention.others_until, retention.winners_until):
        return [], set()
    winners = set(prizes_won(Award.objects.filter(contest=contest)).values_list("entry_id", flat=True))
    due = []
    for entry in _not_erased(Entry.objects.filter(contest=contest)).order_by("pk"):
        until = retention.winners_until if entry.pk in winners else retention.others_until
        if now >= until:
            due.append(entry)
    return due, winners


def retention_apply(*, contest: Contest, now: datetime | None = None) -> ErasureReport:
    """Pseudonymises the contest's entries past their time, then the people left with nothing
    kept; writes one audit row with the counts (none when there was nothing to do)."""
    now = now or timezone.now()
    report = ErasureReport()
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        due, winners = _due(contest, now)
        for entry in due:
            report.add(entry_erase(entry=entry, cause=ErasureCause.RETENTION, now=now, winner=entry.pk in winners))
        report.add(people_erase_done(person_ids={entry.entrant_id for entry in due}))
        if report.entries:
            public_results_changed(contest=contest)
            audit_record(actor=None, action="privacy.retention_applied", target=contest, after=report.as_dict())
    return report


def contests_due(now: datetime | None = None) -> list[Contest]:
    now = now or timezone.now()
    published = Contest.objects.filter(status__in=RESULTS_OUT, published_at__isnull=False).order_by("pk")
    return [contest for contest in published if _due(contest, now)[0]]


def retention_sweep() -> int:
    """Queues a run for every contest with data past its time; returns how many."""
    due = contests_due()
    from privacy.tasks import retention_apply_task

    with transaction.atomic():
        for contest in due:
            task_enqueue_on_commit(retention_apply_task, contest_id=contest.pk)
    return len(due)
