"""Results frozen means frozen: once a contest is published, every write that could touch what its
result is made of answers 409 and changes nothing, until an organizer unpublishes (audited)."""

from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from contests.enums import AdvanceRule, ContestStatus, RoundStatus
from contests.models import Category, Contest, Criterion, PrizeTier, Round
from core.models import AuditEntry
from judging.models import Assignment, Judge, Recusal, RoundResult, Score
from results import prizes, publication
from results.models import Award, CollectiveAward, LeaderboardRow
from submissions.enums import EntryStatus
from submissions.models import Entry
from tests.factories import RoundFactory, UserFactory
from tests.results.helpers import api, judged_for_real

MODELS = [
    Contest,
    Category,
    Round,
    Criterion,
    PrizeTier,
    Entry,
    Judge,
    Assignment,
    Score,
    Recusal,
    RoundResult,
    Award,
    CollectiveAward,
    LeaderboardRow,
]


def everything() -> dict:
    """Every row a contest's result is made of, field by field."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


@pytest.fixture
def published(judged_contest, essays, tiers, places, organizer, django_capture_on_commit_callbacks):
    """Judged for real (two judges), prizes awarded, a special and a collective prize, published."""
    final = RoundFactory(
        contest=judged_contest, name="Chung khảo", order=1, judges_per_entry=2, advance=AdvanceRule.NONE
    )
    library = places.north_library
    entries = judged_for_real(
        final,
        essays,
        organizer,
        {"A": (library, ["9", "8.5"]), "B": (library, ["8", "8"]), "C": (library, ["7", "7.5"])},
    )
    special = prizes.special_prize_give(
        actor=organizer, contest=judged_contest, entry_id=entries["C"].pk, name="Bài viết cảm động nhất"
    )
    collective = prizes.collective_award_give(
        actor=organizer, contest=judged_contest, name="Thư viện tích cực", library=library
    )
    with django_capture_on_commit_callbacks(execute=True):
        publication.results_publish(actor=organizer, contest=judged_contest)
    return SimpleNamespace(
        contest=judged_contest,
        round=final,
        entries=entries,
        assignment=Assignment.objects.filter(round=final).order_by("pk").first(),
        special=special,
        collective=collective,
        newcomer=UserFactory(username="giamkhao.moi"),
    )


def _csv():
    return SimpleUploadedFile(
        "giay.csv",
        "category,entrant_full_name,title,book_title,book_author\nBài viết,Trần Văn Bình,Mẹ,Mẹ,Tô Hoài\n".encode(),
        content_type="text/csv",
    )


# (what, who, method, route, kwargs, body, expected code). Who: a role, or "entrant" (entry A's).
PATHS = [
    ("contest fields", "organizer", "patch", "contest-detail", "contest", {"title": "Tên khác"}, "results_published"),
    ("status back", "organizer", "patch", "contest-detail", "contest", {"status": "judging"}, "results_published"),
    ("category", "organizer", "post", "contest-categories", "contest", {"name": "Thơ"}, "results_published"),
    ("round", "organizer", "post", "contest-rounds", "contest", {"name": "Vòng 2", "order": 2}, "results_published"),
    (
        "prize tier",
        "organizer",
        "post",
        "contest-prize-tiers",
        "contest",
        {"name": "Khuyến khích", "rank": 4, "quota": 5},
        "results_published",
    ),
    ("reopen", "organizer", "post", "contest-reopen", "contest", {"reason": "Thêm bài"}, "results_published"),
    ("entry edit", "organizer", "patch", "entry-detail", "entry", {"title": "Tên bài khác"}, "results_published"),
    ("withdraw", "organizer", "delete", "entry-detail", "entry", {}, "results_published"),
    ("entrant's withdraw", "entrant", "delete", "entry-detail", "entry", {}, "submissions_closed"),
    ("disqualify", "organizer", "post", "entry-disqualify", "entry", {"reason": "Đạo văn"}, "results_published"),
    ("judge added", "organizer", "post", "round-judges", "round", {"username": "giamkhao.moi"}, "results_published"),
    ("judge removed", "organizer", "delete", "round-judge-remove", "judge", {}, "results_published"),
    ("assignment run", "organizer", "post", "round-assign", "round", {}, "results_published"),
    ("extra judge", "organizer", "post", "round-extra-judge", "round", {"entry": "A"}, "results_published"),
    ("round close", "organizer", "post", "round-close", "round", {"force": True}, "results_published"),
    ("score", "judge", "put", "assignment-score", "assignment", {"marks": {}, "comment": "x"}, "results_published"),
    ("recusal", "judge", "post", "assignment-recuse", "assignment", {"reason": "Người quen"}, "results_published"),
    ("prizes", "organizer", "post", "contest-prizes", "contest", {}, "results_published"),
    (
        "override",
        "organizer",
        "post",
        "contest-award-override",
        "contest",
        {"entry": "C", "tier": "Nhất", "reason": "Phúc khảo"},
        "results_published",
    ),
    (
        "special prize",
        "organizer",
        "post",
        "contest-special-prize",
        "contest",
        {"entry": "B", "name": "Giải sáng tạo"},
        "results_published",
    ),
    ("special taken back", "organizer", "delete", "award-detail", "special", {}, "results_published"),
    (
        "collective prize",
        "organizer",
        "post",
        "contest-collective-awards",
        "contest",
        {"library": "north", "name": "Thư viện đọc nhiều"},
        "results_published",
    ),
    ("collective taken back", "organizer", "delete", "collective-award-detail", "collective", {}, "results_published"),
    # Entries come in only while the contest is open; a published one says so.
    (
        "entry sent",
        "student",
        "post",
        "contest-entries",
        "contest_id",
        {"category": "essays", "title": "Mẹ", "book_title": "Mẹ", "book_author": "Tô Hoài", "body": "Một hai ba"},
        "submissions_closed",
    ),
    (
        "paper entry",
        "library_staff",
        "post",
        "contest-paper-entries",
        "contest_id",
        {
            "library": "north",
            "category": "essays",
            "entrant_full_name": "Trần Văn Bình",
            "title": "Mẹ",
            "book_title": "Mẹ",
            "book_author": "Tô Hoài",
            "body": "Một hai ba",
        },
        "submissions_closed",
    ),
    (
        "paper import",
        "library_staff",
        "post",
        "contest-paper-entries-import",
        "contest_id",
        {"library": "north", "file": _csv},
        "submissions_closed",
    ),
]


def _request(world, role_users, places, tiers, essays, who, method, route, target, body):
    kwargs = {
        "contest": {"pk": world.contest.pk},
        "contest_id": {"contest_id": world.contest.pk},
        "entry": {"pk": world.entries["A"].pk},
        "round": {"pk": world.round.pk},
        "judge": {"pk": world.round.pk, "user_id": world.assignment.judge_id},
        "assignment": {"pk": world.assignment.pk},
        "special": {"pk": world.special.pk},
        "collective": {"pk": world.collective.pk},
    }[target]
    named = {"A": world.entries["A"].pk, "B": world.entries["B"].pk, "C": world.entries["C"].pk}
    named |= {"Nhất": tiers["Nhất"].pk, "north": places.north_library.pk, "essays": essays.pk}
    body = {
        key: value() if callable(value) else named.get(value, value) if isinstance(value, str) else value
        for key, value in body.items()
    }
    if route == "assignment-score":
        body["marks"] = {str(world.round.criteria.get().pk): "5"}
    if route == "contest-reopen":
        body["submission_closes_at"] = (timezone.now() + timedelta(days=7)).isoformat()
    user = {
        "organizer": role_users["network_organizer"],
        "entrant": world.entries["A"].entrant,
        "judge": world.assignment.judge,
    }.get(who) or role_users[who]
    fmt = "multipart" if any(hasattr(value, "read") for value in body.values()) else "json"
    return getattr(api(user), method)(reverse(route, kwargs=kwargs), body, format=fmt)


@pytest.mark.parametrize(("what", "who", "method", "route", "target", "body", "code"), PATHS, ids=[p[0] for p in PATHS])
def test_a_published_contest_refuses_every_write_and_changes_nothing(
    published, role_users, places, tiers, essays, what, who, method, route, target, body, code
):
    before, audited = everything(), AuditEntry.objects.count()

    response = _request(published, role_users, places, tiers, essays, who, method, route, target, body)

    assert (response.status_code, response.json().get("code")) == (409, code), response.content
    assert everything() == before
    assert AuditEntry.objects.count() == audited


def test_a_published_contest_is_only_archived_by_a_patch(published, organizer):
    url = reverse("contest-detail", kwargs={"pk": published.contest.pk})

    archived = api(organizer).patch(url, {"status": "archived"}, format="json")
    renamed = api(organizer).patch(url, {"title": "Tên khác"}, format="json")

    published.contest.refresh_from_db()
    assert (archived.status_code, renamed.status_code) == (200, 409)
    assert (published.contest.status, published.contest.title) == (ContestStatus.ARCHIVED, "Đại sứ Văn hóa đọc 2025")


def test_published_entries_are_not_editable_even_for_organizers(published, organizer):
    response = api(organizer).get(reverse("entry-detail", kwargs={"pk": published.entries["A"].pk}))

    assert response.json()["editable"] is False


def test_after_an_audited_unpublish_an_organizer_withdraws_again(published, organizer):
    entry = published.entries["A"]
    publication.results_unpublish(actor=organizer, contest=published.contest, reason="Bài A vi phạm quy chế")

    response = api(organizer).delete(reverse("entry-detail", kwargs={"pk": entry.pk}))

    entry.refresh_from_db()
    assert response.status_code == 204
    assert entry.status == EntryStatus.WITHDRAWN
    assert list(
        AuditEntry.objects.filter(action__in=["contest.unpublished", "entry.withdrawn"])
        .values_list("action", "reason")
        .order_by("pk")
    ) == [("contest.unpublished", "Bài A vi phạm quy chế"), ("entry.withdrawn", "")]


# The admin: the same freeze, shown on its forms ------------------------------------------------


def test_the_admin_refuses_to_change_a_published_contest(client, published):
    from tests.contests.test_admin import admin_form

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    contest = published.contest
    contest.submission_opens_at = contest.submission_opens_at.replace(microsecond=0)
    contest.submission_closes_at = contest.submission_closes_at.replace(microsecond=0)
    Contest.objects.filter(pk=contest.pk).update(
        submission_opens_at=contest.submission_opens_at, submission_closes_at=contest.submission_closes_at
    )
    url = reverse("admin:contests_contest_change", args=[contest.pk])
    before = everything()

    renamed = client.post(url, admin_form(contest, title="Tên khác"))
    page = client.get(url).content.decode()
    deleting = client.get(reverse("admin:contests_contest_delete", args=[contest.pk]))
    round_page = client.get(reverse("admin:contests_round_change", args=[published.round.pk])).content.decode()

    assert renamed.status_code == 200  # the form again, with the reason
    assert "Kết quả cuộc thi đã được công bố" in renamed.content.decode()
    assert everything() == before
    assert 'name="prize_tiers-0-quota"' not in page  # tiers shown, not editable
    assert deleting.status_code == 403
    assert 'name="aggregation"' not in round_page


def test_the_admin_adds_no_judge_to_a_published_contest(client, published):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    Round.objects.filter(pk=published.round.pk).update(status=RoundStatus.SCORING)  # even a round left scoring

    response = client.post(
        reverse("admin:judging_judge_add"), {"round": published.round.pk, "user": published.newcomer.pk, "weight": "1"}
    )

    assert response.status_code == 200  # the form again, with the reason
    assert "Kết quả cuộc thi đã được công bố" in response.content.decode()
    assert not Judge.objects.filter(user=published.newcomer).exists()


# The leaderboard of a published contest --------------------------------------------------------


def board(contest) -> list:
    return api(None).get(reverse("contest-leaderboard", kwargs={"pk": contest.pk})).json()["results"]


def test_a_library_record_changed_since_leaves_the_published_board_as_published(published, places):
    before = board(published.contest)
    places.north_library.student_count = 500  # a new school year
    places.north_library.save()

    call_command("leaderboard_rebuild", "--check", stdout=StringIO())
    call_command("leaderboard_rebuild", stdout=StringIO())

    assert board(published.contest) == before
    assert before[0]["participation_rate"] is None  # (the library gave no count at publication)


def test_the_rebuild_command_never_rewrites_a_published_board(published, organizer):
    LeaderboardRow.objects.filter(contest=published.contest, category__isnull=True, unit="library").delete()
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("leaderboard_rebuild", "--check", stdout=StringIO())
    call_command("leaderboard_rebuild", stdout=out)

    library = published.entries["A"].library_id
    assert out.getvalue().splitlines() == [
        f"contest {published.contest.pk}: 1 differences",
        f"  library {library}, category all: missing",
        f"  published: kept as published; unpublish contest {published.contest.pk} to rebuild it",
    ]
    assert not LeaderboardRow.objects.filter(contest=published.contest, category__isnull=True, unit="library")
