"""Publishing a contest's result: now, or at a set time (the minute sweep of
results_publish_due); once, however often it is asked for; undone only by an organizer, with a
reason. Publication freezes scores and prizes (contests.services.results_frozen_check) and
tells every entrant by e-mail, in batches."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contests.enums import RESULTS_OUT, ContestStatus
from contests.models import Contest
from contests.services import contest_for_write
from core.errors import Conflict, DomainError
from core.services import audit_record, task_enqueue_on_commit
from people.models import User
from results.caching import results_version_bump
from results.enums import AwardKind
from results.models import Award, ResultNotice
from results.prizes import final_round, leaderboard_stale, prizes_award
from submissions.enums import EntryStatus
from submissions.models import Entry

logger = logging.getLogger(__name__)


@dataclass
class Publication:
    status: str
    published_at: datetime | None
    publish_at: datetime | None


def _publication(contest: Contest) -> Publication:
    return Publication(status=contest.status, published_at=contest.published_at, publish_at=contest.publish_at)


@transaction.atomic
def results_publish(*, actor: User | None, contest: Contest, publish_at: datetime | None = None) -> Publication:
    """Publishes now (publish_at empty) or schedules it (a future publish_at; the API refuses a
    past one, the minute sweep passes none). Asked again once published, it answers with the
    publication there is: one publication, one e-mail per entrant."""
    contest = contest_for_write(actor, contest, frozen_ok=True)
    if contest.status in RESULTS_OUT:
        return _publication(contest)
    if contest.status != ContestStatus.JUDGING:
        raise Conflict(_("Only a contest in judging can publish its results."), field="status")
    final_round(contest)  # closed, or this refuses
    now = timezone.now()
    if publish_at is not None and publish_at > now:
        before = contest.publish_at
        contest.publish_at = publish_at
        contest.save(update_fields=["publish_at"])
        audit_record(
            actor=actor,
            action="contest.publication_scheduled",
            target=contest,
            before={"publish_at": before.isoformat() if before else None},
            after={"publish_at": publish_at.isoformat()},
        )
        return _publication(contest)
    if contest.prize_tiers.exists():
        # From the standing as it is now (the organizer may never have awarded, or changed the
        # tiers since); their overrides stay. What is published is then frozen.
        prizes_award(actor=actor, contest=contest)
    contest.status, contest.published_at, contest.publish_at = ContestStatus.PUBLISHED, now, None
    contest.save(update_fields=["status", "published_at", "publish_at"])
    audit_record(actor=actor, action="contest.published", target=contest, after={"published_at": now.isoformat()})
    results_version_bump(contest=contest)
    leaderboard_stale(contest)
    from results.tasks import results_notify_task  # (results.tasks imports this module)

    task_enqueue_on_commit(results_notify_task, contest_id=contest.pk)
    return _publication(contest)


@transaction.atomic
def results_unpublish(*, actor: User, contest: Contest, reason: str) -> Publication:
    """Back to judging, so that scores and prizes can change again; a scheduled publication is
    cancelled as well. Entrants already told are not told again."""
    contest = contest_for_write(actor, contest, frozen_ok=True)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why: the reason is kept on record."), field="reason")
    if contest.status == ContestStatus.ARCHIVED:
        raise Conflict(_("An archived contest stays published."), field="status")
    if contest.status != ContestStatus.PUBLISHED and contest.publish_at is None:
        raise Conflict(_("This contest's results are not published."), field="status")
    before = {"status": contest.status, "publish_at": contest.publish_at.isoformat() if contest.publish_at else None}
    if contest.status == ContestStatus.PUBLISHED:
        contest.status = ContestStatus.JUDGING
    contest.published_at, contest.publish_at = None, None
    contest.save(update_fields=["status", "published_at", "publish_at"])
    audit_record(
        actor=actor,
        action="contest.unpublished",
        target=contest,
        before=before,
        after={"status": contest.status},
        reason=reason,
    )
    results_version_bump(contest=contest)  # in this commit: no copy of the published result is served after it
    leaderboard_stale(contest)
    return _publication(contest)


def results_publish_due(*, now: datetime | None = None) -> int:
    """The minute sweep: publishes what was scheduled. One that cannot publish (its final round
    was reopened...) is logged and left scheduled, for the organizer to see."""
    now = now or timezone.now()
    published = 0
    due = Contest.objects.filter(status=ContestStatus.JUDGING, publish_at__lte=now).values_list("pk", flat=True)
    for contest_id in list(due):
        try:
            results_publish(actor=None, contest=Contest.objects.get(pk=contest_id))
            published += 1
        except DomainError as refusal:
            logger.warning("scheduled publication of contest %s refused: %s", contest_id, refusal.message)
    return published


def _notice_mail(contest: Contest, entrant: User, prizes: dict[int, list[str]]) -> EmailMessage:
    with translation.override(entrant.language):
        facts = {
            "name": entrant.full_name,
            "contest": contest.title,
            "link": f"{settings.SITE_URL}/contests/{contest.pk}/results/",
        }
        subject = _("The results of {contest} are out").format(**facts)
        won = prizes.get(entrant.pk)
        if won:
            news = _("Congratulations: your entry won {prizes}.").format(prizes=", ".join(won))
        else:
            news = _("Thank you for taking part; see the full results and every library's standing.")
        body = _("Hello {name},\n\nThe results of {contest} are published.\n{news}\n\n{link}\n").format(
            news=news, **facts
        )
    return EmailMessage(subject=subject, body=body, to=[entrant.email])


def results_notify_batch(
    *, contest_id: int, after: int = 0, size: int | None = None, progress: Callable[[], None] = lambda: None
) -> int | None:
    """Tells the contest's entrants whose id comes after `after` (`size` of them at most) that
    the results are out; returns the id the next batch starts after, or None after the last.

    Entrants are paged by id, so a batch reads its own page whatever the contest's size. Each
    e-mail goes out outside any transaction or row lock, and its notice row is written right
    after it: a failure part-way (the mail server refusing the 80th message) raises, and the
    batch run again tells only those not told yet. An entrant without an e-mail address gets a
    notice row and no message. `progress` is called after each entrant (the task renews its lease).
    """
    size = size or settings.RESULTS_NOTICE_BATCH
    contest = Contest.objects.filter(pk=contest_id).first()
    if contest is None or contest.status not in RESULTS_OUT:
        return None  # unpublished (or deleted) since it was queued
    took_part = Entry.objects.filter(contest=contest, entrant=OuterRef("pk"), status=EntryStatus.SUBMITTED)
    page = list(
        User.objects.filter(pk__gt=after)
        .filter(Exists(took_part))
        .only("pk", "email", "full_name", "language")
        .order_by("pk")[:size]
    )
    told = set(ResultNotice.objects.filter(contest=contest, entrant__in=page).values_list("entrant_id", flat=True))
    waiting = [entrant for entrant in page if entrant.pk not in told]
    if waiting:
        prizes: dict[int, list[str]] = {}
        awards = Award.objects.filter(
            contest=contest, entry__entrant__in=waiting, entry__status=EntryStatus.SUBMITTED
        ).exclude(kind=AwardKind.PRIZE, tier__isnull=True)
        for entrant_id, tier_name, name in awards.values_list("entry__entrant_id", "tier__name", "name"):
            prizes.setdefault(entrant_id, []).append(tier_name or name)
        with get_connection() as connection:  # one session with the mail server for the batch
            for entrant in waiting:
                if entrant.email:
                    connection.send_messages([_notice_mail(contest, entrant, prizes)])
                notice = ResultNotice(contest=contest, entrant=entrant)
                ResultNotice.objects.bulk_create([notice], ignore_conflicts=True)
                progress()
    return page[-1].pk if len(page) == size else None
