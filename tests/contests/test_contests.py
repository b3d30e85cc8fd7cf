from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from contests.enums import ContestStatus
from contests.models import Contest
from contests.services import code_prefix_default, contests_close_due
from core.models import AuditEntry
from tests.clients import client_for
from tests.factories import CategoryFactory, ContestFactory, CriterionFactory, PrizeTierFactory, RoundFactory


def new_contest(places, **overrides):
    return {
        "title": "Đại sứ Văn hóa đọc 2027",
        "description": "Cuộc thi dành cho học sinh, sinh viên.",
        "network": places.north.pk,
        "submission_opens_at": "2027-03-01T08:00:00+07:00",
        "submission_closes_at": "2027-06-30T17:00:00+07:00",
        "categories": [
            {"name": "Tiểu học & THCS", "formats": ["text", "video"], "max_words": 1500},
            {"name": "THPT & Đại học", "formats": ["text", "file", "video"]},
        ],
        "rounds": [
            {
                "name": "Vòng sơ khảo",
                "order": 1,
                "judges_per_entry": 3,
                "advance": "top_n_per_library",
                "advance_value": "5",
                "criteria": [
                    {"name": "Nội dung", "weight": "2", "max_score": "10"},
                    {"name": "Hình thức", "weight": "1", "max_score": "5"},
                ],
            },
            {"name": "Chung khảo", "order": 2, "aggregation": "zscore"},
        ],
        "prize_tiers": [
            {"name": "Giải Đặc biệt", "rank": 1, "quota": 4, "points": 10},
            {"name": "Giải A", "rank": 2, "quota": 8},
            {"name": "Khuyến khích", "rank": 5, "quota": 64},
        ],
    } | overrides


