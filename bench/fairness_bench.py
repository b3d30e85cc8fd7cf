"""How fair is each aggregation? A simulation, not a test: rounds with judges of known severity
and scale over entries of known quality, assigned by the real planner (the real service,
judging.services.round_assign, from the round's seed) and closed by the real aggregation
(judging.closing.round_close: the same SQL, here on an in-memory SQLite database, so no server
is needed). For each method it prints, over many seeds, the mean (and the worst) Spearman
correlation between the round's ranking and the true order of quality, and the share of the
true prize-winners (the best `prizes` entries) that the method puts among its prize-winners.

    make bench-fairness                 # FAIRNESS_SEEDS=40 by default; more is steadier

Cases:
- the built judges of issue 15: one harsh (45 + 0.6(q - 60)), one lenient (75 + 1.3(q - 60)),
  two fair (q), each with noise of 2 points; 24 entries of quality 40-90; 3 of the 4 judges
  per entry, then 2 of 4 (mixed by the planner), then 2 of 4 in the fixed pairs the planner
  made before it had a seed (entries by id, ties to the lower judge id; the twelve best drawn
  by one pair), for contrast;
- a random panel: 8 judges with severity ~ N(0, 6) points, scale ~ e^N(0, 0.2) and noise of
  3 points; 60 entries; 2, 3, 4 and 5 judges per entry;
- judges alike but for their noise (5 points), where the plain mean is already the right
  method: what normalizing costs when there is nothing to correct.
The trimmed mean needs 4 judges per entry (a round refuses it with fewer): n/a below.
"""

import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEEDS = int(os.environ.get("FAIRNESS_SEEDS", "40"))


def spearman(scores: dict[int, tuple[Decimal, int]], quality: dict[int, float]) -> float:
    """Spearman's correlation of the round's ranks with the true order (ties share the mean of
    their places)."""
    ids = list(quality)
    ranks = {}
    for entry_id in ids:
        rank = scores[entry_id][1]
        sharing = sum(1 for other in ids if scores[other][1] == rank)
        ranks[entry_id] = rank + (sharing - 1) / 2
    truth = {entry_id: place for place, entry_id in enumerate(sorted(ids, key=lambda e: -quality[e]), 1)}
    mean = (len(ids) + 1) / 2
    covariance = sum((ranks[e] - mean) * (truth[e] - mean) for e in ids)
    spread = (sum((ranks[e] - mean) ** 2 for e in ids) * sum((truth[e] - mean) ** 2 for e in ids)) ** 0.5
    return covariance / spread


def prize_winners_found(scores, quality, prizes: int) -> float:
    """Of the true best `prizes` entries, the share the round ranks `prizes` or better."""
    best = sorted(quality, key=lambda e: -quality[e])[:prizes]
    return sum(1 for e in best if scores[e][1] <= prizes) / prizes


class World:
    """The rows every simulated round shares: a library, an organizer, entrants, judges."""

    def __init__(self, entrants: int, judges: int):
        from people.models import Library, Network, User

        network = Network.objects.create(name="Toàn quốc", kind="national", path="")
        network.path = f"/{network.pk}/"
        network.save()
        self.library = Library.objects.create(name="Thư viện", network=network)
        self.organizer = User.objects.create(username="bantochuc", is_staff=True, is_superuser=True)
        self.entrants = User.objects.bulk_create(
            [User(username=f"hs{i}", full_name=f"Học sinh {i}", library=self.library) for i in range(entrants)]
        )
        self.judges = User.objects.bulk_create(
            [User(username=f"gk{i}", full_name=f"Giám khảo {i}") for i in range(judges)]
        )
        self.rounds = 0


