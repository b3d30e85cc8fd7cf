from django.db.models import F, Max, Prefetch, Q, QuerySet, Window
from django.db.models.functions import Rank

from contests.enums import RoundStatus
from contests.models import Contest, Round
from judging.models import RoundResult
from results.enums import AwardKind, LeaderboardOrder, Unit
from results.models import Award, CollectiveAward, LeaderboardRow
from submissions.enums import EntryStatus

# A prize override that withholds the prize leaves a row with no tier: not a prize to show.
SHOWN = ~Q(kind=AwardKind.PRIZE, tier__isnull=True)
STANDING = Q(entry__status=EntryStatus.SUBMITTED)  # neither withdrawn nor disqualified


def standing(judging_round: Round) -> QuerySet[RoundResult]:
    """A closed round's ranking over the entries still in the contest, each with its `place`:
    its rank recounted among them, with the round's own tie rule (entries the round ranked
    equal share the place of the first of them), so that one withdrawn or disqualified since
    the close leaves no hole. The public ranking shows these places and the tier prizes are
    given by them: an awarded entry's place is always its prize's."""
    return RoundResult.objects.filter(STANDING, round=judging_round).annotate(
        place=Window(Rank(), partition_by=[F("category_id")], order_by=F("rank").asc())
    )


def places_of(judging_round: Round, entry_ids) -> dict[int, int]:
    """entry id -> its place in the round's standing, for those of these entries still in it.
    (A filter on the entries would run before the places are counted: the categories are
    read whole instead.)"""
    categories = RoundResult.objects.filter(round=judging_round, entry_id__in=entry_ids).values("category_id")
    places = standing(judging_round).filter(category_id__in=categories).values_list("entry_id", "place")
    wanted = set(entry_ids)
    return {entry_id: place for entry_id, place in places if entry_id in wanted}


def _with_prizes(results: QuerySet[RoundResult]) -> QuerySet[RoundResult]:
    """Each entry with the prizes it won (tier first, then special ones)."""
    prizes = Award.objects.filter(SHOWN).select_related("tier").order_by("kind", "name")
    return results.select_related("entry__entrant", "entry__library", "category").prefetch_related(
        Prefetch("entry__awards", queryset=prizes, to_attr="prizes_won")
    )


def round_results_with_prizes(judging_round: Round, *, with_left: bool = True) -> QuerySet[RoundResult]:
    """A round's ranking as the close wrote it (its ranks decided who advanced), with prizes.
    `with_left` False: without the entries withdrawn or disqualified since, which only the
    contest's organizers still see."""
    results = RoundResult.objects.filter(round=judging_round)
    if not with_left:
        results = results.filter(STANDING)
    return _with_prizes(results).order_by("category_id", "rank", "entry_id")


def final_ranking(contest: Contest) -> QuerySet[RoundResult]:
    """The published ranking: the final round's standing (see `standing`), once it is closed;
    nothing before."""
    last = contest.rounds.order_by("-order").first()
    if last is None or last.status != RoundStatus.CLOSED:
        return RoundResult.objects.none()
    return _with_prizes(standing(last)).order_by("category_id", "place", "entry_id")


_ORDERING = {
    LeaderboardOrder.RANK: ["position"],
    LeaderboardOrder.ENTRANTS: ["-entrants"],
    LeaderboardOrder.WINNERS: ["-winners"],
    LeaderboardOrder.PARTICIPATION: ["-participation"],
    LeaderboardOrder.AVERAGE_SCORE: ["-average_score"],
}


def leaderboard(
    contest: Contest, *, unit: str, category_id: int | None = None, order: str = LeaderboardOrder.RANK
) -> QuerySet:
    """The board's rows as plain values (read often: no model instances to build)."""
    rows = LeaderboardRow.objects.filter(contest=contest, unit=unit)
    rows = rows.filter(category_id=category_id) if category_id else rows.filter(category__isnull=True)
    related = "library" if unit == Unit.LIBRARY else "network"
    # NULLs (no student count, nothing scored) last, whatever the database's default.
    expressions = [
        F(field[1:]).desc(nulls_last=True) if field.startswith("-") else F(field).asc() for field in _ORDERING[order]
    ]
    return rows.order_by(*expressions, "position").values(
        *LEADERBOARD_FIELDS,
        unit_id=F(f"{related}_id"),
        unit_name=F(f"{related}__name"),
        unit_short_name=F(f"{related}__short_name"),
    )


def leaderboard_size(contest: Contest, *, unit: str, category_id: int | None = None) -> int:
    """How many rows the board has: its last position, one index lookup rather than a count."""
    rows = LeaderboardRow.objects.filter(contest=contest, unit=unit)
    rows = rows.filter(category_id=category_id) if category_id else rows.filter(category__isnull=True)
    return rows.aggregate(size=Max("position"))["size"] or 0


LEADERBOARD_FIELDS = (
    "rank",
    "entries",
    "entrants",
    "student_count",
    "participation",
    "average_score",
    "prizes",
    "winners",
    "points",
)


def awards_of(contest: Contest, *, with_withheld: bool) -> QuerySet[Award]:
    """with_withheld (the organizers' view): also the prizes withheld by an override and those
    of entries withdrawn or disqualified since, which the public never sees."""
    awards = Award.objects.filter(contest=contest)
    if not with_withheld:
        awards = awards.filter(SHOWN, STANDING)
    return awards.select_related("tier", "category", "entry__entrant", "entry__library").order_by(
        "category_id", "kind", F("tier__rank").asc(nulls_last=True), "rank", "name", "entry_id"
    )


def collective_awards_of(contest: Contest) -> QuerySet[CollectiveAward]:
    return CollectiveAward.objects.filter(contest=contest).select_related("library", "network").order_by("name", "id")
