"""Schema fuzz: every operation of /api/schema/, anonymous and as each role.

Fails on any 5xx and on any response the schema does not describe (status, content type,
headers, body). New endpoints are fuzzed as soon as they are in the schema.
"""

import os
import zlib
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.specs.openapi.checks import positive_data_acceptance

from certificates.models import Certificate, CertificateJob
from config.wsgi import application
from results.models import Award, CollectiveAward
from screening.models import Pair, Run
from tests.factories import (
    AssignmentFactory,
    CriterionFactory,
    EntryFactory,
    JudgeFactory,
    PrizeTierFactory,
    RoundFactory,
)
from tests.matrix import ROLES
from voting.models import PublicVote, VoteEntry

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
# CI replays the same examples on every run, so that a landing never hangs on the luck of the
# draw; a developer's run (and FUZZ_EXAMPLES=500 make test) explores new ones every time, and
# FUZZ_REPLAY=1 replays CI's. Roles the permission matrix shows refused on an operation are not
# fuzzed on it (the top conftest.py leaves them out, and says so).
REPLAY = os.environ.get("CI") == "true" or os.environ.get("FUZZ_REPLAY") == "1"


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    # Schemathesis calls the WSGI app directly, and Django's request signals would close the
    # connection that holds the test's transaction; Django's own test client does the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=ROLES)
def auth_headers(request, role_users):
    """A fresh token per case: a fuzzed sign-out revokes the one it was sent with."""
    user = role_users[request.param]
    if user is None:
        return dict
    return lambda: {"Authorization": f"Token {AuthToken.objects.create(user=user)[1]}"}


@pytest.fixture
def real_objects(places, contest, category, role_users) -> dict[str, int]:
    """Objects the fuzz aims at, so that fuzzed bodies meet real rows and not only 404s."""
    entry = EntryFactory(category=category, entrant=role_users["student"])
    judging_round = RoundFactory(contest=contest, order=1)
    CriterionFactory(round=judging_round)
    judge = JudgeFactory(round=judging_round, user=role_users["judge"]).user
    assignment = AssignmentFactory(round=judging_round, entry=entry, judge=judge)
    PrizeTierFactory(contest=contest, rank=1)
    award = Award.objects.create(contest=contest, entry=entry, category=category, kind="special", name="Sáng tạo")
    collective = CollectiveAward.objects.create(contest=contest, library=places.north_library, name="Tập thể")
    certificate = Certificate.objects.create(
        contest=contest,
        kind="participation",
        subject=f"entrant:{entry.entrant_id}",
        holder=entry.entrant,
        holder_name=entry.entrant.full_name,
        award="Đã tham gia cuộc thi",
        code="ABCDEFGHJKMN",
    )
    job = CertificateJob.objects.create(contest=contest, started_by=role_users["network_organizer"], total=1)
    run = Run.objects.create(contest=contest, threshold="0.30", status="done")
    pair = Pair.objects.create(
        contest=contest, entry=entry, other=EntryFactory(category=category), similarity="0.5000", run=run
    )
    now = timezone.now()
    public_vote = PublicVote.objects.create(
        contest=contest, title="Bình chọn", opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1)
    )
    VoteEntry.objects.create(public_vote=public_vote, entry=entry, category=category)
    return {
        "public-votes": public_vote.pk,
        "networks": places.north.pk,
        "libraries": places.north_library.pk,
        "contests": contest.pk,
        "entries": entry.pk,
        "rounds": judging_round.pk,
        "assignments": assignment.pk,
        "user_id": judge.pk,
        "awards": award.pk,
        "collective_awards": collective.pk,
        "certificates": certificate.pk,
        "jobs": job.pk,
        "screening/runs": run.pk,
        "screening/pairs": pair.pk,
    }


def meets_real_objects(path_parameters: dict) -> bool:
    """Half of the valid cases, chosen by their generated ids: the same half in every process
    (a CRC, not Python's hash(), which is salted per process and would make a replay differ)."""
    return zlib.crc32(repr(sorted(path_parameters.items())).encode()) % 2 == 0


def aim_at_real_objects(case, real_objects) -> None:
    # Cases generated to be invalid keep what they were given (their point is the 4xx); of the
    # valid ones, half keep their generated ids (unknown: 404) and half meet real objects.
    negative = case.meta is not None and case.meta.generation.mode.is_negative
    if negative or not case.path_parameters or not meets_real_objects(case.path_parameters):
        return
    collection = case.path.split("/")[2]  # /api/<collection>/{id}/...
    if collection == "screening":  # /api/screening/<pairs|runs>/{id}/...
        collection = "/".join(case.path.split("/")[2:4])
    for name in case.path_parameters:
        key = {"contest_id": "contests", "user_id": "user_id", "entry_id": "entries"}.get(name, collection)
        case.path_parameters[name] = real_objects[key]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=REPLAY,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_answers_within_its_schema_and_never_500(case, auth_headers, real_objects):
    aim_at_real_objects(case, real_objects)
    # "Schema-valid input is accepted" does not hold for a contest platform: a well-formed
    # registration for a library that does not exist is rightly a 400.
    case.call_and_validate(headers=auth_headers(), excluded_checks=[positive_data_acceptance])
