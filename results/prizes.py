"""Prizes: tier prizes from the final round's ranking, an organizer's overrides and special
prizes, and the collective prizes of libraries and networks.

How tier prizes are awarded, per category: the tiers are taken in their order (Giải Nhất
first) and fill positions in the final round's ranking by their quotas, 4 / 8 / 16 ... An
entry's position is its rank there (judging's tie-break decides: higher score, then the higher
lowest judge's total), recounted over the entries still valid (one disqualified after the round
closed leaves no hole). Entries still exactly equal share a rank, and so share the higher prize:
a tier can then hold more entries than its quota, and the tiers after it start that much later.
The organizer sees every such overflow in the report. An override (another tier, or none, with
a reason) is kept by later award runs; special prizes are given by hand.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from contests.enums import ContestStatus, RoundStatus
from contests.models import Contest, PrizeTier, Round
from contests.services import contest_for_write, contest_lock
from core.errors import Conflict, DomainError
from core.services import audit_record, task_enqueue_on_commit
from people.models import Library, Network, User
from results.enums import AwardKind, CollectiveBasis
from results.models import Award, CollectiveAward
from results.selectors import places_of, standing
from submissions.enums import EntryStatus
from submissions.models import Entry


def final_round(contest: Contest) -> Round:
    """The contest's last round, closed: prizes and results come from its ranking."""
    last = contest.rounds.order_by("-order").first()
    if last is None:
        raise Conflict(_("This contest has no rounds, so there is no ranking to award prizes from."))
    if last.status != RoundStatus.CLOSED:
        raise Conflict(_("Close the final round ({round}) first.").format(round=last.name))
    return last


@dataclass
class TierTally:
    category: int
    category_name: str
    tier: int
    tier_name: str
    quota: int
    awarded: int
    overflow: int
    overflow_entries: list[str] = field(default_factory=list)  # codes sharing the tier's last rank


@dataclass
class AwardReport:
    awarded: int
    tiers: list[TierTally]


def award_report(contest: Contest) -> AwardReport:
    """Tier prizes as they stand, per category and tier, with every quota overflow."""
    prizes = Award.objects.filter(contest=contest, kind=AwardKind.PRIZE, tier__isnull=False)
    counts = {
        (row["category_id"], row["tier_id"]): row["n"]
        for row in prizes.values("category_id", "tier_id").annotate(n=Count("pk"))
    }
    tiers = list(contest.prize_tiers.order_by("rank"))
    tallies = []
    for category in contest.categories.order_by("id"):
        for tier in tiers:
            awarded = counts.get((category.pk, tier.pk), 0)
            tally = TierTally(
                category=category.pk,
                category_name=category.name,
                tier=tier.pk,
                tier_name=tier.name,
                quota=tier.quota,
                awarded=awarded,
                overflow=max(0, awarded - tier.quota),
            )
            if tally.overflow:
                in_tier = prizes.filter(category=category, tier=tier)
                last_rank = max(rank for rank in in_tier.values_list("rank", flat=True) if rank is not None)
                tally.overflow_entries = sorted(in_tier.filter(rank=last_rank).values_list("entry__code", flat=True))
            tallies.append(tally)
    return AwardReport(awarded=sum(counts.values()), tiers=tallies)


def _tier_at(position: int, tiers: list[PrizeTier]) -> PrizeTier | None:
    """The tier whose quota covers this 1-based position, or None past the last one."""
    end = 0
    for tier in tiers:
        end += tier.quota
        if position <= end:
            return tier
    return None


@transaction.atomic
def prizes_award(*, actor: User | None, contest: Contest) -> AwardReport:
    """(Re)awards the tier prizes from the final round; overrides stay as the organizer set them."""
    contest = contest_for_write(actor, contest)
    return _prizes_award(actor=actor, contest=contest, last=final_round(contest))


def _prizes_award(*, actor: User | None, contest: Contest, last: Round) -> AwardReport:
    """Under the contest's lock: every tier prize but the overridden ones, given again by place
    in the final round's standing; the overridden ones keep their tier and take their new place."""
    tiers = list(contest.prize_tiers.order_by("rank"))
    if not tiers:
        raise Conflict(_("This contest has no prize tiers; add them first."))
    overridden = {
        award.entry_id: award
        for award in Award.objects.filter(contest=contest, kind=AwardKind.PRIZE, overridden=True).only("entry_id")
    }
    Award.objects.filter(contest=contest, kind=AwardKind.PRIZE, overridden=False).delete()
    awards = []
    places = standing(last).filter(place__lte=sum(tier.quota for tier in tiers))
    for entry_id, category_id, place in places.values_list("entry_id", "category_id", "place").iterator(1000):
        if entry_id not in overridden:
            award = Award(contest=contest, entry_id=entry_id, category_id=category_id, kind=AwardKind.PRIZE)
            award.tier, award.rank, award.awarded_by = _tier_at(place, tiers), place, actor
            awards.append(award)
    Award.objects.bulk_create(awards, batch_size=1000)
    moved = places_of(last, list(overridden))
    for entry_id, award in overridden.items():
        Award.objects.filter(pk=award.pk).update(rank=moved.get(entry_id))
    report = award_report(contest)
    audit_record(
        actor=actor,
        action="prizes.awarded",
        target=contest,
        after={
            "awarded": report.awarded,
            "overflow": {f"{t.category}/{t.tier}": t.overflow for t in report.tiers if t.overflow},
        },
    )
    leaderboard_stale(contest)
    return report


