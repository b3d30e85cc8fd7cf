"""Fair scoring: the built cases of a harsh and a lenient judge, judges who cannot be
normalized, panel weights under every method, tie-break and flags on the method's scale.

The built cases: 24 entries of known quality q = 40, 42, ..., 86 and four judges, one harsh
(45 + 0.6(q - 60)), one lenient (75 + 1.3(q - 60)) and two who give q itself. The figures in
the docstrings were worked out apart from the code under test (by hand for the small cases, by
a separate script in plain Python for the 24-entry ones: the ranks each method gives)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contests.enums import AdvanceRule, Aggregation, RoundStatus
from judging import closing
from judging.models import Assignment, RoundResult
from tests.factories import AssignmentFactory, CriterionFactory, JudgeFactory, RoundFactory, UserFactory
from tests.judging.helpers import api, assign, entries_of, mark

QUALITIES = [40 + 2 * k for k in range(24)]
JUDGES = {
    "harsh": lambda q: Decimal(45) + Decimal("0.6") * (q - 60),
    "fair1": Decimal,
    "lenient": lambda q: Decimal(75) + Decimal("1.3") * (q - 60),
    "fair2": Decimal,
}


@pytest.fixture
def tenth_point_round(judged_contest):
    """One criterion out of 2000, weight 0.1: a judge's total is their mark / 10, so that the
    built judges' totals (one decimal, up to 108.8) are marks in whole points."""
    judging_round = RoundFactory(contest=judged_contest, order=1, judges_per_entry=3, advance=AdvanceRule.NONE)
    CriterionFactory(round=judging_round, name="Tổng thể", weight=Decimal("0.1"), max_score=Decimal(2000))
    return judging_round


def built_round(judging_round, essays, library, qualities):
    """The four built judges on the round and one entry per quality, created (so numbered) in
    the order given. Returns (judge user id -> judge's function, entry -> quality)."""
    judges = {JudgeFactory(round=judging_round, user=UserFactory()).user: how for how in JUDGES.values()}
    entries = dict(zip(entries_of(essays, library, len(qualities)), qualities, strict=True))
    return judges, entries


def marked_by_the_built_judges(judging_round, judges, entries):
    for assignment in Assignment.objects.filter(round=judging_round).select_related("judge", "entry"):
        total = judges[assignment.judge](entries[assignment.entry])
        mark(assignment, total * 10)


def closed_by(judging_round, aggregation, organizer):
    """Closes the round by this method and returns entry id -> (score, rank); then opens it
    again, so that the same marks can be closed by another method."""
    judging_round.aggregation = aggregation
    judging_round.save()
    report = closing.round_close(actor=organizer, judging_round=judging_round)
    results = {r.entry_id: (r.score, r.rank) for r in RoundResult.objects.filter(round=judging_round)}
    RoundResult.objects.filter(round=judging_round).delete()
    judging_round.status = RoundStatus.SCORING
    judging_round.save()
    return results, report


def true_ranks_in_order(results, entries) -> list[int]:
    """The true rank (1 = best quality) of each entry, in the order the method ranked them."""
    truth = _true_ranks(entries)
    return [truth[entry_id] for _rank, _score, entry_id in sorted((r, -s, e) for e, (s, r) in results.items())]


def _true_ranks(entries) -> dict[int, int]:
    return {entry.pk: 1 + sorted(entries.values(), reverse=True).index(q) for entry, q in entries.items()}


def spearman(results, entries) -> float:
    """Spearman's correlation of the method's ranks with the true ones; entries sharing a rank
    get the mean of the places they share (the usual treatment of ties)."""
    truth, ranks = _true_ranks(entries), {}
    for entry_id, (_score, rank) in results.items():
        sharing = sum(1 for _s, r in results.values() if r == rank)
        ranks[entry_id] = rank + (sharing - 1) / 2
    n = len(ranks)
    mean = (n + 1) / 2
    covariance = sum((ranks[e] - mean) * (truth[e] - mean) for e in ranks)
    spread = (sum((ranks[e] - mean) ** 2 for e in ranks) * sum((truth[e] - mean) ** 2 for e in ranks)) ** 0.5
    return round(covariance / spread, 3)


