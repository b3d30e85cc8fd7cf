"""The organizers' API: the pairs side by side, deciding, runs."""

import pytest
from django.urls import reverse

from contests.enums import ContestStatus
from screening.models import Pair, Run
from tests.clients import client_for
from tests.factories import CategoryFactory, ContestFactory, NetworkOrganizerFactory
from tests.screening import essays


@pytest.fixture
def pair(contest, write, screen):
    write(essays.ORIGINAL)
    write(essays.CHANGED_INTRODUCTION)
    write(essays.HONEST)
    screen(contest)
    return Pair.objects.get()


def test_a_pair_shows_both_texts_with_their_shared_passages_marked(pair, organizer):
    response = client_for(organizer).get(reverse("screening-pair-detail", kwargs={"pk": pair.pk}))

    assert response.status_code == 200
    data = response.json()
    entry, other = data["entry"], data["other"]
    assert (data["similarity"], data["status"], entry["code"], other["code"]) == (
        "0.7595",
        "pending",
        pair.entry.code,
        pair.other.code,
    )
    # The texts come back whole, cut into passages; the original's first three sentences are
    # its own (the copy rewrote its introduction), the rest is shared, bar where the new
    # introduction meets the copied text.
    assert "".join(s["text"] for s in entry["segments"]) == essays.ORIGINAL
    assert "".join(s["text"] for s in other["segments"]) == essays.CHANGED_INTRODUCTION
    original_own = [s["text"] for s in entry["segments"] if not s["shared"]]
    assert original_own[0] == " ".join(essays.SENTENCES[:3]) + " "
    shared = [s["text"] for s in entry["segments"] if s["shared"]]
    assert shared == [essays.essay(essays.SENTENCES[3:])[:-1]]  # the last word's full stop is not a word
    assert (entry["entrant_name"], entry["earlier"], other["earlier"]) == (pair.entry.entrant.full_name, False, False)


def test_an_earlier_contest_of_another_network_keeps_its_entrants_names(places, contest, write, screen, organizer):
    # The platform organizer compares with a contest of the south, which the north's organizer
    # does not run: the north's organizer sees that entry's text, not who wrote it.
    south = ContestFactory(network=places.south, status=ContestStatus.PUBLISHED)
    write(essays.ORIGINAL, category=CategoryFactory(contest=south))
    contest.copied_from = south
    contest.save()
    write(essays.EXACT_COPY)
    screen(contest)
    pair = Pair.objects.get()

    data = client_for(organizer).get(reverse("screening-pair-detail", kwargs={"pk": pair.pk})).json()

    assert (data["other"]["earlier"], data["other"]["entrant_name"], data["other"]["library_name"]) == (
        True,
        None,
        None,
    )
    assert data["entry"]["entrant_name"] == pair.entry.entrant.full_name


def test_pairs_are_listed_per_contest_and_status_the_most_alike_first(contest, write, screen, organizer):
    original = write(essays.ORIGINAL)
    write(essays.CHANGED_INTRODUCTION)
    write(essays.HALF_PARAPHRASED)
    screen(contest)

    response = client_for(organizer).get(reverse("screening-pair-list"), {"contest": contest.pk, "status": "pending"})

    rows = response.json()["results"]
    assert [row["similarity"] for row in rows] == ["0.7595", "0.3452"]
    assert {row["entry"]["id"] for row in rows} == {original.pk}


def test_deciding_through_the_api(pair, organizer):
    response = client_for(organizer).post(
        reverse("screening-pair-decide", kwargs={"pk": pair.pk}),
        {"decision": "disqualify", "disqualify": [pair.other_id], "reason": "Chép bài của bạn"},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["other"]["status"], response.json()["reason"]) == (
        "disqualified",
        "disqualified",
        "Chép bài của bạn",
    )


def test_deciding_twice_is_a_conflict_in_the_readers_language(pair, organizer):
    client = client_for(organizer)
    url = reverse("screening-pair-decide", kwargs={"pk": pair.pk})
    client.post(url, {"decision": "no_issue", "reason": "Trùng hợp"}, format="json")

    response = client.post(url, {"decision": "no_issue", "reason": "Trùng hợp"}, format="json")

    assert (response.status_code, response.json()["detail"]) == (409, "Cặp bài này đã được quyết định.")


def test_a_run_is_queued_and_asked_again_answers_with_the_same_run(contest, organizer, broker_down):
    client = client_for(organizer)
    url = reverse("contest-screening-runs", kwargs={"pk": contest.pk})

    first = client.post(url)
    second = client.post(url)

    assert (first.status_code, second.status_code) == (202, 202)
    assert first.json()["id"] == second.json()["id"] == Run.objects.get().pk
    assert first.json()["status"] == "queued"


@pytest.mark.parametrize("status", [ContestStatus.DRAFT, ContestStatus.PUBLISHED])
def test_a_contest_is_screened_between_its_opening_and_its_results(contest, organizer, status):
    contest.status = status
    contest.save()

    response = client_for(organizer).post(reverse("contest-screening-runs", kwargs={"pk": contest.pk}))

    assert response.status_code == 409
    assert Run.objects.count() == 0


def test_the_run_reports_what_it_did(pair, organizer):
    run = Run.objects.get()

    data = client_for(organizer).get(reverse("screening-run-detail", kwargs={"pk": run.pk})).json()

    assert {key: data[key] for key in ("status", "entries", "sources", "pairs", "unreadable", "threshold")} == {
        "status": "done",
        "entries": 3,
        "sources": 0,
        "pairs": 1,
        "unreadable": 0,
        "threshold": "0.30",
    }


def test_another_networks_organizer_sees_no_pair(pair, places):
    south_organizer = NetworkOrganizerFactory(network=places.south).user

    listed = client_for(south_organizer).get(reverse("screening-pair-list")).json()
    detail = client_for(south_organizer).get(reverse("screening-pair-detail", kwargs={"pk": pair.pk}))

    assert (listed["count"], detail.status_code) == (0, 404)
