"""Publishing a contest's result: now, or at a set time (the minute sweep of
results_publish_due); once, however often it is asked for; undone only by an organizer, with a
reason. Publication freezes scores and prizes (contests.services.results_frozen_check) and
tells every entrant by e-mail, in batches."""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contests.enums import RESULTS_OUT, ContestStatus
from contests.models import Contest
from core.errors import Conflict, DomainError
from core.services import audit_record, task_enqueue_on_commit
from people.models import User
from results.enums import AwardKind
from results.models import Award, ResultNotice
from results.prizes import contest_lock, contest_manager_check, final_round, leaderboard_stale, prizes_award
from submissions.enums import EntryStatus

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
    contest = contest_lock(contest)
    contest_manager_check(actor, contest)
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
    leaderboard_stale(contest)
    from results.tasks import results_notify_task  # (results.tasks imports this module)

    task_enqueue_on_commit(results_notify_task, contest_id=contest.pk)
    return _publication(contest)


@transaction.atomic
def results_unpublish(*, actor: User, contest: Contest, reason: str) -> Publication:
    """Back to judging, so that scores and prizes can change again; a scheduled publication is
    cancelled as well. Entrants already told are not told again."""
    contest = contest_lock(contest)
    contest_manager_check(actor, contest)
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


def results_notify_batch(*, contest_id: int, size: int | None = None) -> int:
    """Tells the next `size` entrants not yet told; returns how many remain. Safe to run twice,
    and at the same time: batches of one contest run one after the other (the contest's row
    lock), and each entrant gets a notice row in the same transaction as their e-mail."""
    size = size or settings.RESULTS_NOTICE_BATCH
    with transaction.atomic():
        contest = Contest.objects.select_for_update(no_key=True).filter(pk=contest_id).first()
        if contest is None or contest.status not in RESULTS_OUT:
            return 0  # unpublished (or deleted) since it was queued
        told = ResultNotice.objects.filter(contest=contest).values("entrant_id")
        waiting = (
            User.objects.filter(entries__contest=contest, entries__status=EntryStatus.SUBMITTED)
            .exclude(pk__in=told)
            .distinct()
            .order_by("pk")
        )
        entrants = list(waiting[:size])
        if not entrants:
            return 0
        prizes: dict[int, list[str]] = {}
        awards = Award.objects.filter(
            contest=contest, entry__entrant__in=entrants, entry__status=EntryStatus.SUBMITTED
        ).exclude(kind=AwardKind.PRIZE, tier__isnull=True)
        for entrant_id, tier_name, name in awards.values_list("entry__entrant_id", "tier__name", "name"):
            prizes.setdefault(entrant_id, []).append(tier_name or name)
        get_connection().send_messages([_notice_mail(contest, entrant, prizes) for entrant in entrants])
        ResultNotice.objects.bulk_create([ResultNotice(contest=contest, entrant=entrant) for entrant in entrants])
        return waiting.count()
