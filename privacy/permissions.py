"""Who may do what with a person's data. One predicate per question."""

from django.db.models import Q, QuerySet

from people.models import User
from people.permissions import is_library_staff, is_platform_organizer, managed_network_ids, staffed_library_ids


def can_look_after(user, person: User) -> bool:
    """Staff of the person's library and organizers of its network (or the platform): they
    record a paper consent, see consents, and carry out an erasure request."""
    if is_platform_organizer(user):
        return True
    library = person.library
    return library is not None and (is_library_staff(user, library) or library.network_id in managed_network_ids(user))


def can_ask_guardian(user, child: User) -> bool:
    """The child asks for their guardian's consent themselves, or their library does."""
    return user.pk == child.pk or can_look_after(user, child)


def can_handle_erasure(user, library_id: int | None) -> bool:
    """Organizers of the person's library's network (the platform's for a person with none)."""
    if is_platform_organizer(user):
        return True
    if library_id is None:
        return False
    from people.models import Library

    return Library.objects.filter(pk=library_id, network_id__in=managed_network_ids(user)).exists()


def people_looked_after_q(user, prefix: str = "") -> Q:
    """A filter on users (through `prefix`) for the people `user` looks after, themselves included."""
    if is_platform_organizer(user):
        return Q()
    return (
        Q(**{f"{prefix}pk": user.pk})
        | Q(**{f"{prefix}library_id__in": staffed_library_ids(user)})
        | Q(**{f"{prefix}library__network_id__in": managed_network_ids(user)})
    )


def erasure_requests_visible_to(user, requests: QuerySet) -> QuerySet:
    if is_platform_organizer(user):
        return requests
    return requests.filter(library__network_id__in=managed_network_ids(user))
