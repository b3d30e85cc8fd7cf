"""Last year's demo contest, "Đại sứ Văn hóa đọc 2025", in the middle of its judging: a panel of
eight judges on both rounds, the first round assigned and scored except for a few entries that
judge giamkhao.01 still has to mark. From there an organizer closes round 1 (top 5 per library
go on), assigns round 2 and, once its judges have scored, closes it.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from contests.enums import ContestStatus
from contests.models import Contest
from contests.services import contest_create, contest_update
from demo.contest import demo_entries_seed, demo_structure
from judging import services as judging
from judging.models import Assignment
from people.models import Library, LibraryStaff, User
from results.leaderboard import leaderboard_refresh

TITLE_2025 = "Đại sứ Văn hóa đọc 2025"
# (username, full name, library short name: a librarian judges too, never their own library's entries)
JUDGES = [
    ("giamkhao.01", "Nguyễn Thị Thu Hà", None),
    ("giamkhao.02", "Trần Quốc Việt", None),
    ("giamkhao.03", "Lê Minh Khuê", None),
    ("giamkhao.04", "Phạm Văn Đồng", None),
    ("giamkhao.05", "Vũ Thị Hồng Nhung", "VNU-LIC"),
    ("giamkhao.06", "Đỗ Xuân Quang", "VINHUNI"),
    ("giamkhao.07", "Hoàng Gia Bảo", "TVHN"),
    ("giamkhao.08", "Bùi Thanh Mai", "TVNA"),
]
LEFT_FOR_THE_DEMO = 3  # entries giamkhao.01 has not marked yet


def demo_past_contest(*, organizer: User, national, title: str, code_prefix: str, description: str, days_ago: int):
    """A contest of an earlier year, closed for entries `days_ago` days ago."""
    closed = timezone.now() - timedelta(days=days_ago)
    contest = contest_create(
        actor=organizer,
        network=national,
        title=title,
        description=description,
        code_prefix=code_prefix,
        status=ContestStatus.OPEN,
        submission_opens_at=closed - timedelta(days=90),
        submission_closes_at=closed,
        **demo_structure(),
    )
    contest_update(actor=organizer, contest=contest, status=ContestStatus.CLOSED)
    return contest


def demo_judges_seed(*, demo_user) -> list[User]:
    """The panel's people (a librarian judges too, never their own library's entries)."""
    judges = []
    for username, name, library in JUDGES:
        judge = demo_user(username=username, full_name=name)
        if library:
            LibraryStaff.objects.get_or_create(user=judge, library=Library.objects.get(short_name=library))
        judges.append(judge)
    return judges


def demo_contest_2025_seed(*, organizer: User, national, judges: list[User]) -> tuple[Contest, bool]:
    """Made once, with its entries, panels and first-round marks; found again, it is the demo's
    own by now (rounds closed, prizes, a publication): the seed leaves it alone."""
    contest = Contest.objects.filter(title=TITLE_2025).first()
    if contest is not None:
        return contest, False
    contest = demo_past_contest(
        organizer=organizer,
        national=national,
        title=TITLE_2025,
        code_prefix="DSVH25",
        description="Cuộc thi năm trước, đang ở giai đoạn chấm: dùng để thử việc chấm thi và công bố kết quả.",
        days_ago=300,
    )
    rng = random.Random(TITLE_2025)
    demo_entries_seed(contest=contest, rng=rng)
    for judging_round in contest.rounds.all():
        for judge in judges:
            judging.judge_add(actor=organizer, judging_round=judging_round, user=judge)
    first = contest.rounds.order_by("order").first()
    first.due_at = timezone.now() + timedelta(days=10)  # what the waiting judge's home says: "hạn …"
    first.save(update_fields=["due_at"])
    demo_round_assign(first, organizer, rng)
    demo_round_mark(first, rng, waiting_judge=judges[0], left=LEFT_FOR_THE_DEMO)
    # What a contest's leaderboard holds once judging has started (its entries per library and
    # network), as `leaderboard_rebuild --check` computes it.
    leaderboard_refresh(contest=contest)
    return contest, True


def demo_round_assign(judging_round, organizer: User, rng: random.Random) -> None:
    """The real assignment, its seed drawn from the demo's own: the same demo at every load."""
    if judging_round.assignment_seed is None:
        judging_round.assignment_seed = rng.getrandbits(62)
        judging_round.save(update_fields=["assignment_seed"])
    judging.round_assign(actor=organizer, judging_round=judging_round)


def demo_round_mark(judging_round, rng: random.Random, *, waiting_judge: User | None = None, left: int = 0) -> None:
    """Marks that tell a story: each entry has a quality, each judge sees it a little differently.
    `waiting_judge` leaves `left` of their assignments unmarked."""
    criteria = list(judging_round.criteria.all())
    quality = {}
    assignments = Assignment.objects.filter(round=judging_round).select_related("entry", "judge").order_by("pk")
    for assignment in assignments:
        if waiting_judge is not None and assignment.judge_id == waiting_judge.pk and left:
            left -= 1
            continue
        level = quality.setdefault(assignment.entry_id, rng.uniform(0.45, 0.95))
        marks = {
            str(c.pk): _quarter(min(1.0, max(0.0, level + rng.uniform(-0.08, 0.08))) * float(c.max_score))
            for c in criteria
        }
        judging.score_record(
            judge=assignment.judge,
            assignment=assignment,
            marks=marks,
            comment=rng.choice(["", "Bài viết chân thành.", "Cần dẫn chứng cụ thể hơn.", "Ý tưởng mới lạ."]),
            submit=True,
        )


def _quarter(value: float) -> Decimal:
    return Decimal(round(value * 4)) / 4
