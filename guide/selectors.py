"""What each person has waiting: the one read behind the home page and the landing after sign-in.

It reads the other apps (it sits above them all, like the frontend) and writes nothing. The
figures are the same ones the person's own pages count: a judge's pending work is the work of
the rounds being judged now (a round with assignments, still scoring, of a contest in judging),
entries are the ones that count (withdrawn ones left out).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from certificates.models import Certificate
from contests.enums import RESULTS_OUT, ContestStatus
from contests.models import Contest, Round
from contests.permissions import contests_managed_by
from judging.models import Assignment, RoundResult, Score
from judging.selectors import rounds_being_judged
from people.enums import Role
from people.models import Library
from people.permissions import staffed_library_ids, user_roles
from results.enums import AwardKind
from results.models import Award
from submissions.enums import QUOTA_STATUSES, EntryStatus
from submissions.models import Entry
from submissions.permissions import contest_accepts_entries, library_takes_part

# Where each role's own area is, in the order a person with several roles lands.
LANDING = [
    (Role.PLATFORM_ORGANIZER, "/organize/"),
    (Role.NETWORK_ORGANIZER, "/organize/"),
    (Role.LIBRARY_STAFF, "/library/"),
    (Role.JUDGE, "/judge/"),
    (Role.STUDENT, "/my/entries/"),
]


@dataclass
class Task:
    kind: str
    role: str
    count: int
    contest: int
    contest_title: str
    url: str
    due_at: datetime | None = None
    round: int | None = None
    round_name: str = ""
    done: int | None = None
    total: int | None = None


@dataclass
class Home:
    landing: str
    roles: list[str]
    tasks: list[Task] = field(default_factory=list)


def current_rounds(contest_ids) -> dict[int, Round]:
    """Each contest's round being judged now (at most one: a round starts once the one before it closed)."""
    rounds = Round.objects.filter(rounds_being_judged(), contest_id__in=contest_ids).order_by("order")
    current: dict[int, Round] = {}
    for judging_round in rounds:
        current.setdefault(judging_round.contest_id, judging_round)
    return current


def _live(assignments):
    return assignments.filter(entry__status=EntryStatus.SUBMITTED)


def judge_tasks(user) -> list[Task]:
    pending = (
        _live(Assignment.objects.filter(judge=user))
        .filter(round__in=Round.objects.filter(rounds_being_judged()))
        .exclude(score__submitted=True)
        .values("round_id", "round__name", "round__due_at", "round__contest_id", "round__contest__title")
        .annotate(count=Count("pk"))
        .order_by("round__due_at", "round_id")
    )
    return [
        Task(
            kind="judge_pending",
            role=Role.JUDGE,
            count=row["count"],
            contest=row["round__contest_id"],
            contest_title=row["round__contest__title"],
            round=row["round_id"],
            round_name=row["round__name"],
            due_at=row["round__due_at"],
            url=f"/judge/?round={row['round_id']}",
        )
        for row in pending
    ]


def student_tasks(user) -> list[Task]:
    counted = Entry.objects.filter(entrant=user).exclude(status=EntryStatus.WITHDRAWN)
    rows = counted.values("contest_id").annotate(count=Count("pk")).values_list("contest_id", "count")
    mine = dict(rows)
    tasks = []
    for contest in Contest.objects.filter(pk__in=list(mine)).order_by("-submission_opens_at", "-pk"):
        if contest.status in RESULTS_OUT:
            kind, due = "student_results", None
        elif contest.status == ContestStatus.OPEN:
            kind, due = "student_sent", contest.submission_closes_at
        else:
            kind, due = "student_in_judging", contest.publish_at
        url = f"/my/entries/?contest={contest.pk}"
        tasks.append(Task(kind, Role.STUDENT, mine[contest.pk], contest.pk, contest.title, url, due_at=due))
    # What can still change first: entries still open to edits, then those being judged, then results.
    stages = ["student_sent", "student_in_judging", "student_results"]
    tasks.sort(key=lambda task: stages.index(task.kind))
    library = user.library if user.library_id else None
    open_to_enter = _open_contests_for([library] if library else []).exclude(pk__in=list(mine))
    for contest in open_to_enter:
        url = f"/my/entries/?contest={contest.pk}"
        tasks.append(
            Task("student_open", Role.STUDENT, 0, contest.pk, contest.title, url, due_at=contest.submission_closes_at)
        )
    return tasks


