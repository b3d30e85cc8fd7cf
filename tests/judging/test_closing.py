"""Closing a round: exact scores for each aggregation on hand-computed examples, the tie-break,
who advances by each rule, and what closing refuses."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contests.enums import AdvanceRule, Aggregation, RoundStatus
from core.models import AuditEntry
from judging import closing
from judging.models import Assignment, Judge, RoundResult
from tests.factories import AssignmentFactory, CriterionFactory, JudgeFactory, RoundFactory, UserFactory
from tests.judging.helpers import api, assign, entries_of, mark, panel


@pytest.fixture
def hundred_point_round(judged_contest):
    """One criterion out of 100, weight 1: a judge's total is their mark."""
    judging_round = RoundFactory(contest=judged_contest, order=1, judges_per_entry=3, advance=AdvanceRule.NONE)
    CriterionFactory(round=judging_round, name="Tổng thể", weight=Decimal(1), max_score=Decimal(100))
    return judging_round


def judged(judging_round, essays, library, table: dict[str, list], weights=None) -> dict:
    """table: entry name -> the totals its judges give (None: that judge does not judge it).
    Judge i is the same person across entries. Returns entry name -> entry."""
    width = max(len(totals) for totals in table.values())
    judges = [JudgeFactory(round=judging_round, user=UserFactory()) for _ in range(width)]
    for judge, weight in zip(judges, weights or [], strict=False):
        judge.weight = Decimal(weight)
        judge.save()
    entries = {}
    for name, totals in table.items():
        (entry,) = entries_of(judging_round.contest.categories.get() if essays is None else essays, library, 1)
        entries[name] = entry
        for judge, total in zip(judges, totals, strict=False):
            if total is not None:
                assignment = AssignmentFactory(round=judging_round, entry=entry, judge=judge.user)
                mark(assignment, total)
    return entries


def standings(judging_round) -> dict:
    return {
        r.entry.title: (r.score, r.rank, r.advanced)
        for r in RoundResult.objects.filter(round=judging_round).select_related("entry")
    }


def close(judging_round, actor, **options):
    return closing.round_close(actor=actor, judging_round=judging_round, **options)


def titled(entries: dict) -> None:
    for name, entry in entries.items():
        entry.title = name
        entry.save()


def test_weighted_mean_counts_each_judge_by_weight(hundred_point_round, essays, places, organizer):
    entries = judged(
        hundred_point_round,
        essays,
        places.north_library,
        {"X": [80, 60, 70], "Y": [50, 90, 90]},
        weights=["2", "1", "1"],
    )
    titled(entries)

    close(hundred_point_round, organizer)

    # X: (2x80 + 60 + 70) / 4 = 72.5; Y: (2x50 + 90 + 90) / 4 = 70
    assert standings(hundred_point_round) == {
        "X": (Decimal("72.5"), 1, False),
        "Y": (Decimal("70"), 2, False),
    }


def test_median_takes_the_middle_total(hundred_point_round, essays, places, organizer):
    hundred_point_round.aggregation = Aggregation.MEDIAN
    hundred_point_round.save()
    titled(judged(hundred_point_round, essays, places.north_library, {"X": [60, 95, 70], "Y": [60, 70, 80, 95]}))

    close(hundred_point_round, organizer)

    assert standings(hundred_point_round) == {"Y": (Decimal(75), 1, False), "X": (Decimal(70), 2, False)}


def test_median_of_five_judges_or_more_is_the_middle_of_their_sorted_totals(
    hundred_point_round, essays, places, organizer
):
    hundred_point_round.aggregation = Aggregation.MEDIAN
    hundred_point_round.save()
    table = {"X": [10, 90, 70, 60, 20], "Y": [90, 10, 50, 40, 80, 30], "Z": [70, 75], "W": [55]}
    titled(judged(hundred_point_round, essays, places.north_library, table))

    close(hundred_point_round, organizer)

    # X: 10 20 [60] 70 90; Y: 10 30 [40 50] 80 90; Z: the mean of its two; W: its only total
    assert standings(hundred_point_round) == {
        "Z": (Decimal("72.5"), 1, False),
        "X": (Decimal(60), 2, False),
        "W": (Decimal(55), 3, False),
        "Y": (Decimal(45), 4, False),
    }


