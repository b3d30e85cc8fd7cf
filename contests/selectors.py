from django.db.models import Prefetch, QuerySet

from contests.models import Contest, Round
from contests.permissions import contests_visible_to


def contests_list(*, user) -> QuerySet[Contest]:
    contests = Contest.objects.select_related("network").prefetch_related(
        "categories", "prize_tiers", Prefetch("rounds", queryset=Round.objects.prefetch_related("criteria"))
    )
    return contests_visible_to(user, contests)