def test_three_judges_of_four_the_mean_misranks_and_normalizing_recovers_the_truth(
    tenth_point_round, essays, places, organizer
):
    """Entry k (qualities ascending) is judged by every judge but the k mod 4-th: an entry
    the lenient judge skips loses 7.5 to 10 points on the mean. The mean gets 10 of 24 places
    right and gives its fourth place (a prize of five) to the true 8th; the z-score and the
    judge-effects model get all 24 right, and the model's scores are exactly the average
    judge's reading of the quality: offset (9 + 0 - 3 + 0) / 4 = 1.5 and scale
    (0.6 + 1 + 1.3 + 1) / 4 = 0.975 (the harsh judge is 9 + 0.6q, the lenient -3 + 1.3q),
    so 1.5 + 0.975q: 85.35 for q = 86, 40.5 for q = 40."""
    judges, entries = built_round(tenth_point_round, essays, places.north_library, QUALITIES)
    panel = list(judges)
    for k, entry in enumerate(entries):
        for skipped, judge in enumerate(panel):
            if skipped != k % 4:
                AssignmentFactory(round=tenth_point_round, entry=entry, judge=judge)
    marked_by_the_built_judges(tenth_point_round, judges, entries)

    mean_results, _report = closed_by(tenth_point_round, Aggregation.WEIGHTED_MEAN, organizer)
    zscore_results, _report = closed_by(tenth_point_round, Aggregation.ZSCORE, organizer)
    mean, zscore = true_ranks_in_order(mean_results, entries), true_ranks_in_order(zscore_results, entries)
    model, report = closed_by(tenth_point_round, Aggregation.JUDGE_EFFECTS, organizer)

    assert (mean[:5], sum(p == t for p, t in enumerate(mean, 1)), spearman(mean_results, entries)) == (
        [4, 1, 3, 8, 5],
        10,
        0.958,
    )
    assert zscore == list(range(1, 25))
    assert true_ranks_in_order(model, entries) == list(range(1, 25))
    assert {model[entry.pk][0] for entry in entries} == {
        Decimal("1.5") + Decimal("0.975") * q for q in entries.values()
    }
    assert report.kept_raw == []


def two_of_four_entries(tenth_point_round, essays, places):
    """Entries numbered best, worst, 2nd best, 2nd worst ...: the 12 best have the odd places
    in the id order."""
    ranked = sorted(QUALITIES, reverse=True)
    qualities = [q for pair in zip(ranked[:12], ranked[12:], strict=True) for q in pair]
    tenth_point_round.judges_per_entry = 2
    tenth_point_round.save()
    return built_round(tenth_point_round, essays, places.north_library, qualities)


def test_two_judges_of_four_in_fixed_pairs_the_zscore_gives_a_prize_to_the_13th(
    tenth_point_round, essays, places, organizer
):
    """The design the planner made without a seed: by entry id, the harsh judge and a fair one
    take every odd entry (the 12 best), the lenient one and the other fair one every even
    entry (the 12 worst). Each pair's pool is standardized to the same mean, so the z-score
    interleaves the two halves: the true 13th ranks 2nd (the k-th of each half tie exactly;
    Spearman 0.499, 2 of 24 places right); the mean, which keeps the halves apart, gets 0.828."""
    judges, entries = two_of_four_entries(tenth_point_round, essays, places)
    harsh, fair1, lenient, fair2 = judges
    for position, entry in enumerate(entries):
        for judge in (harsh, fair1) if position % 2 == 0 else (lenient, fair2):
            AssignmentFactory(round=tenth_point_round, entry=entry, judge=judge)
    marked_by_the_built_judges(tenth_point_round, judges, entries)

    mean_results, _report = closed_by(tenth_point_round, Aggregation.WEIGHTED_MEAN, organizer)
    zscore_results, _report = closed_by(tenth_point_round, Aggregation.ZSCORE, organizer)
    mean, zscore = true_ranks_in_order(mean_results, entries), true_ranks_in_order(zscore_results, entries)

    assert (zscore[:5], sum(p == t for p, t in enumerate(zscore, 1)), spearman(zscore_results, entries)) == (
        [1, 13, 2, 14, 3],
        2,
        0.499,
    )
    assert (mean[:5], spearman(mean_results, entries)) == ([1, 2, 3, 13, 4], 0.828)


