"""Every judging list takes a fixed number of queries, with 1 row as with 3."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contests.enums import Aggregation, ContestStatus
from judging import closing
from judging.models import Assignment
from tests.factories import CategoryFactory, ContestFactory, CriterionFactory, RoundFactory
from tests.judging.helpers import api, assign, entries_of, mark, panel


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def grown(first_round, essays, places, organizer, count: int, crossed: bool = False):
    entries_of(essays, places.north_library, count)
    assign(first_round, organizer)
    for assignment in Assignment.objects.filter(round=first_round).exclude(score__isnull=False):
        if crossed:  # no judge effect explains these marks away: every method flags some entries
            mark(assignment, (assignment.entry_id * assignment.judge_id) % 11, assignment.entry_id % 6)
        else:
            mark(assignment, 1 + assignment.entry_id % 9, 5 - assignment.judge_id % 5)


def test_judging_lists_take_a_fixed_number_of_queries(first_round, essays, places, organizer):
    first_round.max_spread = 0  # every entry with differing marks is a disagreement
    first_round.save()
    judge, _other = panel(first_round, 2)
    urls = {
        "queue": (judge, reverse("assignment-list")),
        "panel": (organizer, reverse("round-judges", kwargs={"pk": first_round.pk})),
        "progress": (organizer, reverse("round-progress", kwargs={"pk": first_round.pk})),
        "disagreements": (organizer, reverse("round-disagreements", kwargs={"pk": first_round.pk})),
    }
    grown(first_round, essays, places, organizer, 1)
    with_one = {name: queries(api(user), url) for name, (user, url) in urls.items()}
    grown(first_round, essays, places, organizer, 2)
    with_three = {name: queries(api(user), url) for name, (user, url) in urls.items()}

    assert with_three == with_one


@pytest.mark.parametrize("aggregation", list(Aggregation))
def test_the_disagreements_take_a_fixed_number_of_queries_under_every_method(
    aggregation, first_round, essays, places, organizer, django_assert_max_num_queries
):
    """Under the normalizing methods the judges' lines are written first (a temporary table):
    a fixed number of statements too, whatever the round's size."""
    first_round.max_spread, first_round.aggregation, first_round.normalize_min_marks = 0, aggregation, 2
    first_round.save()
    panel(first_round, 3)
    url = reverse("round-disagreements", kwargs={"pk": first_round.pk})
    grown(first_round, essays, places, organizer, 2, crossed=True)
    with_two = queries(api(organizer), url)
    grown(first_round, essays, places, organizer, 4, crossed=True)
    listed = api(organizer).get(url).json()["count"]

    with django_assert_max_num_queries(with_two):
        api(organizer).get(url)
    assert listed >= 3


def test_round_results_take_a_fixed_number_of_queries(places, organizer):
    counts = []
    for size in (1, 3):
        contest = ContestFactory(network=places.north, status=ContestStatus.CLOSED)
        category = CategoryFactory(contest=contest)
        judging_round = RoundFactory(contest=contest, order=1, judges_per_entry=1)
        CriterionFactory(round=judging_round)
        panel(judging_round, 1)
        entries_of(category, places.north_library, size)
        assign(judging_round, organizer)
        for assignment in Assignment.objects.filter(round=judging_round):
            mark(assignment, 5)
        closing.round_close(actor=organizer, judging_round=judging_round)
        counts.append(queries(api(organizer), reverse("round-results", kwargs={"pk": judging_round.pk})))

    assert counts[0] == counts[1]
