"""Writes for contests and their structure: categories, rounds with criteria, prize tiers."""

import unicodedata
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contests.enums import STATUS_ORDER, ContestStatus
from contests.models import Category, Contest, Criterion, PrizeTier, Round
from contests.permissions import can_add_contest, can_manage_contest, results_frozen
from core.errors import Conflict, DomainError, NotAllowed
from core.services import audit_record, audit_value
from people.models import Network, User
from people.services import text_clean


class InvalidWindow(DomainError):
    default_message = gettext_lazy("Submissions must close after they open.")


class ResultsPublished(Conflict):
    code = "results_published"
    default_message = gettext_lazy(
        "This contest's results are published: scores and prizes are frozen. An organizer can unpublish it first."
    )


def results_frozen_check(contest: Contest) -> None:
    """Every write to what a contest's result is made of asks this, on the contest's row locked
    (publication and unpublishing lock it too)."""
    if results_frozen(contest):
        raise ResultsPublished()


def contest_lock(contest: Contest) -> Contest:
    """The contest's row, locked until the transaction ends. NO KEY: rows that refer to the
    contest (entries, awards, audit rows) may still be written meanwhile. The one lock order:
    a contest's row before any row of its entries or awards."""
    return Contest.objects.select_for_update(no_key=True).get(pk=contest.pk)


def contest_for_write(actor: User | None, contest: Contest, *, frozen_ok: bool = False) -> Contest:
    """Every organizer's write to a contest starts here: the actor may manage it (actor None:
    the platform itself, as the scheduled publication), its row is locked (contest_lock), and
    its results are not out (results_frozen_check) unless `frozen_ok`, for the writes that
    decide the freeze themselves (publication, unpublishing, archiving, certificates).
    Returns the locked row, read again; call it inside a transaction."""
    if actor is not None and not can_manage_contest(actor, contest):
        raise NotAllowed()  # before the lock: a stranger does not queue behind organizers
    locked = contest_lock(contest)
    if actor is not None and locked.network_id != contest.network_id and not can_manage_contest(actor, locked):
        raise NotAllowed()  # moved to another network meanwhile
    if not frozen_ok:
        results_frozen_check(locked)
    return locked


class StatusBackwards(Conflict):
    default_message = gettext_lazy("A contest only moves forward; an organizer may reopen it explicitly.")


def code_prefix_default(title: str, opens_at: datetime) -> str:
    """'Đại sứ Văn hóa đọc 2026' -> 'DSVHD26': initials of the words, without diacritics."""
    folded = unicodedata.normalize("NFD", title.replace("Đ", "D").replace("đ", "d"))
    ascii_title = "".join(ch for ch in folded if unicodedata.category(ch) != "Mn")
    initials = "".join(word[0] for word in ascii_title.split() if word[0].isascii() and word[0].isalpha())
    initials = initials.upper()[:6]  # a title in another script contributes nothing, not a bad code
    return f"{initials or 'DS'}{opens_at:%y}"


