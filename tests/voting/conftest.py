from datetime import timedelta

import pytest
from django.utils import timezone

from people.models import User
from tests.factories import CategoryFactory, EntryFactory, StudentFactory
from voting.models import EntryView, PublicVote, VoteEntry


def verified(user: User) -> User:
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    return user


def voter_factory(library, **kwargs) -> User:
    return verified(StudentFactory(library=library, **kwargs))


def seen(voter: User, *vote_entries: VoteEntry) -> None:
    EntryView.objects.bulk_create([EntryView(vote_entry=each, viewer=voter) for each in vote_entries])


@pytest.fixture
def public_vote(contest) -> PublicVote:
    """Open now for a week, on the contest's entries (organizer: role_users' network_organizer)."""
    now = timezone.now()
    return PublicVote.objects.create(
        contest=contest,
        title="Bình chọn video yêu thích",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
    )


@pytest.fixture
def clips(public_vote, category, places) -> list[VoteEntry]:
    """Three video entries of the north library in the vote."""
    entries = [
        EntryFactory(
            category=category,
            entrant=StudentFactory(library=places.north_library),
            title=f"Clip {n}",
            body="",
            video_url=f"https://www.youtube.com/watch?v=clip{n}",
        )
        for n in range(3)
    ]
    return [VoteEntry.objects.create(public_vote=public_vote, entry=e, category=category) for e in entries]


@pytest.fixture
def voter(places) -> User:
    return voter_factory(places.north_library, username="bandoc")


@pytest.fixture
def other_category(contest):
    return CategoryFactory(contest=contest, name="THCS")