def test_two_judges_of_four_mixed_by_the_planner_the_normalizing_methods_recover_the_truth(
    tenth_point_round, essays, places, organizer
):
    """The same entries and judges, assigned by the real service from a seed: every pair of
    judges meets, the design is one component. The judge-effects model then reads every
    entry exactly (1.5 + 0.975q: the judges have 12 marks each, so the average judge is the
    same as above); the z-score, whose judges' pools are now comparable samples of the round,
    comes close (Spearman 0.993, the issue's target being 0.95: with 12 marks a judge's mean and
    deviation are estimates, so a few neighbours swap); the mean still misranks (0.897)."""
    judges, entries = two_of_four_entries(tenth_point_round, essays, places)
    tenth_point_round.assignment_seed = 1
    tenth_point_round.save()
    assigned = assign(tenth_point_round, organizer)
    marked_by_the_built_judges(tenth_point_round, judges, entries)

    mean_results, _report = closed_by(tenth_point_round, Aggregation.WEIGHTED_MEAN, organizer)
    zscore_results, _report = closed_by(tenth_point_round, Aggregation.ZSCORE, organizer)
    zscore = true_ranks_in_order(zscore_results, entries)
    model, _report = closed_by(tenth_point_round, Aggregation.JUDGE_EFFECTS, organizer)

    assert (assigned.design["components"], assigned.design["smallest_overlap"], assigned.lightest_load) == (1, 3, 12)
    assert true_ranks_in_order(model, entries) == list(range(1, 25))
    assert {model[entry.pk][0] for entry in entries} == {
        Decimal("1.5") + Decimal("0.975") * q for q in entries.values()
    }
    # the z-score: three neighbouring pairs and one triple of entries 2 to 6 points apart swapped
    assert (zscore, spearman(zscore_results, entries)) == (
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 13, 15, 16, 17, 20, 18, 19, 23, 22, 21, 24],
        0.993,
    )
    assert spearman(mean_results, entries) == 0.897  # the same marks, averaged raw


@pytest.fixture
def hundred_point_round(judged_contest):
    """One criterion out of 100, weight 1: a judge's total is their mark."""
    judging_round = RoundFactory(contest=judged_contest, order=1, judges_per_entry=2, advance=AdvanceRule.NONE)
    CriterionFactory(round=judging_round, name="Tổng thể", weight=Decimal(1), max_score=Decimal(100))
    return judging_round


def judged(judging_round, essays, library, table: dict[str, list], weights=None) -> dict:
    """table: entry name -> the totals its judges give (None: that judge does not judge it).
    Judge i is the same person across entries. Returns entry name -> entry (titled by name)."""
    width = max(len(totals) for totals in table.values())
    judges = [JudgeFactory(round=judging_round, user=UserFactory()) for _ in range(width)]
    for judge, weight in zip(judges, weights or [], strict=False):
        judge.weight = Decimal(weight)
        judge.save()
    entries = {}
    for name, totals in table.items():
        (entry,) = entries_of(essays, library, 1)
        entry.title = name
        entry.save()
        entries[name] = entry
        for judge, total in zip(judges, totals, strict=False):
            if total is not None:
                mark(AssignmentFactory(round=judging_round, entry=entry, judge=judge.user), total)
    entries["judges"] = [judge.user for judge in judges]
    return entries