def simulate(world: World, *, judges, qualities, per_entry: int, seed: int, mixed: bool, prizes: int, rng) -> dict:
    """One round: judges as (severity, scale, noise) functions, entries of these qualities.
    Returns method -> (Spearman, share of prize-winners found), or None where the round refuses
    the method."""
    from django.core.exceptions import ValidationError

    from contests.enums import Aggregation, ContestStatus, RoundStatus
    from contests.models import Category, Contest, Criterion, Round
    from judging import closing, services
    from judging.assignment import assignment_plan
    from judging.models import Assignment, Judge, RoundResult, Score
    from submissions.models import Entry

    world.rounds += 1
    contest = Contest.objects.create(
        title=f"Mô phỏng {world.rounds}",
        network=world.library.network,
        code_prefix="SIM",
        status=ContestStatus.CLOSED,
        submission_opens_at="2026-03-01T00:00:00+07:00",
        submission_closes_at="2026-06-30T00:00:00+07:00",
    )
    category = Category.objects.create(contest=contest, name="Bài viết")
    judging_round = Round.objects.create(
        contest=contest, name="Vòng 1", order=1, judges_per_entry=per_entry, assignment_seed=seed
    )
    Criterion.objects.create(round=judging_round, name="Tổng thể", weight=Decimal("0.1"), max_score=Decimal(10000))
    panel = world.judges[: len(judges)]
    Judge.objects.bulk_create([Judge(round=judging_round, user=user) for user in panel])
    entries = Entry.objects.bulk_create(
        [
            Entry(
                contest=contest,
                category=category,
                entrant=entrant,
                library=world.library,
                submitted_by=entrant,
                code=f"SIM{world.rounds}-{i}",
                title=f"Bài {i}",
                book_title="Dế Mèn phiêu lưu ký",
                book_author="Tô Hoài",
                body="Bài viết.",
                word_count=2,
            )
            for i, entrant in enumerate(world.entrants[: len(qualities)])
        ]
    )
    quality = {entry.pk: q for entry, q in zip(entries, qualities, strict=True)}
    if mixed:
        services.round_assign(actor=world.organizer, judging_round=judging_round)
    else:  # the planner as it was: no seed
        plan = assignment_plan(
            entries=[(e.pk, world.library.pk) for e in entries],
            judges=[(user.pk, []) for user in panel],
            per_entry=per_entry,
        )
        Assignment.objects.bulk_create(
            [
                Assignment(round=judging_round, entry_id=entry_id, judge_id=judge_id, created_at=contest.created_at)
                for entry_id, judge_id in plan.added
            ]
        )
    how = {user.pk: judge for user, judge in zip(panel, judges, strict=True)}
    scores = []
    for assignment in Assignment.objects.filter(round=judging_round).order_by("pk"):
        total = max(0.0, how[assignment.judge_id](quality[assignment.entry_id], rng))
        scores.append(Score(assignment=assignment, total=Decimal(f"{total:.1f}"), submitted=True))
    Score.objects.bulk_create(scores)

    figures = {}
    for aggregation in Aggregation:
        judging_round.aggregation = aggregation
        try:
            judging_round.clean()
        except ValidationError:  # the round refuses this method here
            figures[aggregation] = None
            continue
        judging_round.save()
        closing.round_close(actor=world.organizer, judging_round=judging_round)
        results = {r.entry_id: (r.score, r.rank) for r in RoundResult.objects.filter(round=judging_round)}
        figures[aggregation] = (spearman(results, quality), prize_winners_found(results, quality, prizes))
        RoundResult.objects.filter(round=judging_round).delete()
        judging_round.status = RoundStatus.SCORING
        judging_round.save()
    return figures


def built_judges(noise: float):
    return [
        lambda q, rng: 45 + 0.6 * (q - 60) + rng.gauss(0, noise),
        lambda q, rng: q + rng.gauss(0, noise),
        lambda q, rng: 75 + 1.3 * (q - 60) + rng.gauss(0, noise),
        lambda q, rng: q + rng.gauss(0, noise),
    ]


def random_judges(rng, count: int, noise: float, severity: float = 6, scale: float = 0.2):
    def judge(offset, slope):
        return lambda q, r: 60 + offset + slope * (q - 60) + r.gauss(0, noise)

    return [judge(rng.gauss(0, severity), rng.lognormvariate(0, scale)) for _ in range(count)]


def best_and_worst_alternating(qualities: list[float]) -> list[float]:
    """Entries numbered best, worst, 2nd best, 2nd worst ...: by id, one fixed pair of judges
    draws the better half."""
    ranked = sorted(qualities, reverse=True)
    half = len(ranked) // 2
    return [q for pair in zip(ranked[:half], ranked[half:], strict=True) for q in pair]