def test_trimmed_mean_drops_the_extremes_from_four_judges(hundred_point_round, essays, places, organizer):
    hundred_point_round.aggregation, hundred_point_round.judges_per_entry = Aggregation.TRIMMED_MEAN, 4
    hundred_point_round.save()
    titled(judged(hundred_point_round, essays, places.north_library, {"X": [60, 70, 80, 100], "Y": [60, 70, 100]}))

    close(hundred_point_round, organizer)

    # X: (70 + 80) / 2; Y (three judges, nothing dropped): 230 / 3
    assert standings(hundred_point_round) == {"Y": (Decimal("76.6667"), 1, False), "X": (Decimal(75), 2, False)}


def test_zscore_weighs_a_harsh_and_a_lenient_judge_the_same(hundred_point_round, essays, places, organizer):
    """J1 gives 40, 50, 60 (mean 50); J2 gives 70, 90, 80 (mean 80); both with standard
    deviation sqrt(200/3). All six totals: mean 65, standard deviation sqrt(875/3).
    Rescaled: 65 + z x sqrt(875/3), where z = (total - judge's mean) / sqrt(200/3);
    10 points from a judge's mean are 10 x sqrt(4.375) = 20.9165 on the round's scale.
    E1: (44.0835 + 44.0835) / 2; E2: (65 + 85.9165) / 2; E3: (85.9165 + 65) / 2."""
    hundred_point_round.aggregation = Aggregation.ZSCORE
    hundred_point_round.normalize_min_marks = 3  # three marks each: enough here, by the round's choice
    hundred_point_round.save()
    titled(judged(hundred_point_round, essays, places.north_library, {"E1": [40, 70], "E2": [50, 90], "E3": [60, 80]}))

    close(hundred_point_round, organizer)

    # E2 and E3 tie on score, and on their lowest normalized mark (65 each: J1's 50 for E2,
    # J2's 80 for E3, both at their judge's own mean), so they share the rank. On raw totals
    # the harsh J1's 60 against 50 would have decided: their severity, back in by the tie-break.
    assert standings(hundred_point_round) == {
        "E3": (Decimal("75.4583"), 1, False),
        "E2": (Decimal("75.4583"), 1, False),
        "E1": (Decimal("44.0835"), 3, False),
    }


def test_entries_equal_on_score_and_lowest_total_share_the_rank(hundred_point_round, essays, places, organizer):
    hundred_point_round.advance, hundred_point_round.advance_value = AdvanceRule.TOP_N, Decimal(2)
    hundred_point_round.save()
    titled(
        judged(
            hundred_point_round,
            essays,
            places.north_library,
            {"A": [90, 80], "B": [80, 90], "C": [85, 85], "D": [70, 70]},
        )
    )

    close(hundred_point_round, organizer)

    # Top 2: C ranks first on its lowest total; A and B share second and both advance.
    assert standings(hundred_point_round) == {
        "C": (Decimal(85), 1, True),
        "A": (Decimal(85), 2, True),
        "B": (Decimal(85), 2, True),
        "D": (Decimal(70), 4, False),
    }


def test_ranks_run_per_category(hundred_point_round, essays, places, organizer):
    from tests.factories import CategoryFactory

    videos = CategoryFactory(contest=hundred_point_round.contest, name="Video")
    titled(judged(hundred_point_round, essays, places.north_library, {"A": [90], "B": [80]}))
    titled(judged(hundred_point_round, videos, places.north_library, {"V": [50]}))

    close(hundred_point_round, organizer)

    assert {k: v[1] for k, v in standings(hundred_point_round).items()} == {"A": 1, "B": 2, "V": 1}