def standings(judging_round) -> dict:
    return {
        r.entry.title: (r.score, r.rank, r.lowest, r.spread, r.flagged)
        for r in RoundResult.objects.filter(round=judging_round).select_related("entry")
    }


def scores(judging_round) -> dict:
    return {title: row[0] for title, row in standings(judging_round).items()}


# A judges E1..E5 50, 60, 70, 80, 90 (mean 70, deviation sqrt(200)); B 60, 65, 70, 75, 80 (mean
# 70, deviation sqrt(50)). Their ten totals: mean 70, variance (200 + 50) / 2 = 125. Both give
# each entry the same z (-sqrt(2), -sqrt(2)/2, 0, ...), so E1..E5 score 70 + z sqrt(125):
# 54.1886, 62.0943, 70, 77.9057, 85.8114.
A_AND_B = {"E1": [50, 60], "E2": [60, 65], "E3": [70, 70], "E4": [80, 75], "E5": [90, 80]}
A_AND_B_SCORES = {
    "E1": Decimal("54.1886"),
    "E2": Decimal("62.0943"),
    "E3": Decimal(70),
    "E4": Decimal("77.9057"),
    "E5": Decimal("85.8114"),
}


def test_zscore_keeps_a_judge_with_two_marks_as_given(hundred_point_round, essays, places, organizer):
    """C marked two entries, 70 and 71. Standardized over two marks they would be z = -1 and
    +1, i.e. 70 -/+ 11.18 however close they are, and C's totals would shift the round's mean
    and deviation for everybody. Kept as given: E6 70, E7 71, and E1..E5 exactly as without C."""
    hundred_point_round.aggregation = Aggregation.ZSCORE
    hundred_point_round.save()
    table = A_AND_B | {"E6": [None, None, 70], "E7": [None, None, 71]}
    entries = judged(hundred_point_round, essays, places.north_library, table)
    c = entries["judges"][2]

    report = closing.round_close(actor=organizer, judging_round=hundred_point_round)

    assert scores(hundred_point_round) == A_AND_B_SCORES | {"E6": Decimal(70), "E7": Decimal(71)}
    assert report.kept_raw == [{"judge": c.pk, "marks": 2, "reason": "few_marks"}]


def test_zscore_keeps_a_judge_who_gives_every_entry_the_same_total_as_given(
    hundred_point_round, essays, places, organizer
):
    """D gives each of their 5 entries 75: no spread to divide by. (Before, their marks all
    became the round's mean, silently.) Kept as given, and out of the round's mean and
    deviation: E1 = (54.1886 + 54.1886 + 75) / 3 = 61.1257, E6 (D alone) 75."""
    hundred_point_round.aggregation = Aggregation.ZSCORE
    hundred_point_round.save()
    table = {name: [*totals, 75] for name, totals in A_AND_B.items()} | {"E6": [None, None, 75]}
    entries = judged(hundred_point_round, essays, places.north_library, table)

    report = closing.round_close(actor=organizer, judging_round=hundred_point_round)

    assert scores(hundred_point_round) == {
        "E1": Decimal("61.1257"),
        "E2": Decimal("66.3962"),  # (62.0943 x 2 + 75) / 3
        "E3": Decimal("71.6667"),
        "E4": Decimal("76.9371"),
        "E5": Decimal("82.2076"),
        "E6": Decimal(75),
    }
    assert report.kept_raw == [{"judge": entries["judges"][2].pk, "marks": 6, "reason": "no_spread"}]


def test_judge_effects_keeps_judges_it_cannot_fit_as_given(hundred_point_round, essays, places, organizer):
    """With 5 marks needed and 2 each, nobody is fitted: the model is the weighted mean
    (judge 1 counts twice): X (2 x 60 + 90) / 3 = 70, Y (2 x 80 + 50) / 3 = 70."""
    hundred_point_round.aggregation = Aggregation.JUDGE_EFFECTS
    hundred_point_round.save()
    entries = judged(
        hundred_point_round, essays, places.north_library, {"X": [60, 90], "Y": [80, 50]}, weights=["2", "1"]
    )

    report = closing.round_close(actor=organizer, judging_round=hundred_point_round)

    assert scores(hundred_point_round) == {"X": Decimal(70), "Y": Decimal(70)}
    assert report.kept_raw == [
        {"judge": judge.pk, "marks": 2, "reason": "few_marks"}
        for judge in sorted(entries["judges"], key=lambda u: u.pk)
    ]