def _window_check(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise InvalidWindow(field="submission_closes_at")


@transaction.atomic
def contest_create(
    *,
    actor: User,
    network: Network,
    title: str,
    submission_opens_at: datetime,
    submission_closes_at: datetime,
    description: str = "",
    code_prefix: str = "",
    language: str = "vi",
    status: str = ContestStatus.DRAFT,
    categories: list[dict[str, Any]] = (),
    rounds: list[dict[str, Any]] = (),
    prize_tiers: list[dict[str, Any]] = (),
) -> Contest:
    if not can_add_contest(actor, network):
        raise NotAllowed(_("You may only create contests for a network you organize."), field="network")
    if status not in (ContestStatus.DRAFT, ContestStatus.OPEN):
        raise DomainError(_("A new contest starts as a draft or open."), field="status")
    _window_check(submission_opens_at, submission_closes_at)
    title = text_clean(title)
    contest = Contest.objects.create(
        network=network,
        title=title,
        description=description.strip(),
        code_prefix=code_prefix or code_prefix_default(title, submission_opens_at),
        language=language,
        submission_opens_at=submission_opens_at,
        submission_closes_at=submission_closes_at,
        status=status,
    )
    _structure_add(contest=contest, categories=categories, rounds=rounds, prize_tiers=prize_tiers)
    audit_record(actor=actor, action="contest.created", target=contest, after={"title": title, "status": status})
    return contest


def _structure_add(*, contest: Contest, categories, rounds, prize_tiers) -> None:
    for category in categories:
        category_add(contest=contest, **category)
    for judging_round in rounds:
        round_add(contest=contest, **judging_round)
    for tier in prize_tiers:
        prize_tier_add(contest=contest, **tier)


class DuplicateName(DomainError):
    default_message = gettext_lazy("This name is already used in this contest.")


def category_add(*, contest: Contest, name: str, **settings) -> Category:
    name = text_clean(name)
    if contest.categories.filter(name__iexact=name).exists():
        raise DuplicateName(field="name")
    return Category.objects.create(contest=contest, name=name, **settings)


def round_add(*, contest: Contest, name: str, order: int, criteria: list[dict[str, Any]] = (), **settings) -> Round:
    if contest.rounds.filter(order=order).exists():
        raise DomainError(_("Another round of this contest has this order."), field="order")
    judging_round = Round.objects.create(contest=contest, name=text_clean(name), order=order, **settings)
    Criterion.objects.bulk_create(
        Criterion(round=judging_round, name=text_clean(c["name"]), weight=c.get("weight", 1), max_score=c["max_score"])
        for c in criteria
    )
    return judging_round


def prize_tier_add(*, contest: Contest, name: str, rank: int, quota: int, points: int = 0) -> PrizeTier:
    if contest.prize_tiers.filter(rank=rank).exists():
        raise DomainError(_("Another prize tier of this contest has this rank."), field="rank")
    return PrizeTier.objects.create(contest=contest, name=text_clean(name), rank=rank, quota=quota, points=points)


def contest_structure_add(*, actor: User, contest: Contest, kind: str, data: dict[str, Any]):
    """The organizer API's POST categories/rounds/prize_tiers: one place for the check."""
    adders = {"category": category_add, "round": round_add, "prize_tier": prize_tier_add}
    with transaction.atomic():
        contest_for_write(actor, contest)
        created = adders[kind](contest=contest, **data)
        audit_record(actor=actor, action=f"contest.{kind}_added", target=contest, after={"id": created.pk})
    return created


@transaction.atomic
def contest_update(*, actor: User, contest: Contest, **changes) -> Contest:
    contest = contest_for_write(actor, contest, frozen_ok=True)
    # Archiving, and releasing the judges' comments to the entrants, change nothing published.
    after_results = {"status", "comments_released"}
    if (
        results_frozen(contest)
        and changes
        and not (
            set(changes) <= after_results and changes.get("status", ContestStatus.ARCHIVED) == ContestStatus.ARCHIVED
        )
    ):
        # Its title, window and language are on every published page and certificate.
        raise ResultsPublished()
    if "status" in changes and changes["status"] != contest.status:
        step = STATUS_ORDER.index(changes["status"]) - STATUS_ORDER.index(contest.status)
        if step < 0:
            raise StatusBackwards(field="status")
        if changes["status"] == ContestStatus.PUBLISHED:
            # Publishing awards prizes, freezes the scores and tells every entrant: its own action.
            raise Conflict(_("Results are published through the contest's publish action."), field="status")
        if step > 1:  # one stage at a time: a slip of the mouse must not archive a running contest
            raise Conflict(
                _("From {current} the contest can only move to {next}.").format(
                    current=ContestStatus(contest.status).label,
                    next=ContestStatus(STATUS_ORDER[STATUS_ORDER.index(contest.status) + 1]).label,
                ),
                field="status",
            )
    if "network" in changes and not can_add_contest(actor, changes["network"]):
        raise NotAllowed(_("You may only move a contest to a network you organize."), field="network")
    before = {field: audit_value(getattr(contest, field)) for field in changes}
    for field, value in changes.items():
        setattr(contest, field, text_clean(value) if field == "title" else value)
    _window_check(contest.submission_opens_at, contest.submission_closes_at)
    contest.save()
    after = {field: audit_value(getattr(contest, field)) for field in changes}
    audit_record(actor=actor, action="contest.updated", target=contest, before=before, after=after)
    return contest


@transaction.atomic
def contest_reopen(*, actor: User, contest: Contest, reason: str, submission_closes_at: datetime | None) -> Contest:
    """The one way back in the lifecycle: open again for entries, with a reason on record."""
    contest = contest_for_write(actor, contest)
    if contest.status not in (ContestStatus.CLOSED, ContestStatus.JUDGING):
        raise Conflict(_("Only a closed contest, or one in judging, can be reopened."), field="status")
    closes_at = submission_closes_at or contest.submission_closes_at
    if closes_at <= timezone.now():
        raise DomainError(_("Give a new closing time in the future."), field="submission_closes_at")
    _window_check(contest.submission_opens_at, closes_at)
    before = {"status": contest.status, "submission_closes_at": contest.submission_closes_at.isoformat()}
    contest.status, contest.submission_closes_at = ContestStatus.OPEN, closes_at
    contest.save(update_fields=["status", "submission_closes_at"])
    after = {"status": contest.status, "submission_closes_at": closes_at.isoformat()}
    audit_record(actor=actor, action="contest.reopened", target=contest, before=before, after=after, reason=reason)
    return contest


@transaction.atomic
def contest_copy(*, actor: User, contest: Contest, title: str = "", shift: timedelta = timedelta(days=365)) -> Contest:
    """Last year's contest as this year's draft: same network, categories, rounds, criteria
    and prize tiers, the window moved by `shift`. Entries and judging are not copied."""
    if not can_manage_contest(actor, contest):
        raise NotAllowed()
    opens_at = contest.submission_opens_at + shift
    copy = contest_create(
        actor=actor,
        network=contest.network,
        title=title or f"{contest.title} ({_('copy')})",
        description=contest.description,
        language=contest.language,
        submission_opens_at=opens_at,
        submission_closes_at=contest.submission_closes_at + shift,
        categories=[
            {field: getattr(category, field) for field in CATEGORY_SETTINGS} | {"name": category.name}
            for category in contest.categories.all()
        ],
        rounds=[
            {
                "name": r.name,
                "order": r.order,
                "judges_per_entry": r.judges_per_entry,
                "aggregation": r.aggregation,
                "advance": r.advance,
                "advance_value": r.advance_value,
                "max_spread": r.max_spread,
                "criteria": [{"name": c.name, "weight": c.weight, "max_score": c.max_score} for c in r.criteria.all()],
            }
            for r in contest.rounds.prefetch_related("criteria")
        ],
        prize_tiers=[
            {"name": t.name, "rank": t.rank, "quota": t.quota, "points": t.points} for t in contest.prize_tiers.all()
        ],
    )
    copy.copied_from = contest
    copy.save(update_fields=["copied_from"])
    return copy


CATEGORY_SETTINGS = (
    "formats",
    "max_words",
    "allowed_file_types",
    "max_file_mb",
    "allowed_video_hosts",
    "max_entries_per_entrant",
)


def contests_close_due(*, now: datetime | None = None) -> int:
    """Open contests whose window has passed become closed (the periodic sweep). Entries are
    refused by the clock anyway; this keeps the status honest for people reading it."""
    now = now or timezone.now()
    return Contest.objects.filter(status=ContestStatus.OPEN, submission_closes_at__lte=now).update(
        status=ContestStatus.CLOSED
    )
