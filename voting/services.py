"""Writes of the public vote: setting it up, opening entries, casting and changing ballots,
voiding, publishing. A ballot and the tally it moves are written in one transaction, the
tallies with F() expressions in the order of their ids (two voters moving between the same two
entries in opposite directions must not deadlock).

Every row lock here is FOR NO KEY UPDATE: a ballot's INSERT holds FOR KEY SHARE on its vote,
category and entry (the foreign keys' checks), which a plain FOR UPDATE would wait on, so that
voiding, which locks the vote and then ballots, deadlocked with voters (tests/voting/
test_tally_race.py found it)."""

from collections import Counter
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from contests.models import Category, Contest
from contests.models import Round as JudgingRound
from contests.services import contest_for_write
from core.errors import NotAllowed
from core.services import audit_record, audit_value
from people.models import User
from submissions.enums import EntryStatus
from submissions.models import Entry
from voting import errors
from voting.models import Ballot, EntryView, PublicVote, VoteEntry
from voting.permissions import can_manage_public_vote, voter_refusal


def address_digest(address: str) -> str:
    """The client's address as a keyed hash. A plain hash of an IPv4 address is reversed by
    trying all 2³² of them in minutes; keyed with the server's secret it is not, and equal
    addresses still hash alike, which is all the fraud view needs."""
    if not address:
        return ""
    return salted_hmac("voting.address", address, algorithm="sha256").hexdigest()[:16]


def _window_check(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": [_("Voting must close after it opens.")]})


@transaction.atomic
def public_vote_create(*, actor: User, contest: Contest, **fields) -> PublicVote:
    # frozen_ok: the people's choice has its own list and may well run after the jury's results
    # are out (2025's "most voted clip"); it changes nothing the freeze protects.
    contest = contest_for_write(actor, contest, frozen_ok=True)
    _window_check(fields["opens_at"], fields["closes_at"])
    public_vote = PublicVote.objects.create(contest=contest, **fields)
    audit_record(
        actor=actor,
        action="public_vote.created",
        target=public_vote,
        after={name: audit_value(value) for name, value in fields.items()},
    )
    return public_vote


@transaction.atomic
def public_vote_update(*, actor: User, public_vote: PublicVote, **changes) -> PublicVote:
    public_vote = PublicVote.objects.select_for_update(no_key=True).get(pk=public_vote.pk)
    if not can_manage_public_vote(actor, public_vote):
        raise NotAllowed()
    if public_vote.published_at is not None:
        raise errors.VotePublished()
    before = {name: audit_value(getattr(public_vote, name)) for name in changes}
    for name, value in changes.items():
        setattr(public_vote, name, value)
    _window_check(public_vote.opens_at, public_vote.closes_at)
    public_vote.save()
    after = {name: audit_value(getattr(public_vote, name)) for name in changes}
    audit_record(actor=actor, action="public_vote.updated", target=public_vote, before=before, after=after)
    return public_vote


def _candidates(
    contest: Contest,
    *,
    category: Category | None,
    judging_round: JudgingRound | None,
    entries: list[int] | None,
    video_only: bool,
) -> QuerySet[Entry]:
    found = Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED)
    if category is not None:
        found = found.filter(category=category)
    if judging_round is not None:
        # In the round: assigned to its judges, or ranked when it closed.
        found = found.filter(
            Q(pk__in=judging_round.assignments.values("entry_id")) | Q(pk__in=judging_round.results.values("entry_id"))
        )
    if entries is not None:
        found = found.filter(pk__in=entries)
    if video_only:
        found = found.exclude(video_url="")
    return found


@transaction.atomic
def vote_entries_add(
    *,
    actor: User,
    public_vote: PublicVote,
    category: Category | None = None,
    judging_round: JudgingRound | None = None,
    entries: list[int] | None = None,
    video_only: bool = False,
) -> int:
    """Puts the contest's entries that match (a category, a round, a list, video ones) in the
    vote; entries already in stay as they are. Returns how many were added."""
    public_vote = (
        PublicVote.objects.select_for_update(no_key=True, of=("self",)).select_related("contest").get(pk=public_vote.pk)
    )
    if not can_manage_public_vote(actor, public_vote):
        raise NotAllowed()
    if public_vote.published_at is not None or timezone.now() >= public_vote.closes_at:
        raise errors.VoteClosed()
    for given, name in ((category, "category"), (judging_round, "round")):
        if given is not None and given.contest_id != public_vote.contest_id:
            raise ValidationError({name: [_("It belongs to another contest.")]})
    matching = _candidates(
        public_vote.contest, category=category, judging_round=judging_round, entries=entries, video_only=video_only
    ).exclude(vote_entries__public_vote=public_vote)
    rows = [
        VoteEntry(public_vote=public_vote, entry_id=entry_id, category_id=category_id)
        for entry_id, category_id in matching.values_list("pk", "category_id").order_by("pk")
    ]
    VoteEntry.objects.bulk_create(rows, ignore_conflicts=True)
    audit_record(
        actor=actor,
        action="public_vote.entries_added",
        target=public_vote,
        after={"entries": [row.entry_id for row in rows]},
    )
    return len(rows)


