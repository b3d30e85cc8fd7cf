from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from rest_framework.test import APIClient

from contests.models import Contest
from judging.models import Assignment
from people.models import Library, Network, User
from submissions.models import Entry


def counts():
    return (Network.objects.count(), Library.objects.count(), User.objects.count(), Entry.objects.count())


def test_seed_demo_builds_the_world_of_the_article_and_is_idempotent(db, capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")

    # people: 2 organizers, 13 librarians, 24 students per library, 8 judges;
    # entries: every student in 2026 and 2025, one in three in 2024
    assert counts() == first == (6, 13, 2 + 13 + 13 * 24 + 8, 2 * 13 * 24 + 13 * 8)
    printed = capsys.readouterr().out
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


def test_seed_demo_contest_has_its_structure_and_entries(db):
    call_command("seed_demo")

    contest = Contest.objects.get(title="Đại sứ Văn hóa đọc 2026")
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


def test_seed_demo_logins_work_through_the_api(db):
    call_command("seed_demo")

    response = APIClient().post(reverse("auth-token"), {"username": "nala", "password": "Docsach@2026"}, format="json")

    assert response.status_code == 200
    me = APIClient().get(reverse("auth-me"), HTTP_AUTHORIZATION=f"Token {response.json()['token']}").json()
    assert me["roles"] == ["network_organizer"]


def test_seed_demo_leaves_last_years_contest_in_judging(db):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: nothing assigned or scored twice

    contest = Contest.objects.get(title="Đại sứ Văn hóa đọc 2025")
    first, final = contest.rounds.all()
    assignments = Assignment.objects.filter(round=first)
    assert (contest.status, first.status, final.status) == ("judging", "scoring", "scoring")
    assert [r.judges.count() for r in (first, final)] == [8, 8]
    assert assignments.count() == 312 * 3
    assert assignments.filter(score__submitted=True).count() == 312 * 3 - 3
    assert set(assignments.exclude(score__submitted=True).values_list("judge__username", flat=True)) == {"giamkhao.01"}
    # never a librarian on their own library's entries
    assert not assignments.filter(entry__library__staff__user=F("judge")).exists()
