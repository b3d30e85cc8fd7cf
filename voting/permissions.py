"""Who may do what with a public vote. One predicate per question."""

from django.db.models import QuerySet
from django.utils import timezone

from contests.permissions import can_manage_contest, can_view_contest
from submissions.enums import EntryStatus
from submissions.models import Entry
from voting import errors
from voting.models import PublicVote


def can_manage_public_vote(user, public_vote: PublicVote) -> bool:
    return can_manage_contest(user, public_vote.contest)


def can_view_public_vote(user, public_vote: PublicVote) -> bool:
    """Anyone, from the moment voting opens (the organizers before)."""
    # The public question first: a voter's request asks nothing about roles.
    if public_vote.opens_at <= timezone.now() and can_view_contest(user, public_vote.contest):
        return True
    return can_manage_public_vote(user, public_vote)


def public_votes_visible_to(user, public_votes: QuerySet[PublicVote]) -> list[PublicVote]:
    return [each for each in public_votes.select_related("contest") if can_view_public_vote(user, each)]


def can_see_counts(user, public_vote: PublicVote) -> bool:
    """No count leaks while voting is on, unless the organizers chose to show them."""
    return (
        public_vote.published_at is not None
        or public_vote.counts_while_open
        or can_manage_public_vote(user, public_vote)
    )


def library_takes_part(library_id: int | None, public_vote: PublicVote) -> bool:
    return (
        library_id is not None
        and Entry.objects.filter(
            contest_id=public_vote.contest_id, library_id=library_id, status=EntryStatus.SUBMITTED
        ).exists()
    )


def voter_refusal(user, public_vote: PublicVote, *, now=None) -> errors.DomainError | None:
    """Why this person may not vote now (the error the service raises), or None. The page shows
    the same answer as the button's state."""
    now = now or timezone.now()
    if public_vote.published_at is not None or now >= public_vote.closes_at:
        return errors.VoteClosed()
    if now < public_vote.opens_at:
        return errors.VoteNotOpenYet()
    if not (user and user.is_authenticated and user.is_active):
        return None  # the view answers 401 first
    if user.email_verified_at is None:
        return errors.EmailUnverified()
    if public_vote.libraries_only and not library_takes_part(user.library_id, public_vote):
        return errors.NotTakingPart()
    return None
