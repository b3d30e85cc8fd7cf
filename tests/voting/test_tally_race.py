"""The stored tallies stay exact under concurrent votes, changes and voids (PostgreSQL)."""

import random
import threading

import pytest
from django.db import connection
from django.db.models import Count, Q

from tests.voting.conftest import seen, voter_factory
from voting import errors, services
from voting.models import Ballot, VoteEntry


def recount(public_vote) -> dict[int, int]:
    return dict(
        VoteEntry.objects.filter(public_vote=public_vote)
        .annotate(n=Count("ballots", filter=Q(ballots__voided_at__isnull=True)))
        .values_list("pk", "n")
    )


def stored(public_vote) -> dict[int, int]:
    return dict(VoteEntry.objects.filter(public_vote=public_vote).values_list("pk", "votes"))


def run_together(jobs) -> list[BaseException]:
    barrier = threading.Barrier(len(jobs))
    failures = []

    def run(job):
        try:
            barrier.wait()
            job()
        except BaseException as failure:  # reported by the test, not lost in a thread
            failures.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_stored_tallies_equal_a_recount_after_concurrent_votes_changes_and_voids(
    public_vote, clips, places, role_users
):
    voters = [voter_factory(places.north_library) for _ in range(16)]
    for voter in voters:
        seen(voter, *clips)
    draw = random.Random(19)
    plans = {voter.pk: [draw.choice(clips).entry_id for _ in range(6)] for voter in voters}

    def votes_of(voter):
        def job():
            for entry_id in plans[voter.pk]:
                try:
                    services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=entry_id)
                except errors.BallotVoided:
                    return  # voided by the organizer meanwhile: the voter's later votes are refused

        return job

    # The same voter twice at once (two tabs): one ballot, never two.
    twice = voters[0]

    def same_voter_again():
        services.ballot_cast(voter=twice, public_vote=public_vote, entry_id=clips[1].entry_id)

    def organizer_voids():
        for _ in range(5):
            ids = list(Ballot.objects.filter(public_vote=public_vote).values_list("pk", flat=True)[:3])
            services.ballots_void(
                actor=role_users["network_organizer"], public_vote=public_vote, ballot_ids=ids, reason="Kiểm tra"
            )

    failures = run_together([votes_of(v) for v in voters] + [same_voter_again, organizer_voids])

    assert [str(f) for f in failures] == []
    assert stored(public_vote) == recount(public_vote)
    assert Ballot.objects.filter(voter=twice).count() == 1
    assert sum(stored(public_vote).values()) == Ballot.objects.filter(voided_at__isnull=True).count()
    # Each voter whose ballot still counts ends on the last entry they chose.
    counting = Ballot.objects.filter(voided_at__isnull=True).exclude(voter=twice).select_related("vote_entry")
    assert {b.voter_id: b.vote_entry.entry_id for b in counting} == {
        b.voter_id: plans[b.voter_id][-1] for b in counting
    }
