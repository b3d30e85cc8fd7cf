"""One rounding convention for every figure: computed from exact values, rounded once, half up
(away from zero), to 4 decimals; round scores, leaderboard averages and participation rates agree
to the last digit in the API and the CSV, on SQLite as on PostgreSQL."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contests.enums import AdvanceRule
from core.figures import figure, sqlite_round
from judging.models import RoundResult
from results import publication
from tests.factories import LibraryFactory, RoundFactory
from tests.results.helpers import api, judged_for_real
from tests.results.test_exports import csv_rows


def test_figures_at_a_half_round_up_on_both_databases(
    judged_contest, essays, tiers, places, organizer, django_capture_on_commit_callbacks
):
    vinh = places.north_library
    vinh.student_count = 64
    vinh.save()
    province = LibraryFactory(name="Thư viện tỉnh Thái Nguyên", network=places.north_province, student_count=3)
    final = RoundFactory(contest=judged_contest, order=1, judges_per_entry=2, advance=AdvanceRule.NONE)
    # One criterion weighted 1.01: a judge's total is 1.01 x the mark, exact in 4 decimals.
    judged_for_real(
        final,
        essays,
        organizer,
        {
            "E1": (vinh, ["7.25", "7"]),  # 7.3225 and 7.07: mean 7.19625 -> 7.1963 (half even: 7.1962)
            "E2": (vinh, ["6.5", "6.5"]),  # 6.565 and 6.565: 6.565
            "E3": (province, ["7.75", "7.5"]),  # 7.8275 and 7.575: mean 7.70125 -> 7.7013 (half even: 7.7012)
        },
        weight="1.01",
    )
    with django_capture_on_commit_callbacks(execute=True):
        publication.results_publish(actor=organizer, contest=judged_contest)
    contest = {"pk": judged_contest.pk}

    results = api(None).get(reverse("contest-results", kwargs=contest)).json()["results"]
    results_csv = csv_rows(api(None).get(reverse("contest-results-csv", kwargs=contest)))
    board = api(None).get(reverse("contest-leaderboard", kwargs=contest)).json()["results"]
    board_csv = csv_rows(api(None).get(reverse("contest-leaderboard-csv", kwargs=contest)))

    stored = dict(RoundResult.objects.values_list("entry__title", "score"))
    assert stored == {"E1": Decimal("7.1963"), "E2": Decimal("6.5650"), "E3": Decimal("7.7013")}
    assert [(row["title"], row["score"]) for row in results] == [("E3", "7.7013"), ("E1", "7.1963"), ("E2", "6.5650")]
    assert [(row[5], row[6]) for row in results_csv[1:]] == [("E3", "7.7013"), ("E1", "7.1963"), ("E2", "6.5650")]
    # Vinh: (7.1963 + 6.565) / 2 = 6.88065 -> 6.8807 (half even: 6.8806); 2 / 64 = 0.03125 -> 0.0313.
    # The province's library: its one entry's score, 7.7013, and 1 / 3 -> 0.3333.
    figures = [(row["unit"]["name"], row["average_score"], row["participation_rate"]) for row in board]
    assert figures == [
        ("Thư viện Đại học Vinh", "6.8807", "0.0313"),
        ("Thư viện tỉnh Thái Nguyên", "7.7013", "0.3333"),
    ]
    assert [(row[1], row[6], row[5]) for row in board_csv[1:]] == figures


@pytest.mark.parametrize(
    ("value", "digits", "rounded"),
    [
        (7.19625, 4, 7.1963),  # the double is 7.196249999…: read as its 15 digits, as PostgreSQL casts it
        ((7.0001 + 7.0002) / 2, 4, 7.0002),  # 7.000149999999999 in binary arithmetic
        (0.00375, 4, 0.0038),
        (2.675, 2, 2.68),
        (-2.5, 0, -3.0),  # away from zero, as PostgreSQL's ROUND(numeric)
        (2.5, 0, 3.0),
        (7, 4, 7.0),
        (None, 4, None),
    ],
)
def test_sqlites_round_rounds_as_postgresql_does(value, digits, rounded):
    assert sqlite_round(value, digits) == rounded


def test_a_figure_rounds_half_up_where_python_would_round_half_to_even():
    assert (figure(Decimal("6.88065")), round(Decimal("6.88065"), 4)) == (Decimal("6.8807"), Decimal("6.8806"))
