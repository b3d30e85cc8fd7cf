"""Consent to publish is separate from taking part: every public place an entrant's name could
appear shows an entrant without it as their entry's code and library only."""

import pytest
from django.urls import NoReverseMatch, reverse

from certificates.models import Certificate
from judging.models import Round
from tests.certificates.conftest import NAMES, published  # noqa: F401  (the fixture)
from tests.certificates.test_certificates import issue
from tests.core.test_matrix_coverage import api_routes
from tests.privacy.helpers import api

PAGES = ["home", "contest-page", "results-page", "leaderboard-page", "verify-page", "verify-app-page"]


def _url(name: str, ids: dict) -> str:
    prefix = name.split("-", 1)[0]
    pk = ids.get(prefix, 999999)
    candidates = [{"pk": pk}, {"contest_id": ids["contest"]}, {"code": ids["code"]}, {}]
    candidates += [{"pk": pk, "entry_id": ids["entry"]}]
    for kwargs in candidates:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    raise AssertionError(f"no arguments known for {name}")


@pytest.fixture
def issued(published, django_capture_on_commit_callbacks):  # noqa: F811
    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)
    return published


@pytest.mark.parametrize("role", ["anonymous", "judge", "other_student"])
def test_no_public_response_names_an_entrant_without_consent(issued, role_users, places, client, role):
    from tests.factories import StudentFactory

    viewer = {"other_student": StudentFactory(library=places.south_library)}.get(role) or role_users[role]
    hidden = NAMES[1:]  # the first entrant agreed; the other four did not
    certificates = list(Certificate.objects.filter(contest=issued.contest))
    ids = {
        "contest": issued.contest.pk,
        "round": Round.objects.get(contest=issued.contest).pk,
        "library": places.north_library.pk,
        "network": places.north.pk,
        "entry": issued.entries[1].pk,
        "certificate": certificates[0].pk,
        "code": certificates[0].code,
    }
    urls = [_url(name, ids) for name, method in sorted(api_routes()) if method == "GET" and name != "schema"]
    urls += [f"{u}?format=json" for u in urls if "/leaderboard/" in u or "/results/" in u]
    urls += [reverse("certificate-verify", kwargs={"code": c.code}) for c in certificates]
    urls += [reverse("verify-page-code", kwargs={"code": c.code}) for c in certificates]
    urls += [reverse(name, kwargs={"contest_id": issued.contest.pk}) for name in PAGES[1:4]]
    urls += [reverse(name) for name in (PAGES[0], PAGES[4], PAGES[5])]
    seen, found = 0, []
    if viewer is not None:
        client.force_login(viewer)
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        seen += response.status_code == 200
        found += [(url, name) for name in hidden if name in text]

    assert found == []
    assert seen > 20  # the search did read the public pages


def test_the_result_shows_the_code_and_library_of_an_entrant_without_consent(issued):
    response = api(None).get(reverse("contest-results", kwargs={"pk": issued.contest.pk}))

    lines = response.json()["results"]
    assert [(line["entrant"], line["library"]["name"]) for line in lines[:2]] == [
        ({"id": issued.entries[0].entrant_id, "full_name": NAMES[0], "name_withheld": False}, "Thư viện Đại học Vinh"),
        ({"id": None, "full_name": issued.entries[1].code, "name_withheld": True}, "Thư viện Đại học Vinh"),
    ]


def test_verification_shows_a_name_only_with_consent(issued):
    named = Certificate.objects.get(kind="prize", entry=issued.entries[0])
    withheld = Certificate.objects.get(kind="prize", entry=issued.entries[1])
    taking_part = Certificate.objects.get(kind="participation", holder=issued.entries[3].entrant)

    holders = [
        api(None).get(reverse("certificate-verify", kwargs={"code": c.code})).json()["holder"]
        for c in (named, withheld, taking_part)
    ]

    assert holders == [NAMES[0], issued.entries[1].code, issued.entries[3].code]


def test_organizers_see_the_names_in_the_prizes_list(issued):
    response = api(issued.organizer).get(reverse("contest-awards", kwargs={"pk": issued.contest.pk}))

    assert {line["entrant"]["full_name"] for line in response.json()["results"]} == set(NAMES[:3])


def test_consent_given_later_shows_the_name(issued, django_capture_on_commit_callbacks):
    entrant = issued.entries[1].entrant
    entrant.birth_date = None  # an adult
    entrant.save()
    url = reverse("contest-results", kwargs={"pk": issued.contest.pk})
    before = api(None).get(url)  # the published result's public copy is now cached (results.caching)
    api(entrant).post(reverse("privacy-publish-consent"), {"agree": True}, format="json")

    response = api(None).get(url, HTTP_IF_NONE_MATCH=before["ETag"])

    assert before.json()["results"][1]["entrant"]["full_name"] == issued.entries[1].code
    assert response.status_code == 200  # a new version, not a 304
    assert response.json()["results"][1]["entrant"]["full_name"] == NAMES[1]


def test_the_public_vote_s_gallery_shows_a_name_only_with_consent(issued):
    from datetime import timedelta

    from django.utils import timezone

    from voting.models import PublicVote, VoteEntry

    now = timezone.now()
    vote = PublicVote.objects.create(
        contest=issued.contest, title="Bình chọn", opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1)
    )
    for entry in issued.entries[:2]:
        VoteEntry.objects.create(public_vote=vote, entry=entry, category=entry.category)

    response = api(None).get(reverse("public-vote-entries", kwargs={"pk": vote.pk}))

    assert response.status_code == 200
    rows = response.json()["results"] if isinstance(response.json(), dict) else response.json()
    assert sorted(row["entrant"] for row in rows) == sorted([NAMES[0], issued.entries[1].code])
