"""The leaderboards: every library's and network's standing in a contest, precomputed.

Libraries check them often, so reads never aggregate scores: they page through LeaderboardRow,
which `leaderboard_refresh` rewrites for a whole contest (after a round closes, after prizes
change, on publication). A refresh is a handful of GROUP BYs over the contest's entries, its
first round's results and its prizes, then a roll-up in Python over the few thousand units.

What a row says, for a unit (a library, or a network with every library below it) and a
category (or all of them):
- entries: valid entries (submitted, not withdrawn or disqualified), credited to the library
  recorded at submission; entrants: distinct students among them;
- participation: entrants / student_count, where the library gives its student count (a
  network's is the sum of its libraries' that give one);
- average_score: the mean of the entries' scores in the contest's first round, the one round
  every entry goes through, so that all units compare on one scale; both rounded once, half up,
  to 4 decimals (core.figures, as the round scores are);
- prizes: tier prizes won, per tier; winners: entries with a tier prize; points: the sum of the
  tiers' points (set per tier by the organizer);
- rank, among the units of the same kind and category: more points first, then more winners,
  then the higher average score, then more entrants; units equal on all four share the rank.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum

from contests.models import Contest, PrizeTier
from contests.permissions import results_frozen
from core.figures import figure
from judging.models import RoundResult
from people.models import Library, Network
from results.caching import results_version_bump
from results.enums import AwardKind, Unit
from results.models import Award, LeaderboardRow
from submissions.enums import EntryStatus
from submissions.models import Entry

ALL = None  # the category key of a unit's row over all categories

# The figures a roll-up adds up (entrants never: a student counts once however many entries).
_ADDITIVE = ("entries", "scored", "score_sum", "winners", "points")


@dataclass
class Tally:
    entries: int = 0
    entrants: int = 0
    scored: int = 0
    score_sum: Decimal = Decimal(0)
    winners: int = 0
    points: int = 0
    prizes: dict[str, int] = field(default_factory=dict)

    def add(self, other: "Tally") -> None:
        for name in _ADDITIVE:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for tier, count in other.prizes.items():
            self.prizes[tier] = self.prizes.get(tier, 0) + count


def _entrants_per_network(contest: Contest) -> dict[tuple[int, int | None], int]:
    """Distinct entrants per (network, category) and per (network, ALL), over every library
    below each network. A student can have entries from two libraries (they moved between
    entries), so these are counted from the entries, not summed from the libraries."""
    entry, library, network = Entry._meta.db_table, Library._meta.db_table, Network._meta.db_table
    ancestry = f"""
        FROM {entry} e
        JOIN {library} l ON l.id = e.library_id
        JOIN {network} own ON own.id = l.network_id
        JOIN {network} n ON own.path LIKE n.path || '%%'
        WHERE e.contest_id = %s AND e.status = %s
    """
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT n.id, e.category_id, COUNT(DISTINCT e.entrant_id) {ancestry} GROUP BY n.id, e.category_id",
            [contest.pk, EntryStatus.SUBMITTED],
        )
        counts.update({(unit, category): n for unit, category, n in cursor.fetchall()})
        cursor.execute(
            f"SELECT n.id, COUNT(DISTINCT e.entrant_id) {ancestry} GROUP BY n.id", [contest.pk, EntryStatus.SUBMITTED]
        )
        counts.update({(unit, ALL): n for unit, n in cursor.fetchall()})
    return counts


def _library_tallies(contest: Contest) -> dict[tuple[int, int | None], Tally]:
    """Per (library, category) and (library, ALL)."""
    tallies: dict[tuple[int, int | None], Tally] = defaultdict(Tally)
    valid = Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED)
    for row in valid.values("library_id", "category_id").annotate(
        n=Count("pk"), people=Count("entrant", distinct=True)
    ):
        tally = tallies[row["library_id"], row["category_id"]]
        tally.entries, tally.entrants = row["n"], row["people"]
    for row in valid.values("library_id").annotate(people=Count("entrant", distinct=True)):
        tallies[row["library_id"], ALL].entrants = row["people"]

    first_round = contest.rounds.order_by("order").first()
    if first_round is not None:
        scores = (
            RoundResult.objects.filter(round=first_round, entry__status=EntryStatus.SUBMITTED)
            .values("entry__library_id", "category_id")
            .annotate(n=Count("pk"), total=Sum("score"))
        )
        for row in scores:
            tally = tallies[row["entry__library_id"], row["category_id"]]
            tally.scored, tally.score_sum = row["n"], row["total"]

    points = dict(PrizeTier.objects.filter(contest=contest).values_list("pk", "points"))
    prizes = (
        Award.objects.filter(
            contest=contest, kind=AwardKind.PRIZE, tier__isnull=False, entry__status=EntryStatus.SUBMITTED
        )
        .values("entry__library_id", "category_id", "tier_id")
        .annotate(n=Count("pk"))
    )
    for row in prizes:
        tally = tallies[row["entry__library_id"], row["category_id"]]
        tally.prizes[str(row["tier_id"])] = row["n"]
        tally.winners += row["n"]
        tally.points += row["n"] * points[row["tier_id"]]

    for (library_id, category_id), tally in list(tallies.items()):
        if category_id is not ALL:
            tallies[library_id, ALL].add(tally)
    return tallies


def _ranked(rows: list[LeaderboardRow], names: dict[tuple[str, int], str]) -> None:
    """Competition ranks (1, 2, 2, 4) within each (unit kind, category); positions follow the
    ranks, and the units' names within a rank."""
    groups = defaultdict(list)
    for row in rows:
        groups[row.unit, row.category_id].append(row)

    def key(row: LeaderboardRow):
        average = row.average_score if row.average_score is not None else Decimal(-1)
        return (-row.points, -row.winners, -average, -row.entrants)

    for group in groups.values():
        group.sort(key=lambda row: (key(row), names[row.unit, row.library_id or row.network_id]))
        for index, row in enumerate(group):
            previous = group[index - 1] if index else None
            row.rank = previous.rank if previous is not None and key(previous) == key(row) else index + 1
            row.position = index + 1