def prizes_follow_standing(*, actor: User | None, contest: Contest) -> None:
    """An entry withdrawn or disqualified (in the caller's transaction, which that write's own
    checks allowed): the places below it move up, so prizes already given are given again (the
    overrides kept), and the leaderboard follows."""
    if contest.status != ContestStatus.JUDGING:
        # Before judging there is no ranking (and an entrant's withdrawal does not queue on the
        # contest's row); once published nothing moves (the withdrawal was refused).
        return
    contest = contest_lock(contest)
    last = contest.rounds.order_by("-order").first()
    awarded = Award.objects.filter(contest=contest, kind=AwardKind.PRIZE).exists()
    if last is not None and last.status == RoundStatus.CLOSED and awarded and contest.prize_tiers.exists():
        _prizes_award(actor=actor, contest=contest, last=last)  # refreshes the leaderboard too
    else:
        leaderboard_stale(contest)


def leaderboard_stale(contest: Contest) -> None:
    from results.tasks import leaderboard_refresh_task  # (results.tasks imports the services)

    task_enqueue_on_commit(leaderboard_refresh_task, contest_id=contest.pk)


def _contest_entry(contest: Contest, entry_id: int) -> Entry:
    entry = Entry.objects.filter(pk=entry_id, contest=contest).first()
    if entry is None:
        raise DomainError(_("This entry is not in this contest."), field="entry")
    if entry.status != EntryStatus.SUBMITTED:
        raise DomainError(_("This entry was withdrawn or disqualified."), field="entry")
    return entry


def _reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why: the reason is kept on record."), field="reason")
    return reason


def _award_audit(award: Award) -> dict[str, Any]:
    return {"entry": award.entry_id, "tier": award.tier_id, "name": award.name, "reason": award.reason}


@transaction.atomic
def award_override(*, actor: User, contest: Contest, entry_id: int, tier: PrizeTier | None, reason: str) -> Award:
    """Sets an entry's tier prize by hand (tier None: no prize), whatever the ranking says."""
    contest = contest_for_write(actor, contest)
    reason = _reason_required(reason)
    entry = _contest_entry(contest, entry_id)
    if tier is not None and tier.contest_id != contest.pk:
        raise DomainError(_("This prize tier belongs to another contest."), field="tier")
    award = Award.objects.filter(entry=entry, kind=AwardKind.PRIZE).first()
    before = _award_audit(award) if award else None
    if award is None:
        award = Award(contest=contest, entry=entry, category_id=entry.category_id, kind=AwardKind.PRIZE)
    last = contest.rounds.order_by("-order").first()
    closed = last is not None and last.status == RoundStatus.CLOSED
    award.tier, award.overridden, award.reason, award.awarded_by = tier, True, reason, actor
    award.rank = places_of(last, [entry.pk]).get(entry.pk) if closed else None  # its place in the final ranking
    award.save()
    audit_record(
        actor=actor, action="award.overridden", target=award, before=before, after=_award_audit(award), reason=reason
    )
    leaderboard_stale(contest)
    return award


@transaction.atomic
def special_prize_give(*, actor: User, contest: Contest, entry_id: int, name: str, reason: str = "") -> Award:
    contest = contest_for_write(actor, contest)
    entry = _contest_entry(contest, entry_id)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the prize."), field="name")
    if Award.objects.filter(entry=entry, kind=AwardKind.SPECIAL, name=name).exists():
        raise Conflict(_("This entry already has this prize."), field="name")
    award = Award.objects.create(
        contest=contest,
        entry=entry,
        category_id=entry.category_id,
        kind=AwardKind.SPECIAL,
        name=name,
        reason=(reason or "").strip(),
        awarded_by=actor,
    )
    audit_record(actor=actor, action="award.special_given", target=award, after=_award_audit(award))
    return award


@transaction.atomic
def award_remove(*, actor: User, award: Award) -> None:
    """Takes back a special prize, or an override (the next award run decides that entry again)."""
    contest = contest_for_write(actor, award.contest)
    if award.kind == AwardKind.PRIZE and not award.overridden:
        raise Conflict(_("A prize from the ranking changes by an override, not by removal."))
    audit_record(actor=actor, action="award.removed", target=award, before=_award_audit(award))
    award.delete()
    leaderboard_stale(contest)


@transaction.atomic
def collective_award_give(
    *,
    actor: User,
    contest: Contest,
    name: str,
    library: Library | None = None,
    network: Network | None = None,
    basis: str = CollectiveBasis.OTHER,
    reason: str = "",
) -> CollectiveAward:
    """A prize for a library or a network that took part (one of its libraries has an entry)."""
    contest = contest_for_write(actor, contest)
    if (library is None) == (network is None):
        raise DomainError(_("Give either a library or a network."), field="library")
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the prize."), field="name")
    unit = {"library": library} if library is not None else {"network": network}
    took_part = Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED)
    if library is not None:
        took_part = took_part.filter(library=library)
    else:
        took_part = took_part.filter(library__network__path__startswith=network.path)
    if not took_part.exists():
        field_name = "library" if library is not None else "network"
        raise DomainError(_("This one has no entries in the contest."), field=field_name)
    if CollectiveAward.objects.filter(contest=contest, name=name, **unit).exists():
        raise Conflict(_("This prize was already given to them."), field="name")
    award = CollectiveAward.objects.create(
        contest=contest, name=name, basis=basis, reason=(reason or "").strip(), awarded_by=actor, **unit
    )
    audit_record(
        actor=actor,
        action="collective_award.given",
        target=award,
        after={
            "name": name,
            "basis": basis,
            "library": getattr(library, "pk", None),
            "network": getattr(network, "pk", None),
        },
    )
    return award


@transaction.atomic
def collective_award_remove(*, actor: User, award: CollectiveAward) -> None:
    contest_for_write(actor, award.contest)
    audit_record(
        actor=actor,
        action="collective_award.removed",
        target=award,
        before={"name": award.name, "library": award.library_id, "network": award.network_id},
    )
    award.delete()