@transaction.atomic
def vote_entry_remove(*, actor: User, vote_entry: VoteEntry) -> None:
    public_vote = PublicVote.objects.select_for_update(no_key=True).get(pk=vote_entry.public_vote_id)
    if not can_manage_public_vote(actor, public_vote):
        raise NotAllowed()
    if timezone.now() >= public_vote.opens_at:
        raise errors.VoteStarted()
    audit_record(
        actor=actor, action="public_vote.entry_removed", target=public_vote, before={"entry": vote_entry.entry_id}
    )
    vote_entry.delete()


def entry_view_record(*, viewer: User, vote_entry: VoteEntry) -> None:
    """That this account opened the entry (once; later openings change nothing)."""
    EntryView.objects.bulk_create([EntryView(vote_entry=vote_entry, viewer=viewer)], ignore_conflicts=True)


def _tallies_move(moves: dict[int, int]) -> None:
    for vote_entry_id in sorted(moves):  # one lock order for every transaction
        if moves[vote_entry_id]:
            VoteEntry.objects.filter(pk=vote_entry_id).update(votes=F("votes") + moves[vote_entry_id])


def ballot_cast(*, voter: User, public_vote: PublicVote, entry_id: int, address: str = "") -> tuple[Ballot, str]:
    """The voter's vote in the entry's category: a new ballot, or their ballot moved to this
    entry. Returns the ballot and what happened: "cast", "changed" or "same" (the same vote
    twice changes nothing)."""
    refusal = voter_refusal(voter, public_vote)
    if refusal is not None:
        raise refusal
    vote_entry = (
        VoteEntry.objects.filter(public_vote=public_vote, entry_id=entry_id)
        .annotate(seen=Exists(EntryView.objects.filter(vote_entry=OuterRef("pk"), viewer=voter)))
        .first()
    )
    if vote_entry is None:
        raise errors.NotInVote(field="entry")
    if not vote_entry.seen:
        raise errors.EntryNotViewed()
    digest = address_digest(address)
    now = timezone.now()
    with transaction.atomic():
        ballot = Ballot(
            public_vote=public_vote,
            category_id=vote_entry.category_id,
            voter=voter,
            vote_entry=vote_entry,
            library_id=voter.library_id,
            address=digest,
            account_created_at=voter.date_joined,
            cast_at=now,
        )
        ballot.pk = _ballot_insert_new(ballot)
        existing = None
        if ballot.pk is None:
            # The voter has a ballot in this category: a change.
            mine = Ballot.objects.select_for_update(no_key=True, of=("self",)).select_related("vote_entry")
            existing = mine.filter(public_vote=public_vote, category_id=vote_entry.category_id, voter=voter).first()
            if existing is None:
                # Their other request's ballot, not committed yet (DO NOTHING did not wait for
                # it): a plain INSERT waits on its unique key, then conflicts or goes through.
                try:
                    with transaction.atomic():
                        ballot.save(force_insert=True)
                except IntegrityError:
                    existing = mine.get(public_vote=public_vote, category_id=vote_entry.category_id, voter=voter)
        if existing is None:
            _tallies_move({vote_entry.pk: 1})
            _still_open(public_vote)
            audit_record(actor=voter, action="ballot.cast", target=ballot, after={"entry": entry_id, "address": digest})
            return ballot, "cast"
        ballot = existing
        if ballot.voided_at is not None:
            raise errors.BallotVoided()
        if ballot.vote_entry_id == vote_entry.pk:
            return ballot, "same"
        before = ballot.vote_entry.entry_id
        _tallies_move({ballot.vote_entry_id: -1, vote_entry.pk: 1})
        _still_open(public_vote)
        ballot.vote_entry = vote_entry
        ballot.cast_at = now
        ballot.address = digest
        ballot.library_id = voter.library_id
        ballot.changes += 1
        ballot.save(update_fields=["vote_entry", "cast_at", "address", "library", "changes"])
        audit_record(
            actor=voter,
            action="ballot.changed",
            target=ballot,
            before={"entry": before},
            after={"entry": entry_id, "address": digest},
        )
        return ballot, "changed"


