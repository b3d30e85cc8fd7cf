"""Who may do what with contests: whoever manages the organizing network (or a network
above it) manages the contest; everybody sees a contest once it is no longer a draft."""

from django.db.models import Q, QuerySet
from rest_framework.permissions import SAFE_METHODS, BasePermission

from contests.enums import RESULTS_OUT, ContestStatus
from contests.models import Contest
from people.permissions import can_manage_network, is_organizer, is_platform_organizer, managed_network_ids


def can_manage_contest(user, contest: Contest) -> bool:
    return is_platform_organizer(user) or contest.network_id in managed_network_ids(user)


def results_frozen(contest: Contest) -> bool:
    """The one freeze question: once a contest's results are out (published, then archived),
    nothing it is made of changes, except through an audited unpublish."""
    return contest.status in RESULTS_OUT


def can_add_contest(user, network) -> bool:
    return can_manage_network(user, network)


def can_view_contest(user, contest: Contest) -> bool:
    return contest.status != ContestStatus.DRAFT or can_manage_contest(user, contest)


def contests_visible_to(user, contests: QuerySet[Contest]) -> QuerySet[Contest]:
    if is_platform_organizer(user):
        return contests
    return contests.filter(~Q(status=ContestStatus.DRAFT) | Q(network_id__in=managed_network_ids(user)))


def contests_managed_by(user, contests: QuerySet[Contest]) -> QuerySet[Contest]:
    if is_platform_organizer(user):
        return contests
    return contests.filter(network_id__in=managed_network_ids(user))


class ContestPermission(BasePermission):
    """Reads: anyone, filtered by contests_visible_to. Writes: organizers, per contest."""

    anonymous_reads = True

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or is_organizer(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return can_view_contest(request.user, obj)
        return can_manage_contest(request.user, obj)
