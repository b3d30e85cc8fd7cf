from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import EntryFactory, StudentFactory
from tests.matrix import ROLES, MatrixWorld, matrix_check, rows
from tests.voting.conftest import seen, verified
from voting import services
from voting.models import Ballot, PublicVote, VoteEntry

EVERYONE = dict.fromkeys(ROLES, 200)
ORGANIZERS = {
    "anonymous": 401,
    "student": 403,
    "judge": 403,
    "library_staff": 403,
    "network_organizer": 200,
    "platform_organizer": 200,
}
CREATED = ORGANIZERS | {"network_organizer": 201, "platform_organizer": 201}

MATRIX = [
    *rows("contest-public-votes", "GET", **EVERYONE),
    *rows("contest-public-votes", "POST", **CREATED),
    *rows("public-vote-detail", "GET", **EVERYONE),
    *rows("public-vote-detail", "PATCH", **ORGANIZERS),
    *rows("public-vote-entries", "GET", **EVERYONE),
    *rows("public-vote-entries", "POST", **CREATED),
    *rows("public-vote-entry", "GET", **EVERYONE),
    # Voting has opened: nobody takes an entry out any more.
    *rows("public-vote-entry", "DELETE", **ORGANIZERS | {"network_organizer": 409, "platform_organizer": 409}),
    # Not open yet: only its organizers see the vote at all.
    *rows(
        "public-vote-entry:upcoming",
        "DELETE",
        **ORGANIZERS
        | {"student": 404, "judge": 404, "library_staff": 404}
        | {"network_organizer": 204, "platform_organizer": 204},
    ),
    *rows("public-vote-ballot", "PUT", **dict.fromkeys(ROLES, 201) | {"anonymous": 401}),
    *rows("public-vote-fraud", "GET", **ORGANIZERS),
    *rows("public-vote-ballots", "GET", **ORGANIZERS),
    *rows("public-vote-void", "POST", **ORGANIZERS),
    *rows("public-vote-publish", "POST", **ORGANIZERS | {"network_organizer": 409, "platform_organizer": 409}),
    *rows("public-vote-publish:closed", "POST", **ORGANIZERS),
    *rows("public-vote-results", "GET", **dict.fromkeys(ROLES, 409)),
    *rows("public-vote-results:published", "GET", **EVERYONE),
]


@pytest.fixture
def world(role_users, places, contest, category) -> MatrixWorld:
    now = timezone.now()
    organizer = role_users["network_organizer"]

    def vote(opens_at, closes_at, voted=False) -> PublicVote:
        public_vote = PublicVote.objects.create(
            contest=contest, title="Bình chọn", opens_at=opens_at, closes_at=closes_at
        )
        entry = EntryFactory(category=category, entrant=StudentFactory(library=places.north_library))
        vote_entry = VoteEntry.objects.create(public_vote=public_vote, entry=entry, category=category)
        if voted:
            voter = verified(StudentFactory(library=places.north_library))
            seen(voter, vote_entry)
            services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=entry.pk)
        return public_vote

    open_vote = vote(now - timedelta(hours=1), now + timedelta(days=1), voted=True)
    vote_entry = open_vote.vote_entries.get()
    for user in role_users.values():
        if user is not None:
            verified(user)
            seen(user, vote_entry)

    def upcoming_entry():
        upcoming = vote(now + timedelta(days=1), now + timedelta(days=2))
        return ("public-vote-entry", {"pk": upcoming.pk, "entry_id": upcoming.vote_entries.get().entry_id})

    def closed_vote():
        closed = vote(now - timedelta(days=2), now + timedelta(days=1), voted=True)
        PublicVote.objects.filter(pk=closed.pk).update(closes_at=now - timedelta(days=1))  # voted, then closed
        closed.refresh_from_db()
        return closed

    def published_vote():
        closed = closed_vote()
        services.public_vote_publish(actor=organizer, public_vote=closed)
        return closed

    at = lambda name, public_vote: (name, {"pk": public_vote.pk})
    return MatrixWorld(
        users=role_users,
        urls={
            "contest-public-votes": lambda: ("contest-public-votes", {"contest_id": contest.pk}),
            "public-vote-detail": lambda: at("public-vote-detail", open_vote),
            "public-vote-entries": lambda: at("public-vote-entries", open_vote),
            "public-vote-entry": lambda: (
                "public-vote-entry",
                {"pk": open_vote.pk, "entry_id": vote_entry.entry_id},
            ),
            "public-vote-entry:upcoming": upcoming_entry,
            "public-vote-ballot": lambda: at("public-vote-ballot", open_vote),
            "public-vote-fraud": lambda: at("public-vote-fraud", open_vote),
            "public-vote-ballots": lambda: at("public-vote-ballots", open_vote),
            "public-vote-void": lambda: at("public-vote-void", open_vote),
            "public-vote-publish": lambda: at("public-vote-publish", open_vote),
            "public-vote-publish:closed": lambda: at("public-vote-publish", closed_vote()),
            "public-vote-results": lambda: at("public-vote-results", open_vote),
            "public-vote-results:published": lambda: at("public-vote-results", published_vote()),
        },
        payloads={
            ("contest-public-votes", "POST"): lambda: {
                "title": "Clip được yêu thích nhất",
                "opens_at": (now + timedelta(days=1)).isoformat(),
                "closes_at": (now + timedelta(days=8)).isoformat(),
            },
            ("public-vote-detail", "PATCH"): lambda: {"counts_while_open": True},
            ("public-vote-entries", "POST"): lambda: {"category": category.pk},
            ("public-vote-ballot", "PUT"): lambda: {"entry": vote_entry.entry_id},
            ("public-vote-void", "POST"): lambda: {
                "ballots": list(Ballot.objects.filter(public_vote=open_vote).values_list("pk", flat=True)),
                "reason": "Nhiều phiếu từ tài khoản mới tạo",
            },
        },
    )


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_voting_permission_matrix(world, row):
    matrix_check(world, row)
