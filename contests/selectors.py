from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from contests.enums import RESULTS_OUT, ContestStatus, RoundStatus
from contests.models import Contest, Round
from contests.permissions import can_manage_contest, contests_visible_to


def contests_list(*, user) -> QuerySet[Contest]:
    contests = Contest.objects.select_related("network").prefetch_related(
        "categories", "prize_tiers", Prefetch("rounds", queryset=Round.objects.prefetch_related("criteria"))
    )
    return contests_visible_to(user, contests)


# The organizer's actions on a contest, named as the frontend's buttons are.
ACTIONS = [
    "edit",  # PATCH the contest's own fields
    "open",  # draft -> open
    "close",  # open -> closed (the clock also does it at the deadline)
    "start_judging",  # closed -> judging (assigning the first round does it too)
    "reopen",  # closed or judging -> open, with a reason
    "assign",  # assign the round `round` (POST /api/rounds/{id}/assign/)
    "close_round",  # close the round being judged (POST /api/rounds/{id}/close/)
    "award",  # award the prize tiers from the closed final round
    "publish",  # publish now or at a set time
    "unpublish",  # take a publication (or a scheduled one) back, with a reason
    "certificates",  # issue the certificates
    "archive",  # published -> archived
    "release_comments",  # let the entrants read the judges' comments (without names)
]


@dataclass
class Workflow:
    """Where a contest stands for its organizers: its stage, the one next step, the round that
    step is about, and the actions the stage allows (buttons for anything else would only meet
    a refusal). Judging's and results' rows are read through their reverse names (round.assignments,
    contest.awards, contest.certificates): contests stays below those apps."""

    stage: str
    next_step: str
    round: Round | None = None
    done: int | None = None
    total: int | None = None
    allowed_actions: list[str] = field(default_factory=list)
    round_stages: dict[str, str] = field(default_factory=dict)


def _round_marks(judging_round: Round) -> tuple[int, int]:
    live = judging_round.assignments.filter(entry__status="submitted")
    counts = live.aggregate(total=Count("pk"), done=Count("pk", filter=Q(score__submitted=True)))
    return counts["done"], counts["total"]


def contest_workflow(*, user, contest: Contest) -> Workflow:
    rounds = sorted(contest.rounds.all(), key=lambda r: r.order)
    assigned = set(
        Round.objects.filter(contest=contest, assignments__isnull=False).values_list("pk", flat=True).distinct()
    )
    status = contest.status
    # The first round not closed is the one judging is at; it is being judged once assigned (and
    # the contest is in judging); a later one has not started.
    at = next((r for r in rounds if r.status != RoundStatus.CLOSED), None)
    stages = {}
    for judging_round in rounds:
        if judging_round.status == RoundStatus.CLOSED:
            stages[str(judging_round.pk)] = "closed"
        elif judging_round is at and judging_round.pk in assigned and status == ContestStatus.JUDGING:
            stages[str(judging_round.pk)] = "judging"
        else:
            stages[str(judging_round.pk)] = "not_started"
    flow = Workflow(stage=status, next_step="none", round_stages=stages)
    final_closed = bool(rounds) and at is None
    awarded = contest.awards.filter(kind="prize").exists() if final_closed else False
    tiers = bool(contest.prize_tiers.all())

    if status == ContestStatus.DRAFT:
        flow.next_step = "open"
    elif status == ContestStatus.OPEN:
        flow.next_step = "wait_entries"
    elif status in (ContestStatus.CLOSED, ContestStatus.JUDGING):
        if at is None and not rounds:
            flow.next_step = "add_round"
        elif at is not None and stages[str(at.pk)] != "judging":
            flow.next_step, flow.round = "assign", at
        elif at is not None:
            flow.round = at
            flow.done, flow.total = _round_marks(at)
            flow.next_step = "close_round" if flow.done == flow.total else "wait_marks"
        elif contest.publish_at is not None:
            flow.next_step = "wait_publication"
        elif tiers and not awarded:
            flow.next_step = "award"
        else:
            flow.next_step = "publish"
    elif status == ContestStatus.PUBLISHED:
        flow.next_step = "archive" if contest.certificates.exists() else "certificates"

    if can_manage_contest(user, contest):
        flow.allowed_actions = _allowed(contest, flow, at, final_closed, tiers)
    return flow


def _allowed(contest: Contest, flow: Workflow, at: Round | None, final_closed: bool, tiers: bool) -> list[str]:
    status, allowed = contest.status, set()
    if status not in RESULTS_OUT:
        allowed.add("edit")
    if status == ContestStatus.DRAFT:
        allowed.add("open")
    if status == ContestStatus.OPEN:
        allowed.add("close")
    if status == ContestStatus.CLOSED:
        allowed.add("start_judging")
    if status in (ContestStatus.CLOSED, ContestStatus.JUDGING):
        allowed.add("reopen")
        if at is not None:
            previous_closed = all(r.status == RoundStatus.CLOSED for r in contest.rounds.all() if r.order < at.order)
            if previous_closed:
                allowed.add("assign")  # again while it is judged: it completes and evens out
            if flow.round_stages.get(str(at.pk)) == "judging":
                allowed.add("close_round")
    if status == ContestStatus.JUDGING and final_closed:
        allowed |= {"publish"} | ({"award"} if tiers else set())
    if status == ContestStatus.PUBLISHED or (status == ContestStatus.JUDGING and contest.publish_at is not None):
        allowed.add("unpublish")
    if status in RESULTS_OUT:
        allowed.add("certificates")
    if status == ContestStatus.PUBLISHED:
        allowed.add("archive")
    if not contest.comments_released and status != ContestStatus.DRAFT:
        allowed.add("release_comments")
    return [action for action in ACTIONS if action in allowed]
