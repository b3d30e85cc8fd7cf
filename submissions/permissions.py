"""Who may see and change entries. The entrant edits until the deadline; their library's staff
see them; the contest's organizers see and manage all of them."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from contests.enums import ContestStatus
from contests.models import Contest
from contests.permissions import can_manage_contest, results_frozen
from people.models import Library
from people.permissions import is_library_staff, is_platform_organizer, managed_network_ids, staffed_library_ids
from submissions.enums import EntryStatus
from submissions.models import Entry


def contest_accepts_entries(contest: Contest, *, now=None) -> bool:
    """The server clock decides: open status, and now inside the submission window."""
    now = now or timezone.now()
    return contest.status == ContestStatus.OPEN and contest.submission_opens_at <= now < contest.submission_closes_at


def library_takes_part(contest: Contest, library: Library) -> bool:
    """A contest draws on the libraries of its organizing network and the networks below it."""
    return library.network.path.startswith(contest.network.path)


def is_entry_keeper(user, entry: Entry) -> bool:
    """Who answers for an entry's content: the entrant, or for a paper entry the library staff
    who registered it on the student's behalf."""
    return entry.entrant_id == user.pk or (entry.is_paper and is_library_staff(user, entry.library))


def can_edit_entry(user, entry: Entry) -> bool:
    """Organizers of the contest until its results are out; its keepers until the deadline."""
    open_entry = entry.status == EntryStatus.SUBMITTED and contest_accepts_entries(entry.contest)
    if open_entry and entry.entrant_id == user.pk:
        # The entrant's own open entry, asked without a query (the answer to a submission): a
        # contest taking entries has no result out, so an organizer entrant gets True either way.
        return True
    if can_manage_contest(user, entry.contest):
        return not results_frozen(entry.contest)
    return open_entry and is_entry_keeper(user, entry)


def can_register_paper_entry(user, *, contest: Contest, library: Library) -> bool:
    return is_library_staff(user, library) or can_manage_contest(user, contest)


def can_see_library(user, *, contest: Contest, library: Library) -> bool:
    return (
        is_library_staff(user, library)
        or library.network_id in managed_network_ids(user)
        or (can_manage_contest(user, contest) and library_takes_part(contest, library))
    )


def entries_visible_to(user, entries: QuerySet[Entry]) -> QuerySet[Entry]:
    if not user.is_authenticated:
        return entries.none()
    if is_platform_organizer(user):
        return entries
    managed = managed_network_ids(user)
    return entries.filter(
        Q(entrant=user)
        | Q(library_id__in=staffed_library_ids(user))
        | Q(library__network_id__in=managed)
        | Q(contest__network_id__in=managed)
    )
