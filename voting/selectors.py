"""Reads of the public vote: the gallery, a voter's ballots, the fraud view, the list."""

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.db.models.functions import TruncMinute
from django.utils import timezone

from voting.models import Ballot, EntryView, PublicVote, VoteEntry


def public_vote_state(public_vote: PublicVote, *, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if public_vote.published_at is not None:
        return "published"
    if now < public_vote.opens_at:
        return "upcoming"
    if now < public_vote.closes_at:
        return "open"
    return "closed"


def gallery(public_vote: PublicVote, user, *, category_id: int | None = None) -> QuerySet[VoteEntry]:
    """The entries in the vote; for a signed-in person, whether they opened each and voted for it."""
    found = (
        VoteEntry.objects.filter(public_vote=public_vote)
        .select_related("entry__entrant", "entry__library", "category")
        .order_by("category_id", "entry__title", "pk")
    )
    if category_id is not None:
        found = found.filter(category_id=category_id)
    if user and user.is_authenticated:
        found = found.annotate(
            viewed=Exists(EntryView.objects.filter(vote_entry=OuterRef("pk"), viewer=user)),
            my_vote=Exists(Ballot.objects.filter(vote_entry=OuterRef("pk"), voter=user, voided_at__isnull=True)),
        )
    return found


def ballots_of(user, public_vote: PublicVote) -> list[Ballot]:
    if not (user and user.is_authenticated):
        return []
    return list(
        Ballot.objects.filter(public_vote=public_vote, voter=user).select_related("vote_entry").order_by("category_id")
    )


def ballots_for_organizers(
    public_vote: PublicVote, *, vote_entry_id=None, address=None, library_id=None, voided=None
) -> QuerySet[Ballot]:
    found = Ballot.objects.filter(public_vote=public_vote).select_related("voter", "library", "vote_entry__entry")
    if vote_entry_id is not None:
        found = found.filter(vote_entry_id=vote_entry_id)
    if address:
        found = found.filter(address=address)
    if library_id is not None:
        found = found.filter(library_id=library_id)
    if voided is not None:
        found = found.filter(voided_at__isnull=not voided)
    return found.order_by("-cast_at", "-pk")


def _peak(minutes: list[tuple[datetime, int]], width: timedelta) -> tuple[datetime | None, int]:
    """The most votes within any window of `width` (two pointers over per-minute counts)."""
    best_at, best, total, start = None, 0, 0, 0
    for at, count in minutes:
        total += count
        while minutes[start][0] <= at - width:
            total -= minutes[start][1]
            start += 1
        if total > best:
            best_at, best = minutes[start][0], total
    return best_at, best


def fraud_report(public_vote: PublicVote) -> dict:
    """Per entry: the hourly timeline, the busiest burst window, the share of new accounts and
    of the top library and address, with the flags the organizer's thresholds raise; and the
    vote's addresses and libraries with most votes. Counting ballots that count (not voided)."""
    counting = Ballot.objects.filter(public_vote=public_vote, voided_at__isnull=True)
    window = timedelta(minutes=public_vote.burst_minutes)

    minutes = defaultdict(list)
    for row in (
        counting.annotate(minute=TruncMinute("cast_at", tzinfo=UTC))
        .values("vote_entry_id", "minute")
        .annotate(n=Count("id"))
        .order_by("vote_entry_id", "minute")
    ):
        minutes[row["vote_entry_id"]].append((row["minute"], row["n"]))
    new_accounts = dict(
        counting.filter(account_created_at__gt=F("cast_at") - timedelta(days=public_vote.new_account_days))
        .values("vote_entry_id")
        .annotate(n=Count("id"))
        .values_list("vote_entry_id", "n")
    )
    voided = dict(
        Ballot.objects.filter(public_vote=public_vote, voided_at__isnull=False)
        .values("vote_entry_id")
        .annotate(n=Count("id"))
        .values_list("vote_entry_id", "n")
    )
    top_library, top_address = {}, {}
    for row in counting.values("vote_entry_id", "library_id", "library__name").annotate(n=Count("id")):
        if row["n"] > top_library.get(row["vote_entry_id"], {}).get("votes", 0):
            top_library[row["vote_entry_id"]] = {
                "id": row["library_id"],
                "name": row["library__name"] or "",
                "votes": row["n"],
            }
    for row in counting.exclude(address="").values("vote_entry_id", "address").annotate(n=Count("id")):
        if row["n"] > top_address.get(row["vote_entry_id"], {}).get("votes", 0):
            top_address[row["vote_entry_id"]] = {"address": row["address"], "votes": row["n"]}

    entries = []
    for vote_entry in (
        VoteEntry.objects.filter(public_vote=public_vote)
        .select_related("entry", "category")
        .order_by("category_id", "-votes", "pk")
    ):
        votes = vote_entry.votes
        peak_at, peak = _peak(minutes.get(vote_entry.pk, []), window)
        hourly = defaultdict(int)
        for at, count in minutes.get(vote_entry.pk, []):
            hourly[at.replace(minute=0)] += count
        new_ratio = round(new_accounts.get(vote_entry.pk, 0) / votes, 3) if votes else 0.0
        library = top_library.get(vote_entry.pk)
        library_share = round(library["votes"] / votes, 3) if library and votes else 0.0
        address = top_address.get(vote_entry.pk)
        enough = votes >= public_vote.flag_min_votes
        flags = []
        if peak > public_vote.burst_votes:
            flags.append("burst")
        if enough and new_ratio > public_vote.new_account_ratio:
            flags.append("new_accounts")
        if enough and library_share > public_vote.library_ratio:
            flags.append("one_library")
        if address and address["votes"] > public_vote.address_votes:
            flags.append("one_address")
        entries.append(
            {
                "id": vote_entry.pk,
                "entry": vote_entry.entry_id,
                "title": vote_entry.entry.title,
                "category": vote_entry.category.name,
                "votes": votes,
                "voided": voided.get(vote_entry.pk, 0),
                "timeline": [{"hour": hour, "votes": count} for hour, count in sorted(hourly.items())],
                "peak": {"at": peak_at, "votes": peak},
                "new_account_ratio": new_ratio,
                "top_library": library and {**library, "share": library_share},
                "top_address": address,
                "flags": flags,
            }
        )
    addresses = [
        {**row, "flagged": row["votes"] > public_vote.address_votes}
        for row in counting.exclude(address="")
        .values("address")
        .annotate(votes=Count("id"), entries=Count("vote_entry", distinct=True))
        .order_by("-votes", "address")[:50]
    ]
    libraries = list(
        counting.values("library_id", name=F("library__name")).annotate(votes=Count("id")).order_by("-votes")[:50]
    )
    return {
        "thresholds": {
            "burst_votes": public_vote.burst_votes,
            "burst_minutes": public_vote.burst_minutes,
            "new_account_days": public_vote.new_account_days,
            "new_account_ratio": float(public_vote.new_account_ratio),
            "library_ratio": float(public_vote.library_ratio),
            "address_votes": public_vote.address_votes,
            "flag_min_votes": public_vote.flag_min_votes,
        },
        "counted": sum(each["votes"] for each in entries),
        "voided": sum(voided.values()),
        "entries": entries,
        "addresses": addresses,
        "libraries": libraries,
    }


def results(public_vote: PublicVote) -> QuerySet[VoteEntry]:
    return (
        VoteEntry.objects.filter(public_vote=public_vote)
        .select_related("entry__entrant", "entry__library", "category")
        .order_by("category_id", "rank", "pk")
    )
