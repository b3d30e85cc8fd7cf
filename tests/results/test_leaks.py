"""Before publication, nobody but the contest's organizers learns a result: every GET endpoint
of the API is asked, as every other role, and searched for ranks, scores and prizes."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contests.enums import ContestStatus
from judging.models import RoundResult
from results import prizes
from results.leaderboard import leaderboard_refresh
from results.models import CollectiveAward
from screening.enums import RunStatus
from screening.models import Pair, Run
from tests.core.test_matrix_coverage import api_routes
from tests.factories import AssignmentFactory, CriterionFactory, EntryFactory, JudgeFactory
from tests.results.helpers import api, ranking
from voting.models import PublicVote, VoteEntry

# Figures no one but the organizers may see before publication: the entry's final score, and
# the names of fields that only results carry.
FINAL_SCORE = "87.6543"
RESULT_KEYS = {"rank", "prize", "prizes", "advanced", "average_score", "points", "winners", "awarded", "lowest"}


@pytest.fixture
def world(role_users, judged_contest, final_round, essays, tiers, places):
    student = role_users["student"]
    (entry,) = ranking(final_round, essays, places.north_library, [1])
    entry.entrant = student
    entry.save()
    RoundResult.objects.filter(entry=entry).update(score=Decimal(FINAL_SCORE))
    CriterionFactory(round=final_round)
    JudgeFactory(round=final_round, user=role_users["judge"])
    assignment = AssignmentFactory(round=final_round, entry=entry, judge=role_users["judge"])
    organizer = role_users["network_organizer"]
    prizes.prizes_award(actor=organizer, contest=judged_contest)
    prizes.special_prize_give(actor=organizer, contest=judged_contest, entry_id=entry.pk, name="Bài viết hay nhất")
    CollectiveAward.objects.create(contest=judged_contest, library=places.north_library, name="Đơn vị xuất sắc")
    leaderboard_refresh(contest=judged_contest)
    # Screening shows organizers an entry beside a look-alike: it must not carry the result either.
    other = EntryFactory(category=essays, library=places.south_library)
    run = Run.objects.create(contest=judged_contest, threshold=Decimal("0.30"), status=RunStatus.DONE, pairs=1)
    pair = Pair.objects.create(contest=judged_contest, entry=entry, other=other, similarity=Decimal("0.9"), run=run)
    # A people's choice vote open on the entry: its gallery and counts are its own, not the jury's.
    now = timezone.now()
    vote = PublicVote.objects.create(
        contest=judged_contest, title="Bình chọn", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1)
    )
    VoteEntry.objects.create(public_vote=vote, entry=entry, category=essays)
    contest = {"pk": judged_contest.pk}
    return {
        "assignment-attachment": {"pk": assignment.pk},
        "assignment-detail": {"pk": assignment.pk},
        "assignment-list": {},
        "auth-me": {},
        "contest-awards": contest,
        "contest-collective-awards": contest,
        "contest-detail": contest,
        "contest-entries-export": {"contest_id": judged_contest.pk},
        "contest-leaderboard": contest,
        "contest-leaderboard-csv": contest,
        "contest-library-summary": {"contest_id": judged_contest.pk},
        "contest-list": {},
        "contest-prizes": contest,
        "contest-results": contest,
        "contest-results-csv": contest,
        "entry-attachment": {"pk": entry.pk},
        "entry-detail": {"pk": entry.pk},
        "entry-list": {},
        "library-detail": {"pk": places.north_library.pk},
        "library-list": {},
        "network-detail": {"pk": places.north.pk},
        "network-list": {},
        "round-detail": {"pk": final_round.pk},
        "round-disagreements": {"pk": final_round.pk},
        "round-judges": {"pk": final_round.pk},
        "round-progress": {"pk": final_round.pk},
        "round-results": {"pk": final_round.pk},
        "round-anchors": {"pk": final_round.pk},
        "round-calibration": {"pk": final_round.pk},
        # Certificates are issued only after publication: before it there are none to find.
        "certificate-list": {},
        "certificate-detail": {"pk": 999999},
        "certificate-pdf": {"pk": 999999},
        "certificate-verify": {"code": "ABCDEFGHJKMN"},
        "contest-certificates-zip": contest,
        "contest-certificate-design": contest,
        "job-detail": {"pk": 999999},
        "contest-screening": contest,
        "screening-run-detail": {"pk": run.pk},
        "screening-pair-list": {},
        "screening-pair-detail": {"pk": pair.pk},
        "privacy-me": {},
        "guardian-consent-list": {},
        "contest-consent-waiting": contest,
        "contest-retention": contest,
        "privacy-export": {},
        "erasure-request-list": {},
        "contest-public-votes": {"contest_id": judged_contest.pk},
        "public-vote-detail": {"pk": vote.pk},
        "public-vote-entries": {"pk": vote.pk},
        "public-vote-entry": {"pk": vote.pk, "entry_id": entry.pk},
        "public-vote-fraud": {"pk": vote.pk},
        "public-vote-ballots": {"pk": vote.pk},
        "public-vote-results": {"pk": vote.pk},
        # What waits for a person, and how their entries fared: nothing of a result before it is out.
        "me-home": {},
        "me-outcomes": {},
        "me-eligibility": ({}, {"contest": judged_contest.pk}),  # (kwargs, query)
    }


def keys_in(value) -> set[str]:
    """Every key in a JSON document, except inside a contest's prize tiers (their rank and
    points are the rules everyone reads, not a result)."""
    if isinstance(value, dict):
        return set(value) | {key for name, item in value.items() if name != "prize_tiers" for key in keys_in(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_in(item)}
    return set()


def test_every_get_endpoint_is_in_this_test():
    """A new GET endpoint must join the search below."""
    asked = {name for name, method in api_routes() if method == "GET"} - {"schema", "docs"}

    assert asked == KNOWN_GET_ROUTES


KNOWN_GET_ROUTES = {
    "certificate-list",
    "certificate-detail",
    "certificate-pdf",
    "certificate-verify",
    "contest-certificates-zip",
    "contest-certificate-design",
    "job-detail",
    "assignment-attachment",
    "assignment-detail",
    "assignment-list",
    "auth-me",
    "contest-awards",
    "contest-collective-awards",
    "contest-detail",
    "contest-entries-export",
    "contest-leaderboard",
    "contest-leaderboard-csv",
    "contest-library-summary",
    "contest-list",
    "contest-prizes",
    "contest-results",
    "contest-results-csv",
    "entry-attachment",
    "entry-detail",
    "entry-list",
    "library-detail",
    "library-list",
    "network-detail",
    "network-list",
    "round-detail",
    "round-disagreements",
    "round-judges",
    "round-progress",
    "round-results",
    "round-anchors",
    "round-calibration",
    "contest-screening",
    "screening-run-detail",
    "screening-pair-list",
    "screening-pair-detail",
    "privacy-me",
    "guardian-consent-list",
    "contest-consent-waiting",
    "contest-retention",
    "privacy-export",
    "erasure-request-list",
    "contest-public-votes",
    "public-vote-detail",
    "public-vote-entries",
    "public-vote-entry",
    "public-vote-fraud",
    "public-vote-ballots",
    "public-vote-results",
    "me-home",
    "me-outcomes",
    "me-eligibility",
}


@pytest.mark.parametrize("role", ["anonymous", "student", "judge", "library_staff"])
def test_nothing_of_the_result_leaks_before_publication(world, role_users, judged_contest, role):
    assert set(world) == KNOWN_GET_ROUTES
    leaks = []
    for name, asked in sorted(world.items()):
        kwargs, query = asked if isinstance(asked, tuple) else (asked, None)
        response = api(role_users[role]).get(reverse(name, kwargs=kwargs, query=query))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        found = [FINAL_SCORE] if FINAL_SCORE in text else []
        found += [secret for secret in ("Bài viết hay nhất", "Đơn vị xuất sắc") if secret in text]
        if response.get("Content-Type", "").startswith("application/json") and response.status_code == 200:
            found += sorted(keys_in(json.loads(text)) & RESULT_KEYS)
        if found:
            leaks.append((name, response.status_code, found))

    assert leaks == []


def test_once_published_the_result_is_public(world, judged_contest, role_users):
    judged_contest.status = ContestStatus.PUBLISHED
    judged_contest.save()
    role_users["student"].publish_consent_at = judged_contest.submission_closes_at  # agreed to be named
    role_users["student"].save()

    results = api(None).get(reverse("contest-results", kwargs={"pk": judged_contest.pk}))

    assert results.status_code == 200
    (line,) = results.json()["results"]
    assert (line["score"], line["rank"], line["prize"], [p["name"] for p in line["prizes"]]) == (
        FINAL_SCORE,
        1,
        "Giải Nhất",
        ["Giải Nhất", "Bài viết hay nhất"],
    )
    assert line["entrant"]["full_name"] == "Lê Ngọc Ánh"
    assert line["library"]["name"] == "Thư viện Đại học Vinh"
