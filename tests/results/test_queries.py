"""Every results list takes a fixed number of queries, with 1 row as with 3."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from results import prizes
from results.leaderboard import leaderboard_refresh
from results.models import Award, CollectiveAward
from tests.factories import LibraryFactory
from tests.results.helpers import api, ranking


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


def grown(contest, final_round, essays, places, organizer, count: int):
    """`count` more ranked entries, each from a library (and so a leaderboard row) of its own,
    each with a tier prize, a special prize, and its library a collective one."""
    Award.objects.filter(contest=contest).delete()
    for _ in range(count):
        library = LibraryFactory(network=places.north)
        (entry,) = ranking(final_round, essays, library, [1])
        prizes.special_prize_give(actor=organizer, contest=contest, entry_id=entry.pk, name="Sáng tạo")
        CollectiveAward.objects.create(contest=contest, library=library, name="Tập thể")
    prizes.prizes_award(actor=organizer, contest=contest)
    leaderboard_refresh(contest=contest)


def test_results_lists_take_a_fixed_number_of_queries(judged_contest, final_round, essays, tiers, places, organizer):
    contest = {"pk": judged_contest.pk}
    urls = {
        name: reverse(name, kwargs=contest)
        for name in (
            "contest-results",
            "contest-results-csv",
            "contest-awards",
            "contest-collective-awards",
            "contest-leaderboard",
            "contest-leaderboard-csv",
        )
    }
    urls["networks"] = reverse("contest-leaderboard", kwargs=contest, query={"by": "network"})
    urls["round-results"] = reverse("round-results", kwargs={"pk": final_round.pk})
    grown(judged_contest, final_round, essays, places, organizer, 1)
    with_one = {name: queries(api(organizer), url) for name, url in urls.items()}
    grown(judged_contest, final_round, essays, places, organizer, 2)
    with_three = {name: queries(api(organizer), url) for name, url in urls.items()}

    assert with_three == with_one