CASES = [
    # name, per entry, mixed, entries, prizes, judges(rng), key case (targets apply)
    ("built, 3 of 4", 3, True, 24, 5, lambda rng: built_judges(2), True),
    ("built, 2 of 4", 2, True, 24, 5, lambda rng: built_judges(2), True),
    ("built, 2 of 4, fixed pairs, best half to one pair", 2, False, 24, 5, lambda rng: built_judges(2), False),
    ("random 8, 2 per entry", 2, True, 60, 6, lambda rng: random_judges(rng, 8, 3), False),
    ("random 8, 3 per entry", 3, True, 60, 6, lambda rng: random_judges(rng, 8, 3), False),
    ("random 8, 4 per entry", 4, True, 60, 6, lambda rng: random_judges(rng, 8, 3), False),
    ("random 8, 5 per entry", 5, True, 60, 6, lambda rng: random_judges(rng, 8, 3), False),
    # where the mean is already right: judges alike but for their noise (5 points)
    ("alike 8, 2 per entry", 2, True, 60, 6, lambda rng: random_judges(rng, 8, 5, severity=0, scale=0), False),
    ("alike 8, 3 per entry", 3, True, 60, 6, lambda rng: random_judges(rng, 8, 5, severity=0, scale=0), False),
]


def main() -> None:
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from contests.enums import NORMALIZING, Aggregation
    from judging.signals import round_closed
    from results.receivers import leaderboard_after_round_close

    round_closed.disconnect(leaderboard_after_round_close)  # leaderboards are not what is measured
    call_command("migrate", verbosity=0)
    world = World(entrants=60, judges=8)
    started = time.perf_counter()
    print(f"fairness benchmark: {SEEDS} seeds per case; the real planner and closing, on in-memory SQLite")
    print("Spearman: mean (worst) over the seeds; prizes: share of the true prize-winners who win\n")
    verdicts = []
    for name, per_entry, mixed, count, prizes, make_judges, key in CASES:
        runs: dict = {aggregation: [] for aggregation in Aggregation}
        for seed in range(1, SEEDS + 1):
            rng = random.Random(f"{name}/{seed}")
            qualities = [rng.uniform(40, 90) for _ in range(count)]
            if not mixed:
                qualities = best_and_worst_alternating(qualities)
            figures = simulate(
                world,
                judges=make_judges(rng),
                qualities=qualities,
                per_entry=per_entry,
                seed=seed,
                mixed=mixed,
                prizes=prizes,
                rng=rng,
            )
            for aggregation, figure in figures.items():
                runs[aggregation].append(figure)
        print(f"{name} ({count} entries, {prizes} prizes)")
        summary = {}
        for aggregation, figures in runs.items():
            if any(figure is None for figure in figures):
                print(f"  {aggregation.value:<14} n/a")
                continue
            rho = statistics.fmean(f[0] for f in figures)
            summary[aggregation] = (rho, statistics.fmean(f[1] for f in figures))
            print(
                f"  {aggregation.value:<14} Spearman {rho:.3f} ({min(f[0] for f in figures):.3f})"
                f"  prizes {100 * summary[aggregation][1]:5.1f}%"
            )
        mean_rho = summary[Aggregation.WEIGHTED_MEAN][0]
        for aggregation in NORMALIZING:
            rho, found = summary[aggregation]
            if mixed:
                verdicts.append(
                    (
                        f"{name}: {aggregation.value} within 0.02 of the mean",
                        rho >= mean_rho - 0.02,
                        f"{rho - mean_rho:+.3f}",
                    )
                )
            if key:
                verdicts.append(
                    (
                        f"{name}: {aggregation.value} Spearman >= 0.95 and prizes >= 90%",
                        rho >= 0.95 and found >= 0.9,
                        f"{rho:.3f}, {100 * found:.1f}%",
                    )
                )
        print()
    print("targets (met by the z-score or the judge-effects model):")
    for what, met, figure in verdicts:
        print(f"  {'met    ' if met else 'NOT met'} {what}: {figure}")
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
