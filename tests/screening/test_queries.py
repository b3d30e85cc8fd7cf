import pytest
from django.urls import reverse

from screening.models import Pair
from tests.clients import client_for
from tests.factories import EntryFactory, StudentFactory


@pytest.mark.parametrize("pairs", [1, 3])
def test_the_pair_list_costs_the_same_queries_for_one_pair_or_three(
    pairs, contest, places, organizer, django_assert_num_queries
):
    for _ in range(pairs):
        a, b = (
            EntryFactory(category__contest=contest, entrant=StudentFactory(library=places.north_library)) for _ in "ab"
        )
        Pair.objects.create(contest=contest, entry=a, other=b, similarity="0.5")
    client = client_for(organizer)

    # the organizer's networks (their paths, then the networks below), the contest asked for,
    # the count, the page with both entries of each pair, the contests whose entrants it names
    with django_assert_num_queries(6):
        response = client.get(reverse("screening-pair-list"), {"contest": contest.pk})

    assert response.json()["count"] == pairs
