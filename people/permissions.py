"""Who may do what with people, networks and libraries.

One predicate per question; views, services, selectors and the admin all ask these, never
`user.is_staff` and friends directly. Later apps build their own predicates on top of these
(a contest is managed by whoever manages its organizing network).
"""

from django.db.models import Q
from rest_framework.permissions import SAFE_METHODS, BasePermission

from people.enums import Role
from people.models import Library, Network


def is_platform_organizer(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.is_staff))


def managed_network_ids(user) -> frozenset[int]:
    """The networks this user organizes, and every network below them. Cached on the user
    object, so one request asks the database once."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, "_managed_network_ids", None)
    if cached is None:
        paths = list(Network.objects.filter(organizers__user=user).values_list("path", flat=True))
        if paths:
            below = Q()
            for path in paths:
                below |= Q(path__startswith=path)
            cached = frozenset(Network.objects.filter(below).values_list("id", flat=True))
        else:
            cached = frozenset()
        user._managed_network_ids = cached
    return cached


def staffed_library_ids(user) -> frozenset[int]:
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, "_staffed_library_ids", None)
    if cached is None:
        cached = frozenset(user.staff_roles.values_list("library_id", flat=True))
        user._staffed_library_ids = cached
    return cached


def is_organizer(user) -> bool:
    """May use the organizers' tools at all (for some networks at least)."""
    return is_platform_organizer(user) or bool(managed_network_ids(user))


def can_manage_network(user, network: Network) -> bool:
    return is_platform_organizer(user) or network.pk in managed_network_ids(user)


def can_add_network(user, parent: Network | None) -> bool:
    # Top-level networks are the platform's to create; below, whoever runs the parent.
    if parent is None:
        return is_platform_organizer(user)
    return can_manage_network(user, parent)


def can_manage_library(user, library: Library) -> bool:
    return is_platform_organizer(user) or library.network_id in managed_network_ids(user)


def can_add_library(user, network: Network) -> bool:
    return can_manage_network(user, network)


def is_library_staff(user, library: Library) -> bool:
    return library.pk in staffed_library_ids(user)


def user_roles(user) -> list[str]:
    roles = []
    if is_platform_organizer(user):
        roles.append(Role.PLATFORM_ORGANIZER)
    if managed_network_ids(user):
        roles.append(Role.NETWORK_ORGANIZER)
    if staffed_library_ids(user):
        roles.append(Role.LIBRARY_STAFF)
    if user.judgeships.exists():  # judging's panels, asked by their reverse name: people stays below judging
        roles.append(Role.JUDGE)
    if not roles and user.library_id:
        roles.append(Role.STUDENT)  # an entrant: registered through their library
    return [str(role) for role in roles]


class OrganizerWritesOthersRead(BasePermission):
    """Reads are public; writes need an organizer. Which network an organizer may touch is
    asked again, per object, by the service (can_add_network, can_manage_library ...)."""

    anonymous_reads = True

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or is_organizer(request.user)


class ManagesObject(BasePermission):
    """Object-level check for PATCH on networks and libraries."""

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        if isinstance(obj, Network):
            return can_manage_network(request.user, obj)
        if isinstance(obj, Library):
            return can_manage_library(request.user, obj)
        return False