@pytest.mark.parametrize(
    ("rule", "value", "advancing"),
    [
        (AdvanceRule.TOP_N, "3", {"N1", "N2", "S1"}),
        (AdvanceRule.TOP_N_PER_LIBRARY, "1", {"N1", "P1", "S1"}),
        (AdvanceRule.TOP_N_PER_NETWORK, "1", {"N1", "S1"}),  # the province's library is below the north
        (AdvanceRule.THRESHOLD, "75", {"N1", "N2", "S1", "P1"}),
        (AdvanceRule.NONE, "0", set()),
    ],
)
def test_who_advances_follows_the_round_rule(hundred_point_round, essays, places, organizer, rule, value, advancing):
    from tests.factories import LibraryFactory

    province_library = LibraryFactory(network=places.north)  # same network as the north library
    hundred_point_round.advance, hundred_point_round.advance_value = rule, Decimal(value)
    hundred_point_round.save()
    titled(judged(hundred_point_round, essays, places.north_library, {"N1": [95], "N2": [90], "N3": [60]}))
    titled(judged(hundred_point_round, essays, places.south_library, {"S1": [92], "S2": [50]}))
    titled(judged(hundred_point_round, essays, province_library, {"P1": [75]}))

    close(hundred_point_round, organizer)

    assert {name for name, (_s, _r, advanced) in standings(hundred_point_round).items() if advanced} == advancing


def test_closing_refuses_while_assignments_are_unscored(first_round, essays, places, organizer):
    entries_of(essays, places.north_library, 2)
    panel(first_round, 2)
    assign(first_round, organizer)
    first = Assignment.objects.order_by("pk").first()
    mark(first, 8, 4)

    response = api(organizer).post(reverse("round-close", kwargs={"pk": first_round.pk}), HTTP_ACCEPT_LANGUAGE="en")

    assert (response.status_code, response.json()) == (
        409,
        {
            "detail": "3 assignments are not submitted yet. Wait for them, or close with force to leave them out.",
            "code": "scores_missing",
        },
    )
    first_round.refresh_from_db()
    assert (first_round.status, RoundResult.objects.count()) == (RoundStatus.SCORING, 0)


def test_forced_closing_leaves_the_unscored_out_and_lists_them(first_round, essays, places, organizer):
    scored, unscored = entries_of(essays, places.north_library, 2)
    panel(first_round, 2)
    assign(first_round, organizer)
    for assignment in Assignment.objects.filter(entry=scored):
        mark(assignment, 8, 4)
    draft = Assignment.objects.filter(entry=unscored).order_by("judge_id").first()
    mark(draft, 1, 1, submit=False)

    response = api(organizer).post(
        reverse("round-close", kwargs={"pk": first_round.pk}), {"force": True}, format="json"
    )

    expected_left_out = [
        {"assignment": a.pk, "entry": unscored.pk, "code": unscored.code, "judge": a.judge_id}
        for a in Assignment.objects.filter(entry=unscored).order_by("judge_id")
    ]
    assert response.status_code == 200
    assert response.json() == {
        "ranked": 1,
        "advanced": 1,
        "flagged": 0,
        "left_out": expected_left_out,
        "unscored_entries": [unscored.code],
        "kept_raw": [],
    }
    result = RoundResult.objects.get()
    assert (result.entry, result.score, result.rank, result.judges) == (scored, Decimal(20), 1, 2)
    audit = AuditEntry.objects.get(action="round.closed")
    assert audit.after == {
        "ranked": 1,
        "advanced": 1,
        "forced": True,
        "left_out": [a["assignment"] for a in expected_left_out],
    }


def test_closing_twice_is_refused(first_round, essays, places, organizer):
    entries_of(essays, places.north_library, 1)
    panel(first_round, 2)
    assign(first_round, organizer)
    for assignment in Assignment.objects.all():
        mark(assignment, 8, 4)
    url = reverse("round-close", kwargs={"pk": first_round.pk})

    first = api(organizer).post(url)
    second = api(organizer).post(url, HTTP_ACCEPT_LANGUAGE="en")

    assert first.status_code == 200
    assert (second.status_code, second.json()) == (
        409,
        {"detail": "This round is already closed.", "code": "round_closed"},
    )
    assert RoundResult.objects.count() == 1