def test_zscore_counts_each_judge_by_their_weight(hundred_point_round, essays, places, organizer):
    """A (weight 2) as above; B (weight 1) the other way round: 80, 75, 70, 65, 60. The round's
    mean and deviation are unchanged, A's normalized marks are 54.1886, 62.0943, 70, ...,
    B's 85.8114, 77.9057, 70, .... Weighted: E1 (2 x 54.1886 + 85.8114) / 3 = 64.7295,
    E2 (2 x 62.0943 + 77.9057) / 3 = 67.3648, E3 70, E4 72.6352, E5 75.2705 (unweighted, all 70)."""
    hundred_point_round.aggregation = Aggregation.ZSCORE
    hundred_point_round.save()
    table = {"E1": [50, 80], "E2": [60, 75], "E3": [70, 70], "E4": [80, 65], "E5": [90, 60]}
    judged(hundred_point_round, essays, places.north_library, table, weights=["2", "1"])

    closing.round_close(actor=organizer, judging_round=hundred_point_round)

    assert scores(hundred_point_round) == {
        "E1": Decimal("64.7295"),
        "E2": Decimal("67.3648"),
        "E3": Decimal(70),
        "E4": Decimal("72.6352"),
        "E5": Decimal("75.2705"),
    }


def test_median_counts_each_judge_by_their_weight(hundred_point_round, essays, places, organizer):
    """Judge 1 weighs 2, as if they were two judges: X reads 60, 60, 70, 95: median 65 (70
    unweighted); Y 50, 80, 80, 90: 80 (unweighted, 80 of 50, 80, 90 too); Z, judge 1 alone: 40."""
    hundred_point_round.aggregation = Aggregation.MEDIAN
    hundred_point_round.save()
    table = {"X": [60, 70, 95], "Y": [80, 50, 90], "Z": [40, None, None]}
    judged(hundred_point_round, essays, places.north_library, table, weights=["2", "1", "1"])

    closing.round_close(actor=organizer, judging_round=hundred_point_round)

    assert scores(hundred_point_round) == {"X": Decimal(65), "Y": Decimal(80), "Z": Decimal(40)}


def test_trimmed_mean_counts_each_judge_by_their_weight(hundred_point_round, essays, places, organizer):
    """Four judges, the first weighing 2; the highest and the lowest total are dropped, then the
    weighted mean: X drops 60 (judge 1) and 100: (70 + 80) / 2 = 75; Y drops 60 and 100:
    (2 x 90 + 70) / 3 = 83.3333 (80 unweighted); W, three judges, nothing dropped:
    (2 x 60 + 70 + 100) / 4 = 72.5."""
    hundred_point_round.aggregation, hundred_point_round.judges_per_entry = Aggregation.TRIMMED_MEAN, 4
    hundred_point_round.save()
    table = {"X": [60, 70, 80, 100], "Y": [90, 60, 70, 100], "W": [60, 70, 100, None]}
    judged(hundred_point_round, essays, places.north_library, table, weights=["2", "1", "1", "1"])

    closing.round_close(actor=organizer, judging_round=hundred_point_round)

    assert scores(hundred_point_round) == {"X": Decimal(75), "Y": Decimal("83.3333"), "W": Decimal("72.5")}


