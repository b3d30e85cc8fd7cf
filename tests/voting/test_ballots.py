from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import AuditEntry
from judging.models import RoundResult, Score
from tests.factories import (
    AssignmentFactory,
    EntryFactory,
    RoundFactory,
    RoundResultFactory,
    ScoreFactory,
    StudentFactory,
)
from tests.voting.conftest import seen, voter_factory
from voting import errors, services
from voting.models import Ballot, VoteEntry


def tallies(clips) -> list[int]:
    return [VoteEntry.objects.get(pk=each.pk).votes for each in clips]


def put_ballot(user, public_vote, entry_id, **headers):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    url = reverse("public-vote-ballot", kwargs={"pk": public_vote.pk})
    return client.put(url, {"entry": entry_id}, format="json", **headers)


def test_ballot_cast_counts_one_vote_in_the_stored_tally(public_vote, clips, voter):
    seen(voter, clips[0])

    ballot, outcome = services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=clips[0].entry_id)

    assert outcome == "cast"
    assert tallies(clips) == [1, 0, 0]
    assert ballot.library_id == voter.library_id


def test_ballot_cast_for_another_entry_moves_the_vote_until_close(public_vote, clips, voter):
    seen(voter, *clips)
    services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=clips[0].entry_id)

    ballot, outcome = services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=clips[2].entry_id)

    assert outcome == "changed"
    assert tallies(clips) == [0, 0, 1]
    assert list(Ballot.objects.values_list("pk", "changes")) == [(ballot.pk, 1)]


def test_ballot_cast_for_the_same_entry_twice_changes_nothing(public_vote, clips, voter):
    seen(voter, clips[1])
    services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=clips[1].entry_id)

    _ballot, outcome = services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=clips[1].entry_id)

    assert outcome == "same"
    assert tallies(clips) == [0, 1, 0]


def test_ballot_cast_allows_one_vote_per_category(public_vote, clips, voter, other_category, places):
    other = VoteEntry.objects.create(
        public_vote=public_vote,
        entry=EntryFactory(category=other_category, entrant=StudentFactory(library=places.north_library)),
        category=other_category,
    )
    seen(voter, clips[0], other)

    services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=clips[0].entry_id)
    services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=other.entry_id)

    assert Ballot.objects.filter(voter=voter).count() == 2
    assert tallies([clips[0], other]) == [1, 1]


def test_ballot_cast_writes_audit_rows_with_the_hashed_address(public_vote, clips, voter):
    seen(voter, *clips)
    services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=clips[0].entry_id, address="10.1.2.3")
    ballot, _ = services.ballot_cast(
        voter=voter, public_vote=public_vote, entry_id=clips[1].entry_id, address="10.1.2.3"
    )

    rows = list(
        AuditEntry.objects.filter(target_type="voting.ballot").order_by("pk").values("action", "before", "after")
    )

    digest = services.address_digest("10.1.2.3")
    assert ballot.address == digest
    assert len(digest) == 16
    assert "10.1.2.3" not in digest
    assert rows == [
        {"action": "ballot.cast", "before": None, "after": {"entry": clips[0].entry_id, "address": digest}},
        {
            "action": "ballot.changed",
            "before": {"entry": clips[0].entry_id},
            "after": {"entry": clips[1].entry_id, "address": digest},
        },
    ]


def test_address_digest_depends_on_the_server_secret(settings):
    first = services.address_digest("203.0.113.7")
    settings.SECRET_KEY = "another-secret-for-this-test-only-0123456789"

    assert services.address_digest("203.0.113.7") != first


def test_ballot_put_answers_201_then_200_through_the_api(public_vote, clips, voter):
    seen(voter, *clips)

    first = put_ballot(voter, public_vote, clips[0].entry_id, REMOTE_ADDR="198.51.100.4")
    second = put_ballot(voter, public_vote, clips[1].entry_id, REMOTE_ADDR="198.51.100.9")

    assert (first.status_code, first.json()["outcome"]) == (201, "cast")
    assert (second.status_code, second.json()["outcome"]) == (200, "changed")
    assert Ballot.objects.get().address == services.address_digest("198.51.100.9")  # where it was last cast