def test_closing_an_unassigned_round_is_refused(first_round, organizer):
    response = api(organizer).post(reverse("round-close", kwargs={"pk": first_round.pk}))

    assert response.status_code == 409
    first_round.refresh_from_db()
    assert first_round.status == RoundStatus.SCORING


def test_disagreeing_judges_are_flagged(first_round, essays, places, organizer):
    first_round.max_spread = Decimal(5)
    first_round.save()
    calm, split = entries_of(essays, places.north_library, 2)
    panel(first_round, 2)
    assign(first_round, organizer)
    low, high = Assignment.objects.filter(entry=split).order_by("judge_id")
    mark(low, 2, 1)  # 5
    mark(high, 10, 5)  # 25
    for assignment in Assignment.objects.filter(entry=calm):
        mark(assignment, 8, 4)

    listed = api(organizer).get(reverse("round-disagreements", kwargs={"pk": first_round.pk})).json()
    close(first_round, organizer)

    assert [(e["code"], e["spread"], e["judges"], e["totals"]) for e in listed["results"]] == [
        (split.code, "20.0000", 2, ["25.0000", "5.0000"])
    ]
    assert {r.entry_id: r.flagged for r in RoundResult.objects.all()} == {calm.pk: False, split.pk: True}


def test_two_rounds_the_second_judges_only_what_the_first_forwarded(first_round, essays, places, organizer):
    entries = entries_of(essays, places.north_library, 5)
    panel(first_round, 3)
    assign(first_round, organizer)
    for assignment in Assignment.objects.select_related("entry"):
        position = entries.index(assignment.entry)
        mark(assignment, 10 - position, 5)
    final = RoundFactory(contest=first_round.contest, order=2, judges_per_entry=2, advance=AdvanceRule.NONE)
    CriterionFactory(round=final, weight=Decimal(1), max_score=Decimal(10))
    final_judge = panel(final, 2)[0]
    early = api(organizer).post(reverse("round-assign", kwargs={"pk": final.pk}), HTTP_ACCEPT_LANGUAGE="en")

    close(first_round, organizer)  # top 2 advance
    assign(final, organizer)

    assert (early.status_code, early.json()["detail"]) == (
        409,
        "The previous round must be closed first: its result decides who is in this one.",
    )
    queue = api(final_judge).get(reverse("assignment-list")).json()
    assert sorted(a["entry"]["code"] for a in queue["results"]) == sorted(e.code for e in entries[:2])
    assert Judge.objects.filter(round=final).count() == 2


def test_a_spread_exactly_at_the_limit_is_not_flagged(judged_contest, essays, places, organizer):
    judging_round = RoundFactory(contest=judged_contest, order=1, judges_per_entry=2, max_spread=Decimal("0.3"))
    CriterionFactory(round=judging_round, weight=Decimal("0.1"), max_score=Decimal(100))
    (entry,) = judged(judging_round, essays, places.north_library, {"X": [11, 8]}).values()

    close(judging_round, organizer)

    result = RoundResult.objects.get(entry=entry)
    # totals 1.1 and 0.8: in floating point 1.1 - 0.8 is 0.30000000000000004, over the limit
    assert (result.spread, result.lowest, result.score, result.flagged) == (
        Decimal("0.3"),
        Decimal("0.8"),
        Decimal("0.95"),
        False,
    )


def test_closing_refuses_while_an_entry_has_no_judges(first_round, essays, places, organizer):
    entries_of(essays, places.north_library, 1)
    panel(first_round, 2)
    assign(first_round, organizer)
    for assignment in Assignment.objects.all():
        mark(assignment, 8, 4)
    (late,) = entries_of(essays, places.north_library, 1)  # came in after the assignment ran

    refused = api(organizer).post(reverse("round-close", kwargs={"pk": first_round.pk}), HTTP_ACCEPT_LANGUAGE="en")
    forced = api(organizer).post(reverse("round-close", kwargs={"pk": first_round.pk}), {"force": True}, format="json")

    assert (refused.status_code, refused.json()["detail"]) == (
        409,
        "1 entries of this round have no judges; run the assignment again.",
    )
    assert (forced.status_code, forced.json()["ranked"], forced.json()["unscored_entries"]) == (200, 1, [late.code])
