from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import AuditEntry
from people.models import User
from tests.factories import LibraryFactory
from tests.voting.conftest import seen, voter_factory
from voting import errors, selectors, services
from voting.models import Ballot, VoteEntry


def cast_at(time_machine, when, voter, public_vote, vote_entry, address=""):
    time_machine.move_to(when, tick=False)
    seen(voter, vote_entry)
    return services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=vote_entry.entry_id, address=address)[0]


def as_user(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def start(public_vote):
    # The top of the hour after voting opened: the bursts below stay within one hour's bar.
    return (public_vote.opens_at + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)


def test_fraud_report_flags_a_burst_of_new_accounts_from_one_library_and_address(
    public_vote, clips, places, time_machine, start
):
    public_vote.burst_votes, public_vote.burst_minutes, public_vote.flag_min_votes = 5, 10, 5
    public_vote.address_votes = 4
    public_vote.save()
    farm = LibraryFactory(network=places.south)
    # Six accounts made just before they vote, one library, one address, within three minutes.
    for n in range(6):
        voter = voter_factory(farm)
        User.objects.filter(pk=voter.pk).update(date_joined=start)
        voter.refresh_from_db()
        cast_at(time_machine, start + timedelta(seconds=30 * n), voter, public_vote, clips[0], "203.0.113.9")
    # Two honest votes for another entry, hours apart, from old accounts.
    for n in range(2):
        voter = voter_factory(places.north_library)
        User.objects.filter(pk=voter.pk).update(date_joined=start - timedelta(days=300))
        voter.refresh_from_db()
        cast_at(time_machine, start + timedelta(hours=2 * n), voter, public_vote, clips[1], f"198.51.100.{n}")

    report = selectors.fraud_report(public_vote)

    farmed, honest = report["entries"][0], report["entries"][1]
    assert (farmed["id"], farmed["votes"], farmed["flags"]) == (
        clips[0].pk,
        6,
        ["burst", "new_accounts", "one_library", "one_address"],
    )
    assert farmed["peak"] == {"at": start, "votes": 6}
    assert farmed["new_account_ratio"] == 1.0
    assert farmed["top_library"] == {"id": farm.pk, "name": farm.name, "votes": 6, "share": 1.0}
    assert farmed["top_address"] == {"address": services.address_digest("203.0.113.9"), "votes": 6}
    assert farmed["timeline"] == [{"hour": start.replace(minute=0, second=0, microsecond=0), "votes": 6}]
    assert (honest["id"], honest["votes"], honest["flags"], honest["new_account_ratio"]) == (clips[1].pk, 2, [], 0.0)
    assert [each["votes"] for each in honest["timeline"]] == [1, 1]
    assert report["addresses"][0] == {
        "address": services.address_digest("203.0.113.9"),
        "votes": 6,
        "entries": 1,
        "flagged": True,
    }
    assert report["libraries"][0] == {"library_id": farm.pk, "name": farm.name, "votes": 6}
    assert (report["counted"], report["voided"]) == (8, 0)


def test_fraud_view_thresholds_are_the_organizers_to_set(public_vote, clips, role_users):
    organizer = as_user(role_users["network_organizer"])

    organizer.patch(
        reverse("public-vote-detail", kwargs={"pk": public_vote.pk}), {"burst_votes": 200, "address_votes": 80}
    )
    response = organizer.get(reverse("public-vote-fraud", kwargs={"pk": public_vote.pk}))

    assert response.status_code == 200
    assert response.json()["thresholds"]["burst_votes"] == 200
    assert response.json()["thresholds"]["address_votes"] == 80


def test_ballots_void_stops_them_counting_with_an_audited_reason(public_vote, clips, places, role_users):
    voters = [voter_factory(places.north_library) for _ in range(3)]
    for voter in voters:
        seen(voter, clips[0])
        services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=clips[0].entry_id)
    ids = list(Ballot.objects.filter(voter__in=voters[:2]).values_list("pk", flat=True))

    response = as_user(role_users["network_organizer"]).post(
        reverse("public-vote-void", kwargs={"pk": public_vote.pk}),
        {"ballots": ids, "reason": "  Tài khoản ảo   cùng một máy "},
        format="json",
    )
    again = services.ballots_void(
        actor=role_users["network_organizer"], public_vote=public_vote, ballot_ids=ids, reason="x"
    )

    assert response.json() == {"voided": 2}
    assert again == 0  # already voided: nothing changes
    assert VoteEntry.objects.get(pk=clips[0].pk).votes == 1
    assert sorted(AuditEntry.objects.filter(action="ballot.voided").values_list("target_id", "reason")) == sorted(
        (pk, "Tài khoản ảo cùng một máy") for pk in ids
    )
    assert selectors.fraud_report(public_vote)["entries"][0]["voided"] == 2


def test_ballots_void_without_a_reason_is_a_400(public_vote, clips, role_users):
    response = as_user(role_users["network_organizer"]).post(
        reverse("public-vote-void", kwargs={"pk": public_vote.pk}), {"ballots": [1], "reason": "   "}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["reason"]


def gallery_votes(user, public_vote) -> list:
    response = as_user(user).get(reverse("public-vote-entries", kwargs={"pk": public_vote.pk}))
    return [each["votes"] for each in response.json()["results"]]


def test_gallery_hides_counts_while_open_unless_the_organizer_chooses(public_vote, clips, voter, role_users):
    seen(voter, clips[2])
    services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=clips[2].entry_id)

    hidden = gallery_votes(voter, public_vote), gallery_votes(None, public_vote)
    organizers = gallery_votes(role_users["network_organizer"], public_vote)
    public_vote.counts_while_open = True
    public_vote.save()
    shown = gallery_votes(None, public_vote)

    assert hidden == ([None, None, None], [None, None, None])
    assert organizers == [0, 0, 1]
    assert shown == [0, 0, 1]