def test_zscore_flags_and_breaks_ties_on_the_normalized_marks(hundred_point_round, essays, places, organizer):
    """J1 gives 40, 50, 60, J2 70, 90, 80 (the harsh and the lenient judge of test_closing):
    raw spreads 30, 40, 20 would flag E1 and E2 over a limit of 25. Normalized, E1's two marks
    are both 44.0835 (spread 0) and E2's and E3's 65 and 85.9165 (spread 20.9165): no flag.
    E2 and E3 tie on score (75.4583) and on their lowest normalized mark (65): they share rank
    1, where the raw lowest totals (50 and 60, both the harsh judge's) would have split them."""
    hundred_point_round.aggregation, hundred_point_round.normalize_min_marks = Aggregation.ZSCORE, 3
    hundred_point_round.max_spread = Decimal(25)
    hundred_point_round.save()
    judged(hundred_point_round, essays, places.north_library, {"E1": [40, 70], "E2": [50, 90], "E3": [60, 80]})

    report = closing.round_close(actor=organizer, judging_round=hundred_point_round)

    assert standings(hundred_point_round) == {
        "E1": (Decimal("44.0835"), 3, Decimal("44.0835"), Decimal(0), False),
        "E2": (Decimal("75.4583"), 1, Decimal(65), Decimal("20.9165"), False),
        "E3": (Decimal("75.4583"), 1, Decimal(65), Decimal("20.9165"), False),
    }
    assert report.flagged == 0


# The live disagreement list (GET /api/rounds/{id}/disagreements/) and closing's flag read the
# same spread, on the method's scale (judging.scales). Two built judges mark E1..E5: H, harsh and
# narrow (mean 40, deviations 3k), and L, lenient and wide (mean 64, deviations 4k), for k = -2..2.
# Their ten totals: mean 52, variance (90 + 160) / 10 + 12^2 = 169, deviation 13. H's deviation is
# sqrt(18) = 3 sqrt(2), L's sqrt(32) = 4 sqrt(2): a total with deviation k times theirs is z =
# k / sqrt(2), which the z-score reads as 52 + 13 k / sqrt(2) = 52 + 9.1924 k, for either judge.
# AGREEING: both order E1..E5 alike (k = -2..2): raw spreads 22, 23, 24, 25, 26, all over a limit
# of 10; on the common scale both judges give each entry the same mark: spread 0.
AGREEING = {"E1": [34, 56], "E2": [37, 60], "E3": [40, 64], "E4": [43, 68], "E5": [46, 72]}
# CROSSED: H gives E1 its highest total (k = 2) where L gives it its lowest (k = -2); then H's
# k = -2, -1, 0, 1 for E2..E5 against L's -1, 0, 1, 2. Raw spreads 10, 26, 27, 28, 29: under a
# limit of 12, the mean flags E2..E5, not E1. On the common scale: 9.1924 |k_H - k_L| =
# 36.7696 for E1 (4 x 13 / sqrt(2)), 9.1924 for E2..E5: the z-score flags E1 alone.
CROSSED = {"E1": [46, 56], "E2": [34, 60], "E3": [37, 64], "E4": [40, 68], "E5": [43, 72]}


def disagreements_listed(judging_round, organizer) -> list[tuple[str, str]]:
    response = api(organizer).get(reverse("round-disagreements", kwargs={"pk": judging_round.pk}))
    assert response.status_code == 200
    return [(row["title"], row["spread"]) for row in response.json()["results"]]