def test_opening_the_entry_while_signed_in_lets_the_voter_vote(public_vote, clips, voter):
    client = APIClient()
    client.force_authenticate(voter)
    refused = put_ballot(voter, public_vote, clips[0].entry_id)

    opened = client.get(reverse("public-vote-entry", kwargs={"pk": public_vote.pk, "entry_id": clips[0].entry_id}))
    voted = put_ballot(voter, public_vote, clips[0].entry_id)

    assert (refused.status_code, refused.json()["code"]) == (409, "entry_not_viewed")
    assert opened.status_code == 200
    assert opened.json()["video_url"] == "https://www.youtube.com/watch?v=clip0"
    assert opened.json()["viewed"] is True
    assert voted.status_code == 201


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("anonymous", (401, None)),
        ("unverified", (403, "email_unverified")),
        ("not_viewed", (409, "entry_not_viewed")),
        ("not_in_vote", (400, None)),
        ("not_open_yet", (404, None)),  # not announced before it opens
        ("closed", (409, "vote_closed")),
        ("published", (409, "vote_closed")),
        ("library_not_taking_part", (403, "library_not_taking_part")),
        ("voided", (409, "ballot_voided")),
    ],
)
def test_ballot_put_refusals_are_clear_4xx_and_count_nothing(
    case, expected, public_vote, clips, voter, places, role_users, time_machine
):
    user, entry_id = voter, clips[0].entry_id
    seen(voter, clips[0])
    if case == "anonymous":
        user = None
    elif case == "unverified":
        user = StudentFactory(library=places.north_library)
        seen(user, clips[0])
    elif case == "not_viewed":
        entry_id = clips[1].entry_id
    elif case == "not_in_vote":
        entry_id = EntryFactory(category=clips[0].category).pk
    elif case == "not_open_yet":
        time_machine.move_to(public_vote.opens_at - timedelta(minutes=1))
    elif case == "closed":
        time_machine.move_to(public_vote.closes_at)
    elif case == "published":
        time_machine.move_to(public_vote.closes_at + timedelta(minutes=1))
        services.public_vote_publish(actor=role_users["network_organizer"], public_vote=public_vote)
    elif case == "library_not_taking_part":
        public_vote.libraries_only = True
        public_vote.save()
        user = voter_factory(places.south_library)
        seen(user, clips[0])
    elif case == "voided":
        put_ballot(voter, public_vote, entry_id)
        services.ballots_void(
            actor=role_users["network_organizer"],
            public_vote=public_vote,
            ballot_ids=[Ballot.objects.get().pk],
            reason="Tài khoản ảo",
        )
    before = Ballot.objects.filter(voided_at__isnull=True).count()

    response = put_ballot(user, public_vote, entry_id)

    assert (response.status_code, response.json().get("code")) == expected
    if case == "not_in_vote":
        assert list(response.json()) == ["entry"]
    assert Ballot.objects.filter(voided_at__isnull=True).count() == before
    assert sum(tallies(clips)) == before


def test_ballot_cast_before_the_vote_opens_is_refused(public_vote, clips, voter, time_machine):
    seen(voter, clips[0])
    time_machine.move_to(public_vote.opens_at - timedelta(seconds=1))

    with pytest.raises(errors.VoteNotOpenYet):
        services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=clips[0].entry_id)


def test_libraries_only_lets_accounts_of_taking_part_libraries_vote(public_vote, clips, voter):
    public_vote.libraries_only = True
    public_vote.save()
    seen(voter, clips[0])

    response = put_ballot(voter, public_vote, clips[0].entry_id)

    assert response.status_code == 201


def test_ballot_refusal_message_comes_in_english_too(public_vote, clips, places):
    user = StudentFactory(library=places.north_library)
    seen(user, clips[0])

    vi = put_ballot(user, public_vote, clips[0].entry_id, HTTP_ACCEPT_LANGUAGE="vi").json()["detail"]
    en = put_ballot(user, public_vote, clips[0].entry_id, HTTP_ACCEPT_LANGUAGE="en").json()["detail"]

    assert en.startswith("Confirm your e-mail address before voting")
    assert vi != en


def test_votes_never_touch_jury_scores_or_round_results(public_vote, clips, voter, contest):
    judging_round = RoundFactory(contest=contest)
    for clip in clips:
        ScoreFactory(assignment=AssignmentFactory(round=judging_round, entry=clip.entry), total=Decimal("7.5"))
        RoundResultFactory(round=judging_round, entry=clip.entry, score=Decimal("7.5"))
    scores_before = list(Score.objects.order_by("pk").values())
    results_before = list(RoundResult.objects.order_by("pk").values())
    seen(voter, *clips)

    for clip in clips:
        services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=clip.entry_id)

    assert list(Score.objects.order_by("pk").values()) == scores_before
    assert list(RoundResult.objects.order_by("pk").values()) == results_before