def _ballot_insert_new(ballot: Ballot) -> int | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: the new ballot's id, or None when the voter
    already has one in the category. One round trip where a look-up, a savepoint, the insert and
    its release took four (bench/vote_bench.py). A concurrent insert of the same voter's ballot
    is waited for, then seen as a conflict (PostgreSQL; SQLite writes one at a time)."""
    fields = [field for field in Ballot._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    statement = (
        f"INSERT INTO {quote(Ballot._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING RETURNING {quote('id')}"
    )
    values = [field.get_db_prep_save(field.pre_save(ballot, add=True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        row = cursor.fetchone()
    return row[0] if row else None


def _still_open(public_vote: PublicVote) -> None:
    """Asked again once the tally's row is locked: publishing locks every tally first, so a
    ballot that waited on it sees the list published here and rolls back. No vote lands after."""
    if (
        timezone.now() >= public_vote.closes_at
        or PublicVote.objects.filter(pk=public_vote.pk, published_at__isnull=False).exists()
    ):
        raise errors.VoteClosed()


@transaction.atomic
def ballots_void(*, actor: User, public_vote: PublicVote, ballot_ids: list[int], reason: str) -> int:
    """Voids the ballots (they stop counting; each one audited with the reason). Ballots already
    voided are left as they are. Returns how many were voided now."""
    public_vote = PublicVote.objects.select_for_update(no_key=True).get(pk=public_vote.pk)
    if not can_manage_public_vote(actor, public_vote):
        raise NotAllowed()
    if public_vote.published_at is not None:
        raise errors.VotePublished()
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": [_("Say why these votes are voided.")]})
    ballots = list(
        Ballot.objects.select_for_update(no_key=True)
        .filter(public_vote=public_vote, pk__in=ballot_ids, voided_at__isnull=True)
        .order_by("pk")
    )
    now = timezone.now()
    moves = Counter()
    for ballot in ballots:
        ballot.voided_at, ballot.void_reason = now, reason
        moves[ballot.vote_entry_id] -= 1
        audit_record(
            actor=actor, action="ballot.voided", target=ballot, after={"entry": ballot.vote_entry_id}, reason=reason
        )
    Ballot.objects.bulk_update(ballots, ["voided_at", "void_reason"])
    _tallies_move(dict(moves))
    return len(ballots)


def _competition_ranks(votes: list[int]) -> list[int]:
    """1, 1, 3 …: tied entries share a rank, the next one skips (votes sorted high to low)."""
    ranks = []
    for position, count in enumerate(votes):
        ranks.append(ranks[-1] if position and count == votes[position - 1] else position + 1)
    return ranks


@transaction.atomic
def public_vote_publish(*, actor: User, public_vote: PublicVote) -> PublicVote:
    """Ranks each category's entries by their stored tallies and publishes the list with how
    many votes counted and how many were voided."""
    public_vote = PublicVote.objects.select_for_update(no_key=True).get(pk=public_vote.pk)
    if not can_manage_public_vote(actor, public_vote):
        raise NotAllowed()
    if public_vote.published_at is not None:
        raise errors.VotePublished()
    if timezone.now() < public_vote.closes_at:
        raise errors.VoteNotClosed()
    vote_entries = list(VoteEntry.objects.select_for_update(no_key=True).filter(public_vote=public_vote).order_by("pk"))
    by_category: dict[int, list[VoteEntry]] = {}
    for vote_entry in vote_entries:
        by_category.setdefault(vote_entry.category_id, []).append(vote_entry)
    for ranked in by_category.values():
        ranked.sort(key=lambda each: (-each.votes, each.pk))
        for vote_entry, rank in zip(ranked, _competition_ranks([each.votes for each in ranked]), strict=True):
            vote_entry.rank = rank
            vote_entry.prize = rank <= public_vote.prize_quota and vote_entry.votes > 0
    VoteEntry.objects.bulk_update(vote_entries, ["rank", "prize"])
    public_vote.counted = sum(each.votes for each in vote_entries)
    public_vote.voided = Ballot.objects.filter(public_vote=public_vote, voided_at__isnull=False).count()
    public_vote.published_at = timezone.now()
    public_vote.save(update_fields=["counted", "voided", "published_at"])
    audit_record(
        actor=actor,
        action="public_vote.published",
        target=public_vote,
        after={"counted": public_vote.counted, "voided": public_vote.voided},
    )
    return public_vote
