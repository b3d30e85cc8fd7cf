"""A published result's public pages are cached by version (results.caching): whatever changes
what they show about a person (consent to publish given or withdrawn, data erased) gives the
contests concerned a new version, in the same transaction."""

from contests.enums import RESULTS_OUT
from contests.models import Contest
from results.caching import results_version_bump


def public_results_changed(*, entrant_ids: set[int] | None = None, contest: Contest | None = None) -> int:
    contests = Contest.objects.filter(status__in=RESULTS_OUT)
    if contest is not None:
        contests = contests.filter(pk=contest.pk)
    else:
        contests = contests.filter(entries__entrant_id__in=entrant_ids or set()).distinct()
    bumped = 0
    for each in contests.order_by("pk"):
        results_version_bump(contest=each)
        bumped += 1
    return bumped
