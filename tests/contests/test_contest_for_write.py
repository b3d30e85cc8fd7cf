"""contests.services.contest_for_write: the one way an organizer's write to a contest starts."""

import pytest
from django.db import transaction

from contests.enums import ContestStatus
from contests.models import Contest
from contests.services import ResultsPublished, contest_for_write
from core.errors import NotAllowed
from tests.factories import NetworkOrganizerFactory


@pytest.fixture
def organizer(role_users):
    return role_users["network_organizer"]


def test_contest_for_write_returns_the_row_as_it_is_now(organizer, contest):
    Contest.objects.filter(pk=contest.pk).update(title="Tên mới")

    with transaction.atomic():
        locked = contest_for_write(organizer, contest)

    assert (locked.pk, locked.title) == (contest.pk, "Tên mới")


def test_contest_for_write_refuses_an_organizer_of_another_network(places, contest):
    stranger = NetworkOrganizerFactory(network=places.south).user

    with transaction.atomic(), pytest.raises(NotAllowed):
        contest_for_write(stranger, contest)


def test_contest_for_write_refuses_once_the_contest_moved_to_a_network_the_actor_does_not_run(
    organizer, places, contest
):
    Contest.objects.filter(pk=contest.pk).update(network=places.south)  # meanwhile, by another organizer

    with transaction.atomic(), pytest.raises(NotAllowed):
        contest_for_write(organizer, contest)  # the caller's copy still says north


@pytest.mark.parametrize("status", [ContestStatus.PUBLISHED, ContestStatus.ARCHIVED])
def test_contest_for_write_refuses_once_the_results_are_out_unless_told_otherwise(organizer, contest, status):
    Contest.objects.filter(pk=contest.pk).update(status=status)

    with transaction.atomic(), pytest.raises(ResultsPublished):
        contest_for_write(organizer, contest)
    with transaction.atomic():
        locked = contest_for_write(organizer, contest, frozen_ok=True)

    assert locked.status == status


def test_contest_for_write_lets_the_platform_itself_through(contest):
    with transaction.atomic():
        locked = contest_for_write(None, contest)  # the scheduled publication: no actor

    assert locked.pk == contest.pk
