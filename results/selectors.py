from django.db.models import F, Max, Prefetch, Q, QuerySet

from contests.enums import RoundStatus
from contests.models import Contest, Round
from judging.models import RoundResult
from results.enums import AwardKind, LeaderboardOrder, Unit
from results.models import Award, CollectiveAward, LeaderboardRow

# A prize override that withholds the prize leaves a row with no tier: not a prize to show.
SHOWN = ~Q(kind=AwardKind.PRIZE, tier__isnull=True)


def round_results_with_prizes(judging_round: Round) -> QuerySet[RoundResult]:
    """A round's ranking, each entry with the prizes it won (tier first, then special ones)."""
    prizes = Award.objects.filter(SHOWN).select_related("tier").order_by("kind", "name")
    return (
        RoundResult.objects.filter(round=judging_round)
        .select_related("entry__entrant", "entry__library", "category")
        .prefetch_related(Prefetch("entry__awards", queryset=prizes, to_attr="prizes_won"))
        .order_by("category_id", "rank", "entry_id")
    )


def final_ranking(contest: Contest) -> QuerySet[RoundResult]:
    """The final round's ranking once it is closed; nothing before."""
    last = contest.rounds.order_by("-order").first()
    if last is None or last.status != RoundStatus.CLOSED:
        return RoundResult.objects.none()
    return round_results_with_prizes(last)


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
    awards = Award.objects.filter(contest=contest)
    if not with_withheld:
        awards = awards.filter(SHOWN)
    return awards.select_related("tier", "category", "entry__entrant", "entry__library").order_by(
        "category_id", "kind", F("tier__rank").asc(nulls_last=True), "rank", "name", "entry_id"
    )


def collective_awards_of(contest: Contest) -> QuerySet[CollectiveAward]:
    return CollectiveAward.objects.filter(contest=contest).select_related("library", "network").order_by("name", "id")
