"""Publication day: the public reads of a published result carry a version (ETag,
Last-Modified, 304s, Cache-Control: public) and are kept server-side by it; an unpublish stops
every one of them at once, and before publication the organizers' reads are private and live."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from results import prizes, publication
from results.leaderboard import leaderboard_refresh
from tests.core.test_cache_fallback import redis_down  # noqa: F401 (a fixture)
from tests.results.helpers import api, ranking

READS = ["contest-results", "contest-results-csv", "contest-leaderboard", "contest-leaderboard-csv"]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def urls(contest) -> dict[str, str]:
    return {name: reverse(name, kwargs={"pk": contest.pk}) for name in READS}


@pytest.fixture
def published(judged_contest, final_round, essays, tiers, places, organizer, django_capture_on_commit_callbacks):
    """Two ranked entries, prizes awarded, published, the leaderboard refreshed (on commit)."""
    ranking(final_round, essays, places.north_library, [1, 2], title="Bài ")
    with django_capture_on_commit_callbacks(execute=True):
        publication.results_publish(actor=organizer, contest=judged_contest)
    return judged_contest


@pytest.mark.parametrize("name", READS)
def test_a_published_read_is_public_with_a_version_and_answers_304_while_it_holds(published, name):
    url = urls(published)[name]
    first = APIClient().get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]

    by_tag = APIClient().get(url, HTTP_IF_NONE_MATCH=etag)
    by_date = APIClient().get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    other_language = APIClient().get(url, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_LANGUAGE="en")

    assert first.status_code == 200
    assert body(first)
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert first["Vary"] == "Accept, Accept-Language"  # not Cookie: one copy serves every reader
    assert (by_tag.status_code, by_tag.content, by_tag["ETag"]) == (304, b"", etag)
    assert (by_date.status_code, by_date["Last-Modified"]) == (304, last_modified)
    assert by_tag["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert other_language.status_code == 200  # another representation, another tag
    assert other_language["ETag"] != etag


def test_a_signed_in_reader_of_a_published_result_gets_the_shared_answer(published, organizer):
    client = APIClient()
    client.force_login(organizer)  # a session cookie, as the pages send

    response = client.get(reverse("contest-leaderboard", kwargs={"pk": published.pk}))

    assert response.status_code == 200
    assert (response["Cache-Control"], response["Vary"]) == (
        "public, max-age=0, must-revalidate",
        "Accept, Accept-Language",
    )


def test_the_json_of_a_version_is_built_once_and_then_served_from_the_cache(published, places):
    url = reverse("contest-results", kwargs={"pk": published.pk})
    first = APIClient().get(url)
    places.north_library.name = "Thư viện đổi tên"  # not a change of the result: the copy stands
    places.north_library.save()

    with CaptureQueriesContext(connection) as captured:
        again = APIClient().get(url)

    assert again.status_code == 200
    assert again.json() == first.json()
    assert len(captured) == 1  # the contest with its version; the ranking came from the cache


def test_a_leaderboard_refresh_is_a_new_version(published):
    url = reverse("contest-leaderboard", kwargs={"pk": published.pk})
    before = APIClient().get(url)

    leaderboard_refresh(contest=published)
    after = APIClient().get(url, HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] != before["Last-Modified"]  # a second later, however soon


def test_after_an_unpublish_nothing_of_the_old_result_is_served(
    published, organizer, tiers, django_capture_on_commit_callbacks
):
    old = {name: APIClient().get(url) for name, url in urls(published).items()}
    for name, url in urls(published).items():  # every copy warm, the JSON in the server's cache
        assert APIClient().get(url, HTTP_IF_NONE_MATCH=old[name]["ETag"]).status_code == 304

    publication.results_unpublish(actor=organizer, contest=published, reason="Sai sót điểm")
    (winner,) = [row for row in old["contest-results"].json()["results"] if row["rank"] == 1]
    prizes.award_override(
        actor=organizer, contest=published, entry_id=winner["entry"], tier=tiers["Ba"], reason="Phúc khảo"
    )

    for name, url in urls(published).items():
        conditions = [
            {},
            {"HTTP_IF_NONE_MATCH": old[name]["ETag"]},
            {"HTTP_IF_MODIFIED_SINCE": old[name]["Last-Modified"]},
        ]
        public = [APIClient().get(url, **headers) for headers in conditions]
        own = [api(organizer).get(url, **headers) for headers in conditions]
        assert [response.status_code for response in public] == [403, 403, 403], name
        assert [response.status_code for response in own] == [200, 200, 200], name
        assert {response["Cache-Control"] for response in own} == {"private, no-cache"}, name
        assert not any(response.has_header("ETag") for response in own), name
    changed = api(organizer).get(urls(published)["contest-results"]).json()
    assert changed != old["contest-results"].json()  # the organizer reads the live result, not the copy
    assert "Giải Ba" in str(changed)

    with django_capture_on_commit_callbacks(execute=True):
        publication.results_publish(actor=organizer, contest=published)
    for name, url in urls(published).items():
        again = APIClient().get(url, HTTP_IF_NONE_MATCH=old[name]["ETag"])
        assert again.status_code == 200, name
        assert again["ETag"] != old[name]["ETag"], name
    republished = APIClient().get(urls(published)["contest-results"]).json()
    assert republished != old["contest-results"].json()


def test_before_publication_the_organizers_reads_are_private_and_never_cached(
    judged_contest, final_round, essays, tiers, places, organizer
):
    ranking(final_round, essays, places.north_library, [1, 2], title="Bài ")
    url = reverse("contest-results", kwargs={"pk": judged_contest.pk})
    first = api(organizer).get(url)
    prizes.prizes_award(actor=organizer, contest=judged_contest)

    second = api(organizer).get(url)

    assert first["Cache-Control"] == second["Cache-Control"] == "private, no-cache"
    assert not first.has_header("ETag")
    assert [row["prizes"] for row in first.json()["results"]] == [[], []]
    assert [len(row["prizes"]) for row in second.json()["results"]] == [1, 1]


def test_with_redis_down_the_results_are_served_and_kept_in_the_process_memory(
    published,
    redis_down,  # noqa: F811
):
    url = reverse("contest-results", kwargs={"pk": published.pk})
    first = APIClient().get(url)

    with CaptureQueriesContext(connection) as captured:
        again = APIClient().get(url)
    queries = len(captured)  # (read before the next request empties the log)
    by_tag = APIClient().get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert (first.status_code, again.status_code, by_tag.status_code) == (200, 200, 304)
    assert again.json() == first.json()
    assert queries == 1