def flagged_at_closing(judging_round, organizer) -> list[tuple[str, str]]:
    closing.round_close(actor=organizer, judging_round=judging_round)
    return [
        (r.entry.title, f"{r.spread:.4f}")
        for r in RoundResult.objects.filter(round=judging_round, flagged=True)
        .select_related("entry")
        .order_by("-spread", "entry__code")
    ]


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [
        (
            Aggregation.WEIGHTED_MEAN,
            [("E5", "26.0000"), ("E4", "25.0000"), ("E3", "24.0000"), ("E2", "23.0000"), ("E1", "22.0000")],
        ),
        (Aggregation.ZSCORE, []),
        (Aggregation.JUDGE_EFFECTS, []),  # the model fits both judges exactly: one mark per entry
    ],
)
def test_a_harsh_and_a_lenient_judge_who_agree_are_a_disagreement_only_on_raw_totals(
    aggregation, expected, hundred_point_round, essays, places, organizer
):
    hundred_point_round.aggregation, hundred_point_round.max_spread = aggregation, Decimal(10)
    hundred_point_round.save()
    judged(hundred_point_round, essays, places.north_library, AGREEING)

    live = disagreements_listed(hundred_point_round, organizer)
    closed = flagged_at_closing(hundred_point_round, organizer)

    assert live == expected
    assert closed == expected


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [
        (Aggregation.WEIGHTED_MEAN, [("E5", "29.0000"), ("E4", "28.0000"), ("E3", "27.0000"), ("E2", "26.0000")]),
        (Aggregation.ZSCORE, [("E1", "36.7696")]),
    ],
)
def test_judges_who_cross_are_a_disagreement_on_the_common_scale_however_close_their_totals(
    aggregation, expected, hundred_point_round, essays, places, organizer
):
    hundred_point_round.aggregation, hundred_point_round.max_spread = aggregation, Decimal(12)
    hundred_point_round.save()
    judged(hundred_point_round, essays, places.north_library, CROSSED)

    live = disagreements_listed(hundred_point_round, organizer)
    closed = flagged_at_closing(hundred_point_round, organizer)

    assert live == expected
    assert closed == expected


@pytest.mark.parametrize("aggregation", list(Aggregation))
def test_the_live_list_flags_what_closing_flags_under_every_method(
    aggregation, hundred_point_round, essays, places, organizer
):
    """The crossed judges again, and a third entry set marked by a third judge with few marks
    (kept as given under the normalizing methods): whatever the method, the list shown while
    judges mark is, entry for entry and to the last decimal, the flags closing then sets."""
    hundred_point_round.aggregation, hundred_point_round.max_spread = aggregation, Decimal(9)
    hundred_point_round.save()
    table = {name: [*totals, None] for name, totals in CROSSED.items()}
    table |= {"E6": [50, None, 61], "E7": [38, None, 40]}
    judged(hundred_point_round, essays, places.north_library, table)

    live = disagreements_listed(hundred_point_round, organizer)
    closed = flagged_at_closing(hundred_point_round, organizer)

    assert live == closed
    assert live  # something is flagged under every method