def _open_contests_for(libraries) -> QuerySet[Contest]:
    """The open contests some of these libraries take part in (library_takes_part: the contest's
    network or one above the library's), soonest deadline first."""
    paths = {library.network.path for library in libraries}
    above = Q(pk__in=[])
    for path in paths:
        prefixes = {path[: end + 1] for end, char in enumerate(path) if char == "/"}  # "/1/", "/1/4/" …
        above |= Q(network__path__in=prefixes)
    return Contest.objects.filter(above, status=ContestStatus.OPEN).order_by("submission_closes_at", "pk")


def library_tasks(user) -> list[Task]:
    libraries = staffed_library_ids(user)
    counts = dict(
        Entry.objects.filter(library_id__in=libraries, contest__status=ContestStatus.OPEN)
        .exclude(status=EntryStatus.WITHDRAWN)
        .values("contest_id")
        .annotate(count=Count("pk"))
        .values_list("contest_id", "count")
    )
    return [
        Task(
            "library_entries",
            Role.LIBRARY_STAFF,
            counts.get(contest.pk, 0),
            contest.pk,
            contest.title,
            f"/library/?contest={contest.pk}",
            due_at=contest.submission_closes_at,
        )
        for contest in _open_contests_for(Library.objects.filter(pk__in=libraries).select_related("network"))
    ]


