"""The year before: "Đại sứ Văn hóa đọc 2024", judged in two rounds by the same panel, prizes
awarded and its result published, so that results, prizes and leaderboards have something to
show from the first start."""

import random

from certificates.services import certificates_issue, design_update
from contests.models import Contest
from demo.contest import demo_entries_seed
from demo.judging import demo_past_contest, demo_round_assign, demo_round_mark
from judging import closing
from judging import services as judging
from people.models import User
from results.enums import CollectiveBasis, Unit
from results.leaderboard import leaderboard_refresh
from results.models import CollectiveAward, LeaderboardRow, ResultNotice
from results.prizes import collective_award_give
from results.publication import results_publish
from submissions.models import Entry

TITLE_2024 = "Đại sứ Văn hóa đọc 2024"
EVERY = 3  # one student in three took part that year


def demo_contest_2024_seed(*, organizer: User, national, judges: list[User]) -> tuple[Contest, bool]:
    """Made once, judged and published; found again (even unpublished by hand since), it is
    left alone."""
    contest = Contest.objects.filter(title=TITLE_2024).first()
    if contest is not None:
        return contest, False
    contest = demo_past_contest(
        organizer=organizer,
        national=national,
        title=TITLE_2024,
        code_prefix="DSVH24",
        description="Cuộc thi năm 2024: đã chấm xong và công bố kết quả, giải thưởng, bảng xếp hạng.",
        days_ago=650,
    )
    rng = random.Random(TITLE_2024)
    demo_entries_seed(contest=contest, rng=rng, every=EVERY)
    for judging_round in contest.rounds.order_by("order"):
        for judge in judges:
            judging.judge_add(actor=organizer, judging_round=judging_round, user=judge)
        demo_round_assign(judging_round, organizer, rng)
        demo_round_mark(judging_round, rng)
        closing.round_close(actor=organizer, judging_round=judging_round)
    # Demo addresses get no mail: the entrants count as told.
    entrants = Entry.objects.filter(contest=contest).values_list("entrant_id", flat=True).distinct()
    ResultNotice.objects.bulk_create(
        [ResultNotice(contest=contest, entrant_id=pk) for pk in entrants], ignore_conflicts=True
    )
    _collective_prizes(contest, organizer)
    results_publish(actor=organizer, contest=contest)
    leaderboard_refresh(contest=contest)  # now, not after the seed's transaction: it reads at once
    design_update(
        actor=organizer,
        contest=contest,
        signatory_name=organizer.full_name,
        signatory_title="Trưởng Ban tổ chức",
        place="Hà Nội",
    )
    # Rendered once the seed commits (in-process with `make run`, by the workers with Redis).
    certificates_issue(actor=organizer, contest=contest)
    return contest, True


def _collective_prizes(contest: Contest, organizer: User) -> None:
    """The two collective prizes the article's contests give: most entrants, most winners."""
    leaderboard_refresh(contest=contest)
    rows = LeaderboardRow.objects.filter(contest=contest, unit=Unit.LIBRARY, category__isnull=True)
    for name, basis, order in (
        ("Đơn vị có nhiều bài dự thi nhất", CollectiveBasis.MOST_ENTRANTS, "-entrants"),
        ("Đơn vị có nhiều bài đạt giải nhất", CollectiveBasis.MOST_WINNERS, "-winners"),
    ):
        best = rows.order_by(order, "position").first()
        if best is not None and not CollectiveAward.objects.filter(contest=contest, name=name).exists():
            collective_award_give(
                actor=organizer, contest=contest, name=name, library=best.library, basis=basis, reason="Demo"
            )
