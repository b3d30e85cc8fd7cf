"""The public ranking: entries withdrawn or disqualified after the final round closed are never
listed, and ranks are recounted over those still standing, with the tie rule prizes use, so that
an awarded entry's shown rank is its prize's place (API, CSV and awards alike)."""

from django.urls import reverse

from results import prizes, publication
from submissions import services as entry_services
from submissions.enums import EntryStatus
from tests.results.helpers import api, ranking
from tests.results.test_exports import csv_rows
from tests.results.test_prizes import won


def published_ranking(contest) -> list[tuple]:
    response = api(None).get(reverse("contest-results", kwargs={"pk": contest.pk}))
    assert response.status_code == 200, response.content
    return [(row["title"], row["rank"], row["prize"]) for row in response.json()["results"]]


def test_a_disqualification_after_the_close_moves_the_ranks_and_the_prizes_below_it_up(
    judged_contest, final_round, essays, tiers, places, organizer, django_capture_on_commit_callbacks
):
    # Nhất 1, Nhì 2, Ba 3: six places. e1 (2nd) is disqualified once prizes are given.
    entries = ranking(final_round, essays, places.north_library, [1, 2, 3, 4, 5, 6, 7], title="e")
    prizes.prizes_award(actor=organizer, contest=judged_contest)

    entry_services.entry_disqualify(actor=organizer, entry=entries[1], reason="Đạo văn")
    with django_capture_on_commit_callbacks(execute=True):
        publication.results_publish(actor=organizer, contest=judged_contest)

    assert published_ranking(judged_contest) == [
        ("e0", 1, "Giải Nhất"),
        ("e2", 2, "Giải Nhì"),
        ("e3", 3, "Giải Nhì"),
        ("e4", 4, "Giải Ba"),
        ("e5", 5, "Giải Ba"),  # ranked 6th at the close; its prize and its rank both say 5
        ("e6", 6, "Giải Ba"),  # moved up into the prizes
    ]
    awards = api(None).get(reverse("contest-awards", kwargs={"pk": judged_contest.pk})).json()["results"]
    assert [(award["title"], award["rank"], award["tier_name"]) for award in awards] == [
        ("e0", 1, "Giải Nhất"),
        ("e2", 2, "Giải Nhì"),
        ("e3", 3, "Giải Nhì"),
        ("e4", 4, "Giải Ba"),
        ("e5", 5, "Giải Ba"),
        ("e6", 6, "Giải Ba"),
    ]
    results_csv = csv_rows(api(None).get(reverse("contest-results-csv", kwargs={"pk": judged_contest.pk})))
    assert [(row[5], row[1], row[7]) for row in results_csv[1:]] == [
        (title, str(rank), prize) for title, rank, prize in published_ranking(judged_contest)
    ]


def test_entries_ranked_equal_share_the_recounted_place_and_the_higher_prize(
    judged_contest, final_round, essays, tiers, places, organizer
):
    entries = ranking(final_round, essays, places.north_library, [1, 2, 2, 4, 5, 6], title="e")
    entries[0].status = EntryStatus.DISQUALIFIED  # after the close, before any prize
    entries[0].save()
    publication.results_publish(actor=organizer, contest=judged_contest)

    assert published_ranking(judged_contest) == [
        ("e1", 1, "Giải Nhất"),
        ("e2", 1, "Giải Nhất"),
        ("e3", 3, "Giải Nhì"),
        ("e4", 4, "Giải Ba"),
        ("e5", 5, "Giải Ba"),
    ]
    assert won(judged_contest) == {
        "e1": "Giải Nhất",
        "e2": "Giải Nhất",
        "e3": "Giải Nhì",
        "e4": "Giải Ba",
        "e5": "Giải Ba",
    }


def test_a_withdrawal_in_judging_gives_the_prizes_again_and_keeps_the_overrides(
    judged_contest, final_round, essays, tiers, places, organizer
):
    entries = ranking(final_round, essays, places.north_library, [1, 2, 3, 4, 5, 6, 7, 8], title="e")
    prizes.prizes_award(actor=organizer, contest=judged_contest)
    prizes.award_override(
        actor=organizer, contest=judged_contest, entry_id=entries[7].pk, tier=tiers["Nhì"], reason="Phúc khảo"
    )

    entry_services.entry_withdraw(actor=organizer, entry=entries[0])

    assert won(judged_contest) == {
        "e1": "Giải Nhất",
        "e2": "Giải Nhì",
        "e3": "Giải Nhì",
        "e4": "Giải Ba",
        "e5": "Giải Ba",
        "e6": "Giải Ba",
        "e7": "Giải Nhì",  # the override stays, at its new place
    }
    assert entries[7].awards.get().rank == 7


def test_the_public_never_sees_an_entry_that_left_in_a_rounds_results(
    judged_contest, final_round, essays, tiers, places, organizer, role_users
):
    entries = ranking(final_round, essays, places.north_library, [1, 2, 3], title="e")
    entry_services.entry_disqualify(actor=organizer, entry=entries[0], reason="Đạo văn")
    publication.results_publish(actor=organizer, contest=judged_contest)
    url = reverse("round-results", kwargs={"pk": final_round.pk})

    public = api(role_users["student"]).get(url).json()["results"]
    organizers = api(organizer).get(url).json()["results"]

    # The round's own record keeps its ranks as the close wrote them (they decided who advanced).
    assert [(row["title"], row["rank"]) for row in public] == [("e1", 2), ("e2", 3)]
    assert [(row["title"], row["rank"]) for row in organizers] == [("e0", 1), ("e1", 2), ("e2", 3)]