def test_a_trimmed_mean_with_fewer_than_four_judges_per_entry_is_refused(judged_contest, organizer):
    """With 3 judges, dropping the highest and the lowest leaves the median at best; the
    round's trimmed mean took 3 judges' mean: the plain mean under another name."""
    response = api(organizer).post(
        reverse("contest-rounds", kwargs={"pk": judged_contest.pk}),
        {
            "name": "Chung khảo",
            "order": 3,
            "judges_per_entry": 3,
            "aggregation": "trimmed_mean",
            "criteria": [{"name": "Nội dung", "weight": "1", "max_score": "10"}],
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert (response.status_code, response.json()) == (
        400,
        {
            "aggregation": [
                "A trimmed mean needs at least 4 judges per entry: with fewer it drops nothing and is the plain mean. "
                "Choose the mean or the median, or more judges."
            ]
        },
    )


def test_anchors_go_to_every_judge_on_top_of_their_load_and_calibrate_them(
    hundred_point_round, essays, places, organizer
):
    """One judge per entry, three judges, four entries, E1 an anchor: everybody marks E1 (50,
    60, 70 by judge), then their one regular entry (80 each). Against the other two on E1, the
    first judge is 15 points harsher (50 against 65), the third 15 more lenient. Each has 2
    marks (mean 65, 70, 75; spread 15, 10, 5), too few to normalize. The panel: mean 70,
    deviation sqrt(800 / 6) = 11.547."""
    hundred_point_round.judges_per_entry = 1
    hundred_point_round.save()
    e1, *_others = entries_of(essays, places.north_library, 4)
    judges = sorted(
        (JudgeFactory(round=hundred_point_round, user=UserFactory()).user for _ in range(3)), key=lambda u: u.pk
    )
    url = reverse("round-anchors", kwargs={"pk": hundred_point_round.pk})

    added = api(organizer).post(url, {"entry": e1.pk}, format="json")
    again = api(organizer).post(url, {"entry": e1.pk}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    report = assign(hundred_point_round, organizer)
    for judge, total in zip(judges, [50, 60, 70], strict=True):
        mark(Assignment.objects.get(entry=e1, judge=judge), total)
    for assignment in Assignment.objects.filter(round=hundred_point_round, is_anchor=False):
        mark(assignment, 80)
    calibration = api(organizer).get(reverse("round-calibration", kwargs={"pk": hundred_point_round.pk})).json()

    assert (added.status_code, added.json()["code"]) == (201, e1.code)
    assert (again.status_code, again.json()) == (409, {"entry": ["This entry is already an anchor of this round."]})
    assert (report.anchored, report.added, report.lightest_load, report.heaviest_load) == (3, 3, 1, 1)
    assert Assignment.objects.filter(entry=e1, is_anchor=True).count() == 3
    by_judge = {row["user"]: row for row in calibration["judges"]}
    assert [
        (
            by_judge[j.pk]["marks"],
            by_judge[j.pk]["anchors"],
            by_judge[j.pk]["shared"],
            by_judge[j.pk]["mean"],
            by_judge[j.pk]["spread"],
            by_judge[j.pk]["severity"],
            by_judge[j.pk]["agreement"],
            by_judge[j.pk]["flags"],
        )
        for j in judges
    ] == [
        (2, 1, 1, 65.0, 15.0, -15.0, None, ["few_marks"]),
        (2, 1, 1, 70.0, 10.0, 0.0, None, ["few_marks"]),
        (2, 1, 1, 75.0, 5.0, 15.0, None, ["few_marks"]),
    ]
    assert (calibration["marks"], calibration["panel_mean"], calibration["panel_spread"]) == (6, 70.0, 11.547)


def test_a_removed_anchor_loses_its_unmarked_anchor_assignments_at_the_next_run(
    hundred_point_round, essays, places, organizer
):
    hundred_point_round.judges_per_entry = 1
    hundred_point_round.save()
    e1, _e2 = entries_of(essays, places.north_library, 2)
    for _ in range(3):
        JudgeFactory(round=hundred_point_round, user=UserFactory())
    api(organizer).post(
        reverse("round-anchors", kwargs={"pk": hundred_point_round.pk}), {"entry": e1.pk}, format="json"
    )
    assign(hundred_point_round, organizer)

    removed = api(organizer).delete(
        reverse("round-anchor-remove", kwargs={"pk": hundred_point_round.pk, "entry_id": e1.pk})
    )
    report = assign(hundred_point_round, organizer)

    assert removed.status_code == 204
    assert (report.removed, report.added, report.anchored) == (3, 1, 0)
    assert Assignment.objects.filter(entry=e1).count() == 1


def test_the_round_shows_its_seed_and_design_after_the_assignment(hundred_point_round, essays, places, organizer):
    entries_of(essays, places.north_library, 6)
    for _ in range(3):
        JudgeFactory(round=hundred_point_round, user=UserFactory())
    url = reverse("round-detail", kwargs={"pk": hundred_point_round.pk})
    before = api(organizer).get(url).json()

    assign(hundred_point_round, organizer)
    after = api(organizer).get(url).json()

    hundred_point_round.refresh_from_db()
    assert (before["assignment_seed"], before["design"], before["normalize_min_marks"]) == (None, None, 5)
    assert after["assignment_seed"] == hundred_point_round.assignment_seed is not None
    assert after["design"] == {
        "judges": 3,
        "components": 1,
        "largest_component": 3,
        "fewest_co_judges": 2,
        "smallest_overlap": 2,  # 6 entries x 2 judges over 3 pairs: each pair shares 2 (the loads are even)
    }
