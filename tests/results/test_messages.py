from django.urls import reverse

from tests.factories import ContestFactory
from tests.results.helpers import api


def test_results_before_publication_are_refused_in_the_readers_language(places):
    contest = ContestFactory(network=places.north)
    url = reverse("contest-results", kwargs={"pk": contest.pk})

    english = api(None).get(url, HTTP_ACCEPT_LANGUAGE="en")
    vietnamese = api(None).get(url, HTTP_ACCEPT_LANGUAGE="vi")

    assert (english.status_code, english.json()["detail"]) == (
        403,
        "Results are for the organizers until the contest is published.",
    )
    assert vietnamese.json()["detail"] == "Kết quả chỉ dành cho ban tổ chức cho đến khi cuộc thi công bố."