def test_organizer_creates_a_contest_with_its_whole_structure_in_one_post(role_users, places):
    response = client_for(role_users["network_organizer"]).post(
        reverse("contest-list"), new_contest(places), format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    contest = Contest.objects.get(pk=body["id"])
    assert (body["status"], body["code_prefix"], body["network_name"]) == ("draft", "DSVHD27", "Liên Chi hội phía Bắc")
    assert body["submission_opens_at"] == "2027-03-01T08:00:00+07:00"  # shown in Vietnam time
    assert contest.submission_opens_at.isoformat() == "2027-03-01T01:00:00+00:00"  # stored in UTC
    assert [(c["name"], c["formats"], c["max_words"], c["max_entries_per_entrant"]) for c in body["categories"]] == [
        ("Tiểu học & THCS", ["text", "video"], 1500, 1),
        ("THPT & Đại học", ["file", "text", "video"], 5000, 1),
    ]
    assert body["categories"][1]["allowed_file_types"] == ["docx", "jpeg", "pdf", "png"]
    assert body["categories"][1]["allowed_video_hosts"] == ["facebook", "google_drive", "tiktok", "youtube"]
    assert [(r["name"], r["judges_per_entry"], r["aggregation"], r["advance"]) for r in body["rounds"]] == [
        ("Vòng sơ khảo", 3, "weighted_mean", "top_n_per_library"),
        ("Chung khảo", 3, "zscore", "none"),
    ]
    assert [(c["name"], c["weight"], c["max_score"]) for c in body["rounds"][0]["criteria"]] == [
        ("Nội dung", "2.00", "10.00"),
        ("Hình thức", "1.00", "5.00"),
    ]
    assert [(t["name"], t["rank"], t["quota"]) for t in body["prize_tiers"]] == [
        ("Giải Đặc biệt", 1, 4),
        ("Giải A", 2, 8),
        ("Khuyến khích", 5, 64),
    ]
    assert AuditEntry.objects.filter(action="contest.created", target_id=contest.pk).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"submission_closes_at": "2027-02-01T08:00:00+07:00"}, "submission_closes_at"),
        ({"categories": [{"name": "A", "formats": []}]}, "categories"),
        ({"categories": [{"name": "A", "formats": ["text", "text"]}]}, "categories"),
        ({"categories": [{"name": "A", "formats": ["audio"]}]}, "categories"),
        ({"categories": [{"name": "A"}, {"name": "a"}]}, "categories"),
        ({"rounds": [{"name": "V1", "order": 1}, {"name": "V2", "order": 1}]}, "rounds"),
        ({"code_prefix": "ab-c"}, "code_prefix"),
        ({"submission_opens_at": "1171-06-16T12:24:17-02:16"}, "submission_opens_at"),
        ({"submission_closes_at": "9999-06-01T00:00:00Z"}, "submission_closes_at"),
        ({"network": 1.5}, "network"),
        ({"prize_tiers": [{"name": "A", "rank": 1, "quota": 0}]}, "prize_tiers"),
        ({"status": "published"}, "status"),
    ],
)
def test_contest_create_with_bad_structure_is_400_and_stores_nothing(role_users, places, overrides, field):
    response = client_for(role_users["platform_organizer"]).post(
        reverse("contest-list"), new_contest(places, **overrides), format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert Contest.objects.count() == 0


def test_contest_for_a_network_the_organizer_does_not_run_is_403(role_users, places):
    response = client_for(role_users["network_organizer"]).post(
        reverse("contest-list"), new_contest(places, network=places.south.pk), format="json"
    )

    assert response.status_code == 403
    assert Contest.objects.count() == 0


def test_drafts_are_seen_by_their_organizers_only(role_users, places):
    ContestFactory(title="Nháp", network=places.north, status=ContestStatus.DRAFT)
    ContestFactory(title="Đang mở", network=places.north, status=ContestStatus.OPEN)

    def titles(role):
        client = client_for(role_users[role]) if role_users[role] else APIClient()
        return [c["title"] for c in client.get(reverse("contest-list")).json()["results"]]

    assert titles("anonymous") == ["Đang mở"]
    assert titles("student") == ["Đang mở"]
    assert sorted(titles("network_organizer")) == ["Nháp", "Đang mở"]


def test_status_moves_forward_only(role_users, contest):
    client = client_for(role_users["network_organizer"])
    url = reverse("contest-detail", kwargs={"pk": contest.pk})

    forward = client.patch(url, {"status": "closed"}, format="json")
    back = client.patch(url, {"status": "open"}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert forward.status_code == 200
    assert back.status_code == 409
    assert back.json() == {
        "status": ["A contest only moves forward; an organizer may reopen it explicitly."],
    }
    contest.refresh_from_db()
    assert contest.status == ContestStatus.CLOSED


def test_reopen_moves_back_to_open_with_a_new_deadline_and_is_audited(role_users, contest):
    contest.status = ContestStatus.CLOSED
    contest.save()
    new_deadline = (timezone.now() + timedelta(days=3)).replace(microsecond=0)

    response = client_for(role_users["network_organizer"]).post(
        reverse("contest-reopen", kwargs={"pk": contest.pk}),
        {"reason": "Mất điện diện rộng ngày cuối", "submission_closes_at": new_deadline.isoformat()},
        format="json",
    )

    assert response.status_code == 200
    contest.refresh_from_db()
    assert (contest.status, contest.submission_closes_at) == (ContestStatus.OPEN, new_deadline)
    audit = AuditEntry.objects.get(action="contest.reopened")
    assert (audit.actor, audit.reason, audit.before["status"]) == (
        role_users["network_organizer"],
        "Mất điện diện rộng ngày cuối",
        "closed",
    )


def test_reopen_of_an_open_contest_is_409(role_users, contest):
    response = client_for(role_users["network_organizer"]).post(
        reverse("contest-reopen", kwargs={"pk": contest.pk}), {"reason": "x"}, format="json"
    )

    assert response.status_code == 409


def test_copy_makes_next_years_draft_with_the_same_structure(role_users, contest):
    CategoryFactory(contest=contest, name="THPT", formats=["text"], max_words=3000)
    judging_round = RoundFactory(contest=contest, name="Sơ khảo", order=1)
    CriterionFactory(round=judging_round, name="Nội dung")
    PrizeTierFactory(contest=contest, name="Giải A", rank=1, quota=8)

    response = client_for(role_users["network_organizer"]).post(
        reverse("contest-copy", kwargs={"pk": contest.pk}), {"title": "Đại sứ Văn hóa đọc 2027"}, format="json"
    )

    assert response.status_code == 201
    copy = Contest.objects.get(pk=response.json()["id"])
    assert (copy.title, copy.status, copy.copied_from, copy.network) == (
        "Đại sứ Văn hóa đọc 2027",
        ContestStatus.DRAFT,
        contest,
        contest.network,
    )
    assert copy.submission_opens_at == contest.submission_opens_at + timedelta(days=365)
    assert [(c.name, c.formats, c.max_words) for c in copy.categories.all()] == [("THPT", ["text"], 3000)]
    assert [[c.name for c in r.criteria.all()] for r in copy.rounds.all()] == [["Nội dung"]]
    assert [(t.name, t.quota) for t in copy.prize_tiers.all()] == [("Giải A", 8)]


def test_structure_can_be_added_piece_by_piece(role_users, contest):
    client = client_for(role_users["network_organizer"])

    category = client.post(
        reverse("contest-categories", kwargs={"pk": contest.pk}),
        {"name": "Tiểu học", "formats": ["text"], "max_words": 800, "max_entries_per_entrant": 2},
        format="json",
    )
    judging_round = client.post(
        reverse("contest-rounds", kwargs={"pk": contest.pk}),
        {"name": "Sơ khảo", "order": 1, "judges_per_entry": 2, "criteria": [{"name": "Ý tưởng", "max_score": "10"}]},
        format="json",
    )
    tier = client.post(
        reverse("contest-prize-tiers", kwargs={"pk": contest.pk}),
        {"name": "Giải B", "rank": 3, "quota": 16},
        format="json",
    )

    assert (category.status_code, judging_round.status_code, tier.status_code) == (201, 201, 201)
    detail = client.get(reverse("contest-detail", kwargs={"pk": contest.pk})).json()
    assert [c["name"] for c in detail["categories"]] == ["Tiểu học"]
    assert detail["rounds"][0]["criteria"][0]["name"] == "Ý tưởng"
    assert detail["prize_tiers"][0]["quota"] == 16


def test_a_rounds_scoring_due_date_in_a_far_off_year_is_refused(role_users, contest):
    client = client_for(role_users["network_organizer"])

    response = client.post(
        reverse("contest-rounds", kwargs={"pk": contest.pk}),
        {"name": "Sơ khảo", "order": 1, "judges_per_entry": 2, "due_at": "0001-01-01T06:00:00Z"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {"due_at": ["Give a time between the years 2000 and 2099."]}
    assert not contest.rounds.exists()


def test_contests_close_due_closes_only_open_contests_past_their_deadline(places):
    past = ContestFactory(network=places.north, submission_closes_at=timezone.now() - timedelta(minutes=1))
    running = ContestFactory(network=places.north)

    assert contests_close_due() == 1

    past.refresh_from_db()
    running.refresh_from_db()
    assert (past.status, running.status) == (ContestStatus.CLOSED, ContestStatus.OPEN)


def test_code_prefix_default_folds_vietnamese_initials_and_skips_other_scripts():
    year_2026 = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)

    assert code_prefix_default("Đại sứ Văn hóa đọc 2026", year_2026) == "DSVHD26"
    assert code_prefix_default("雃 读书 Q", year_2026) == "Q26"
    assert code_prefix_default("读书", year_2026) == "DS26"


def test_contest_list_takes_a_fixed_number_of_queries(places, django_assert_num_queries):
    def one_more():
        contest = ContestFactory(network=places.north)
        CategoryFactory(contest=contest)
        CriterionFactory(round=RoundFactory(contest=contest))
        PrizeTierFactory(contest=contest)

    one_more()
    with django_assert_num_queries(6):  # count, page, categories, prize tiers, rounds, criteria
        APIClient().get(reverse("contest-list"))
    one_more()
    one_more()

    with django_assert_num_queries(6):
        response = APIClient().get(reverse("contest-list"))

    assert response.json()["count"] == 3


def test_duplicates_in_one_post_are_reported_at_their_place(role_users, places):
    response = client_for(role_users["platform_organizer"]).post(
        reverse("contest-list"),
        new_contest(places, prize_tiers=[{"name": "A", "rank": 1, "quota": 4}, {"name": "B", "rank": 1, "quota": 8}]),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert (response.status_code, response.json()) == (
        400,
        {"prize_tiers": [{}, {"rank": ["Used twice in this contest."]}]},
    )


def test_status_moves_one_stage_at_a_time(role_users, contest):
    response = client_for(role_users["network_organizer"]).patch(
        reverse("contest-detail", kwargs={"pk": contest.pk}),
        {"status": "archived"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert (response.status_code, response.json()) == (
        409,
        {"status": ["From Open for entries the contest can only move to Closed for entries."]},
    )


def test_an_unknown_contest_is_a_translated_404(db):
    response = APIClient().get(reverse("contest-detail", kwargs={"pk": 999999}))

    assert (response.status_code, response.json()) == (404, {"detail": "Không tìm thấy."})