def _row(contest: Contest, unit: str, unit_id: int, category_id: int | None, tally: Tally, students) -> LeaderboardRow:
    participation = None
    if students:
        participation = figure(Decimal(tally.entrants) / Decimal(students))
    average = None
    if tally.scored:
        average = figure(tally.score_sum / tally.scored)  # from the exact sum, rounded once
    return LeaderboardRow(
        contest=contest,
        unit=unit,
        library_id=unit_id if unit == Unit.LIBRARY else None,
        network_id=unit_id if unit == Unit.NETWORK else None,
        category_id=category_id,
        entries=tally.entries,
        entrants=tally.entrants,
        student_count=students,
        participation=participation,
        scored=tally.scored,
        score_sum=tally.score_sum,
        average_score=average,
        prizes=tally.prizes,
        winners=tally.winners,
        points=tally.points,
        rank=0,
        position=0,
    )


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/")]


def leaderboard_compute(contest: Contest) -> list[LeaderboardRow]:
    """The contest's leaderboard rows as they should be now (unsaved)."""
    libraries = _library_tallies(contest)
    names, students, paths = {}, {}, {}
    network_students: dict[int, int] = defaultdict(int)
    # Every library, taking part or not: a network's students are those of all its libraries
    # that give a count.
    for pk, name, count, path in Library.objects.values_list("pk", "name", "student_count", "network__path"):
        names[Unit.LIBRARY, pk], students[pk], paths[pk] = name, count, path
        for network_id in _path_ids(path):
            network_students[network_id] += count or 0
    names |= {(Unit.NETWORK, pk): name for pk, name in Network.objects.values_list("pk", "name")}

    # Every network above a library, its own included: its path "/1/4/9/" names them all.
    networks: dict[tuple[int, int | None], Tally] = defaultdict(Tally)
    for (library_id, category_id), tally in libraries.items():
        for network_id in _path_ids(paths[library_id]):
            networks[network_id, category_id].add(tally)
    for key, entrants in _entrants_per_network(contest).items():
        networks[key].entrants = entrants

    rows = [
        _row(contest, Unit.LIBRARY, library_id, category_id, tally, students[library_id])
        for (library_id, category_id), tally in libraries.items()
    ] + [
        _row(contest, Unit.NETWORK, network_id, category_id, tally, network_students[network_id] or None)
        for (network_id, category_id), tally in networks.items()
    ]
    _ranked(rows, names)
    return rows


@transaction.atomic
def leaderboard_refresh(*, contest: Contest) -> int:
    """Rewrites the contest's leaderboard; safe to run any number of times. Returns its rows."""
    # One refresh of a contest at a time: two interleaved would clash on the unique rows.
    Contest.objects.select_for_update(no_key=True).filter(pk=contest.pk).first()
    rows = leaderboard_compute(contest)
    LeaderboardRow.objects.filter(contest=contest).delete()
    LeaderboardRow.objects.bulk_create(rows, batch_size=2000)
    results_version_bump(contest=contest)
    return len(rows)


_COMPARED = (
    "entries",
    "entrants",
    "student_count",
    "participation",
    "scored",
    "score_sum",
    "average_score",
    "prizes",
    "winners",
    "points",
    "rank",
    "position",
)


# What a leaderboard takes from the libraries' own records, which are the platform's and change
# over the years (a new student count, a new name): a published board keeps them as they were.
_FROM_LIBRARY_RECORDS = ("student_count", "participation", "position")


def leaderboard_drift(contest: Contest) -> list[str]:
    """What the stored leaderboard says differently from a fresh computation, one line each.
    Once the results are out, the figures drawn from the libraries' records are not compared:
    the board keeps them as they were published."""
    compared = _COMPARED
    if results_frozen(contest):
        compared = tuple(name for name in _COMPARED if name not in _FROM_LIBRARY_RECORDS)

    def keyed(rows):
        return {
            f"{row.unit} {row.library_id or row.network_id}, category {row.category_id or 'all'}": row for row in rows
        }

    stored = keyed(LeaderboardRow.objects.filter(contest=contest))
    fresh = keyed(leaderboard_compute(contest))
    drift = []
    for key in sorted(stored.keys() | fresh.keys()):
        old, new = stored.get(key), fresh.get(key)
        if old is None or new is None:
            drift.append(f"{key}: {'missing' if old is None else 'should not exist'}")
            continue
        for name in compared:
            before, after = getattr(old, name), getattr(new, name)
            if isinstance(after, Decimal) and before is not None:
                before = Decimal(before)
            if before != after:
                drift.append(f"{key} {name}: stored {before}, should be {after}")
    return drift
