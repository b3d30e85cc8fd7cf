import io

from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from rest_framework.test import APIClient

from certificates.models import Certificate
from contests.models import Contest, Round
from judging.models import Assignment, Judge, RoundResult, Score
from people.models import Library, Network, User
from results.models import Award, CollectiveAward, LeaderboardRow, ResultNotice
from submissions.models import Entry
from tests.judging.test_demo_flow import score_every_pending


def counts():
    return (Network.objects.count(), Library.objects.count(), User.objects.count(), Entry.objects.count())


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_builds_the_world_of_the_article_and_is_idempotent(demo):
    first = counts()
    printed = seed_demo()

    # people: 2 organizers, 13 librarians, 24 students per library, 8 judges;
    # entries: every student in 2026 and 2025, one in three in 2024
    assert counts() == first == (6, 13, 2 + 13 + 13 * 24 + 8, 2 * 13 * 24 + 13 * 8)
    assert "bantochuc" in printed and "Docsach@2026" in printed
    assert {
        "Thư viện Đại học Quốc gia Hà Nội",
        "Thư viện Học viện Chính trị Công an nhân dân",
        "Thư viện Trường Đại học Sư phạm Hà Nội 2",
        "Thư viện Học viện Ngân hàng",
        "Thư viện Trường Đại học Vinh",
        "Trung tâm Học liệu – Đại học Thái Nguyên",
        "Thư viện Viện Đại học Mở Hà Nội",
    } <= set(Library.objects.values_list("name", flat=True))


def test_seed_demo_contest_has_its_structure_and_entries(demo):
    contest = demo.open
    assert [c.name for c in contest.categories.all()] == ["Tiểu học & THCS", "THPT & Đại học"]
    assert [(r.name, r.criteria.count()) for r in contest.rounds.all()] == [("Vòng sơ khảo", 4), ("Vòng chung khảo", 4)]
    assert [(t.name, t.quota) for t in contest.prize_tiers.all()] == [
        ("Giải Đặc biệt", 4),
        ("Giải A", 8),
        ("Giải B", 16),
        ("Giải C", 32),
        ("Giải Khuyến khích", 64),
    ]
    entries = Entry.objects.filter(contest=contest)
    assert entries.values("code").distinct().count() == entries.count() == 312
    assert entries.values("library").distinct().count() == 13


def test_seed_demo_logins_work_through_the_api(demo):
    response = APIClient().post(reverse("auth-token"), {"username": "nala", "password": "Docsach@2026"}, format="json")

    assert response.status_code == 200
    me = APIClient().get(reverse("auth-me"), HTTP_AUTHORIZATION=f"Token {response.json()['token']}").json()
    assert me["roles"] == ["network_organizer"]


def test_seed_demo_leaves_last_years_contest_in_judging(demo):
    seed_demo()  # idempotent: nothing assigned or scored twice

    first, final = demo.judging.rounds.all()
    assignments = Assignment.objects.filter(round=first)
    assert (Contest.objects.get(pk=demo.judging.pk).status, first.status, final.status) == (
        "judging",
        "scoring",
        "scoring",
    )
    assert [r.judges.count() for r in (first, final)] == [8, 8]
    assert assignments.count() == 312 * 3
    assert assignments.filter(score__submitted=True).count() == 312 * 3 - 3
    assert set(assignments.exclude(score__submitted=True).values_list("judge__username", flat=True)) == {"giamkhao.01"}
    # never a librarian on their own library's entries
    assert not assignments.filter(entry__library__staff__user=F("judge")).exists()


def test_a_fresh_demo_has_no_leaderboard_drift(demo):
    printed = io.StringIO()

    call_command("leaderboard_rebuild", "--check", stdout=printed)  # raises CommandError on any drift

    assert printed.getvalue().splitlines() == [
        f"contest {demo.judging.pk}: 0 differences",
        f"contest {demo.published.pk}: 0 differences",
    ]


def the_demo_contests() -> dict:
    """Every row that says where the demo's contests stand, as the seed could change them."""
    tables = {
        "contests": Contest.objects.all(),
        "rounds": Round.objects.all(),
        "entries": Entry.objects.all(),
        "judges": Judge.objects.all(),
        "assignments": Assignment.objects.all(),
        "scores": Score.objects.all(),
        "round results": RoundResult.objects.all(),
        "awards": Award.objects.all(),
        "collective awards": CollectiveAward.objects.all(),
        "result notices": ResultNotice.objects.all(),
        "leaderboards": LeaderboardRow.objects.all(),
        "certificates": Certificate.objects.all(),
    }
    return {name: list(rows.order_by("pk").values()) for name, rows in tables.items()}


def test_seed_demo_again_after_the_readmes_demo_flow_touches_no_contest(demo, django_capture_on_commit_callbacks):
    organizer = APIClient()
    organizer.force_authenticate(demo.organizer)
    first, final = demo.judging.rounds.all()
    student = User.objects.get(username="vnu-lic.sv01")
    withdrawn = Entry.objects.get(contest=demo.open, entrant=student)
    newcomer = {"username": "hs.moi", "password": "Sach-hay-2026", "email": "hs.moi@example.com"}

    # The README's demo: giamkhao.01 marks what is left, bantochuc closes round 1, assigns round 2,
    # closes it once its judges have scored, awards the prizes and publishes; on the side, a
    # student withdraws an entry of the open contest and a newcomer registers.
    with django_capture_on_commit_callbacks(execute=True):  # what the tasks do once each step commits
        score_every_pending(User.objects.get(username="giamkhao.01"))
        steps = [organizer.post(reverse("round-close", kwargs={"pk": first.pk}))]
        steps.append(organizer.post(reverse("round-assign", kwargs={"pk": final.pk})))
        for judge in final.judges.select_related("user"):
            score_every_pending(judge.user)
        steps.append(organizer.post(reverse("round-close", kwargs={"pk": final.pk})))
        steps.append(organizer.post(reverse("contest-prizes", kwargs={"pk": demo.judging.pk})))
        steps.append(organizer.post(reverse("contest-publish", kwargs={"pk": demo.judging.pk})))
        as_student = APIClient()
        as_student.force_authenticate(student)
        steps.append(as_student.delete(reverse("entry-detail", kwargs={"pk": withdrawn.pk})))
        steps.append(
            APIClient().post(
                reverse("auth-register"),
                {**newcomer, "full_name": "Đỗ Minh Khang", "library": student.library_id},
                format="json",
            )
        )
    before = the_demo_contests()
    printed = seed_demo()
    check = io.StringIO()
    call_command("leaderboard_rebuild", "--check", stdout=check)  # raises CommandError on any drift

    assert [step.status_code for step in steps] == [200, 200, 200, 200, 200, 204, 201]
    assert Contest.objects.get(pk=demo.judging.pk).status == "published"
    assert the_demo_contests() == before
    assert not Entry.objects.filter(entrant__username="hs.moi").exists()
    assert "Found as they were left, and not touched: Đại sứ Văn hóa đọc 2026 (open); " in printed
    assert f"contest {demo.judging.pk}: 0 differences" in check.getvalue()