def test_gallery_tells_the_voter_which_entries_they_opened_and_voted_for(public_vote, clips, voter):
    seen(voter, clips[0], clips[1])
    services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=clips[1].entry_id)

    rows = as_user(voter).get(reverse("public-vote-entries", kwargs={"pk": public_vote.pk})).json()["results"]

    assert [(row["entry"], row["viewed"], row["my_vote"]) for row in rows] == [
        (clips[0].entry_id, True, False),
        (clips[1].entry_id, True, True),
        (clips[2].entry_id, False, False),
    ]


def test_gallery_lists_in_a_fixed_number_of_queries(public_vote, category, places, voter, django_assert_num_queries):
    from tests.factories import EntryFactory, StudentFactory

    def add(count):
        for _ in range(count):
            entry = EntryFactory(category=category, entrant=StudentFactory(library=places.north_library))
            VoteEntry.objects.create(public_vote=public_vote, entry=entry, category=category)

    client = as_user(voter)
    url = reverse("public-vote-entries", kwargs={"pk": public_vote.pk})
    add(1)
    client.get(url)  # the user's roles, cached on the user from the first request on
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add(2)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(url).json()["results"]) == 3


def test_publish_ranks_each_category_and_says_how_many_votes_were_voided(
    public_vote, clips, places, role_users, time_machine
):
    organizer = role_users["network_organizer"]
    voters = [voter_factory(places.north_library) for _ in range(6)]
    for voter, clip in zip(voters, [0, 0, 1, 1, 2, 2], strict=True):
        seen(voter, clips[clip])
        services.ballot_cast(voter=voter, public_vote=public_vote, entry_id=clips[clip].entry_id)
    services.ballots_void(
        actor=organizer,
        public_vote=public_vote,
        ballot_ids=[Ballot.objects.get(voter=voters[4]).pk],
        reason="Phiếu từ tài khoản giả",
    )
    with pytest.raises(errors.VoteNotClosed):
        services.public_vote_publish(actor=organizer, public_vote=public_vote)
    closed = as_user(None).get(reverse("public-vote-results", kwargs={"pk": public_vote.pk}))
    time_machine.move_to(public_vote.closes_at + timedelta(minutes=1), tick=False)

    published = as_user(organizer).post(reverse("public-vote-publish", kwargs={"pk": public_vote.pk}))
    listed = as_user(None).get(reverse("public-vote-results", kwargs={"pk": public_vote.pk}))

    assert (closed.status_code, closed.json()["code"]) == (409, "not_published")
    assert (published.status_code, published.json()["counted"], published.json()["voided"]) == (200, 5, 1)
    body = listed.json()
    assert (body["counted"], body["voided"], body["prize_name"]) == (5, 1, "Giải Bình chọn")
    assert [(row["entry"], row["votes"], row["rank"], row["prize"]) for row in body["results"]] == [
        (clips[0].entry_id, 2, 1, True),
        (clips[1].entry_id, 2, 1, True),  # a tie shares the rank and the prize
        (clips[2].entry_id, 1, 3, False),
    ]
    assert gallery_votes(None, public_vote) == [2, 2, 1]  # counts are public once published
    assert AuditEntry.objects.filter(action="public_vote.published").count() == 1


def test_vote_entries_add_picks_a_rounds_video_entries(public_vote, category, places, role_users, contest):
    from tests.factories import AssignmentFactory, EntryFactory, RoundFactory, StudentFactory

    judging_round = RoundFactory(contest=contest)
    video = EntryFactory(category=category, body="", video_url="https://www.youtube.com/watch?v=a")
    essay = EntryFactory(category=category)
    outside = EntryFactory(category=category, body="", video_url="https://www.youtube.com/watch?v=b")
    for entry in (video, essay):
        AssignmentFactory(round=judging_round, entry=entry)
    assert StudentFactory  # (factories imported for the arrange step)

    response = as_user(role_users["network_organizer"]).post(
        reverse("public-vote-entries", kwargs={"pk": public_vote.pk}),
        {"round": judging_round.pk, "video_only": True},
        format="json",
    )

    assert response.json() == {"added": 1}
    assert list(VoteEntry.objects.filter(public_vote=public_vote).values_list("entry_id", flat=True)) == [video.pk]
    assert outside.pk not in set(VoteEntry.objects.values_list("entry_id", flat=True))


def test_public_vote_created_by_the_organizer_is_hidden_until_it_opens(contest, role_users, time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    response = as_user(role_users["network_organizer"]).post(
        reverse("contest-public-votes", kwargs={"contest_id": contest.pk}),
        {"title": "Bình chọn", "opens_at": now + timedelta(days=1), "closes_at": now + timedelta(days=2)},
        format="json",
    )
    url = reverse("contest-public-votes", kwargs={"contest_id": contest.pk})

    before = as_user(None).get(url).json()
    time_machine.move_to(now + timedelta(days=1), tick=False)
    after = as_user(None).get(url).json()

    assert response.status_code == 201
    assert before == []
    assert [(each["id"], each["state"]) for each in after] == [(response.json()["id"], "open")]


def test_public_vote_window_must_close_after_it_opens(contest, role_users):
    now = timezone.now()

    response = as_user(role_users["network_organizer"]).post(
        reverse("contest-public-votes", kwargs={"contest_id": contest.pk}),
        {"title": "Bình chọn", "opens_at": now, "closes_at": now - timedelta(hours=1)},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["closes_at"]