def organizer_tasks(user, role: str) -> list[Task]:
    running = [ContestStatus.DRAFT, ContestStatus.OPEN, ContestStatus.CLOSED, ContestStatus.JUDGING]
    contests = list(
        contests_managed_by(user, Contest.objects.filter(status__in=running))
        .annotate(entry_count=Count("entries", filter=Q(entries__status=EntryStatus.SUBMITTED)))
        .order_by("submission_closes_at", "pk")
    )
    current = current_rounds([c.pk for c in contests])
    progress = {
        row["round_id"]: row
        for row in _live(Assignment.objects.filter(round__in=list(current.values())))
        .values("round_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(score__submitted=True)))
    }
    tasks = []
    for contest in contests:
        url = f"/organize/contests/{contest.pk}/"
        task = Task(f"organize_{contest.status}", role, contest.entry_count, contest.pk, contest.title, url)
        if contest.status == ContestStatus.OPEN:
            task.due_at = contest.submission_closes_at
        judging_round = current.get(contest.pk)
        if judging_round is not None:
            row = progress.get(judging_round.pk, {"done": 0, "total": 0})
            task.round, task.round_name, task.due_at = judging_round.pk, judging_round.name, judging_round.due_at
            task.done, task.total = row["done"], row["total"]
            task.count = row["total"] - row["done"]
        tasks.append(task)
    return tasks


def home_for(user) -> Home:
    roles = user_roles(user)
    landing = next((path for role, path in LANDING if role in roles), "/")
    home = Home(landing=landing, roles=roles)
    organizer = next((role for role in (Role.PLATFORM_ORGANIZER, Role.NETWORK_ORGANIZER) if role in roles), None)
    if organizer is not None:
        home.tasks += organizer_tasks(user, organizer)
    if Role.LIBRARY_STAFF in roles:
        home.tasks += library_tasks(user)
    if Role.JUDGE in roles:
        home.tasks += judge_tasks(user)
    if Role.STUDENT in roles:
        home.tasks += student_tasks(user)
    return home


# A student's side ---------------------------------------------------------------------------


@dataclass
class CategoryQuota:
    category: int
    name: str
    max_entries: int
    used: int
    codes: list[str]
    can_send: bool


@dataclass
class Eligibility:
    """What the entry form says as soon as a category is chosen, before anything is typed: the
    same checks entry_submit makes (the window, the library, the quota per category)."""

    contest: int
    accepts_entries: bool
    has_library: bool
    library_takes_part: bool
    categories: list[CategoryQuota]


def eligibility_for(user, contest: Contest) -> Eligibility:
    library = user.library if user.library_id else None
    takes_part = library is not None and library_takes_part(contest, library)
    accepts = contest_accepts_entries(contest)
    taken: dict[int, list[str]] = {}
    for category_id, code in (
        Entry.objects.filter(contest=contest, entrant=user, status__in=QUOTA_STATUSES)
        .order_by("created_at", "pk")
        .values_list("category_id", "code")
    ):
        taken.setdefault(category_id, []).append(code)
    categories = []
    for category in contest.categories.order_by("pk"):
        codes = taken.get(category.pk, [])
        categories.append(
            CategoryQuota(
                category=category.pk,
                name=category.name,
                max_entries=category.max_entries_per_entrant,
                used=len(codes),
                codes=codes,
                can_send=accepts and takes_part and len(codes) < category.max_entries_per_entrant,
            )
        )
    return Eligibility(
        contest=contest.pk,
        accepts_entries=accepts,
        has_library=library is not None,
        library_takes_part=takes_part,
        categories=categories,
    )


@dataclass
class Outcome:
    """How one of the person's entries fared, once its contest's results are out: the last round
    it was ranked in (and whether it went on), its prizes, its certificates, and the judges'
    comments once the organizers released them: the comments only, never who wrote them."""

    entry: int
    code: str
    contest: int
    contest_title: str
    status: str
    round_reached: dict | None
    advanced: bool
    prizes: list[str]
    certificates: list[dict]
    comments_released: bool
    comments: list[dict]


def outcomes_for(user) -> list[Outcome]:
    entries = list(
        Entry.objects.filter(entrant=user, contest__status__in=RESULTS_OUT)
        .exclude(status=EntryStatus.WITHDRAWN)
        .select_related("contest")
        .order_by("-contest__published_at", "code")
    )
    ids = [entry.pk for entry in entries]
    reached: dict[int, RoundResult] = {}
    for result in RoundResult.objects.filter(entry_id__in=ids).select_related("round").order_by("round__order"):
        reached[result.entry_id] = result  # the last round it was ranked in
    prizes: dict[int, list[str]] = {}
    for award in Award.objects.filter(entry_id__in=ids).select_related("tier").order_by("kind", "tier__rank", "pk"):
        if award.kind == AwardKind.PRIZE and award.tier is None:
            continue  # a prize an organizer withheld
        prizes.setdefault(award.entry_id, []).append(award.name or award.tier.name)
    certificates: dict[int, list[dict]] = {}
    for certificate in Certificate.objects.filter(holder=user, entry_id__in=ids, revoked_at__isnull=True).order_by(
        "pk"
    ):
        certificates.setdefault(certificate.entry_id, []).append(
            {"id": certificate.pk, "code": certificate.code, "kind": certificate.kind, "award": certificate.award}
        )
    released = [entry.pk for entry in entries if entry.contest.comments_released]
    comments: dict[int, list[dict]] = {}
    for entry_id, round_name, comment in (
        Score.objects.filter(assignment__entry_id__in=released, submitted=True)
        .exclude(comment="")
        .order_by("assignment__round__order", "assignment_id")
        .values_list("assignment__entry_id", "assignment__round__name", "comment")
    ):
        comments.setdefault(entry_id, []).append({"round_name": round_name, "comment": comment})
    outcomes = []
    for entry in entries:
        result = reached.get(entry.pk)
        outcomes.append(
            Outcome(
                entry=entry.pk,
                code=entry.code,
                contest=entry.contest_id,
                contest_title=entry.contest.title,
                status=entry.status,
                round_reached=(
                    {"id": result.round_id, "name": result.round.name, "order": result.round.order} if result else None
                ),
                advanced=bool(result and result.advanced),
                prizes=prizes.get(entry.pk, []),
                certificates=certificates.get(entry.pk, []),
                comments_released=entry.contest.comments_released,
                comments=comments.get(entry.pk, []),
            )
        )
    return outcomes
