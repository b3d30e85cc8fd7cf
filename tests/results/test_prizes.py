"""Tier prizes from the final ranking: quotas, ties at a boundary, overrides, special prizes."""

from django.urls import reverse

from contests.enums import RoundStatus
from core.models import AuditEntry
from results import prizes
from results.enums import AwardKind
from results.models import Award
from submissions.enums import EntryStatus
from tests.factories import RoundFactory
from tests.results.helpers import api, ranking


def won(contest) -> dict[str, str | None]:
    """entry title -> tier name, for the tier prizes (None: withheld by an override)."""
    awards = Award.objects.filter(contest=contest, kind=AwardKind.PRIZE).select_related("entry", "tier")
    return {award.entry.title: award.tier.name if award.tier else None for award in awards}


def award(contest, actor):
    return prizes.prizes_award(actor=actor, contest=contest)


def test_prizes_fill_the_tiers_by_quota_in_rank_order(judged_contest, final_round, essays, tiers, places, organizer):
    ranking(final_round, essays, places.north_library, [1, 2, 3, 4, 5, 6, 7, 8], title="e")

    report = award(judged_contest, organizer)

    assert won(judged_contest) == {
        "e0": "Giải Nhất",
        "e1": "Giải Nhì",
        "e2": "Giải Nhì",
        "e3": "Giải Ba",
        "e4": "Giải Ba",
        "e5": "Giải Ba",
    }
    assert report.awarded == 6
    assert [(t.tier_name, t.quota, t.awarded, t.overflow) for t in report.tiers] == [
        ("Giải Nhất", 1, 1, 0),
        ("Giải Nhì", 2, 2, 0),
        ("Giải Ba", 3, 3, 0),
    ]


def test_exact_ties_share_the_higher_prize_and_the_organizer_sees_the_overflow(
    judged_contest, final_round, essays, tiers, places, organizer
):
    entries = ranking(final_round, essays, places.north_library, [1, 1, 3, 4, 4, 6, 6, 8], title="e")

    report = award(judged_contest, organizer)

    # Two share first place: both win the first prize, and the second prize starts at place 3.
    assert won(judged_contest) == {
        "e0": "Giải Nhất",
        "e1": "Giải Nhất",
        "e2": "Giải Nhì",
        "e3": "Giải Ba",
        "e4": "Giải Ba",
        "e5": "Giải Ba",
        "e6": "Giải Ba",
    }
    assert [(t.tier_name, t.awarded, t.overflow, t.overflow_entries) for t in report.tiers] == [
        ("Giải Nhất", 2, 1, sorted([entries[0].code, entries[1].code])),
        ("Giải Nhì", 1, 0, []),
        ("Giải Ba", 4, 1, sorted([entries[5].code, entries[6].code])),
    ]


def test_each_category_has_its_own_quotas(judged_contest, final_round, essays, videos, tiers, places, organizer):
    ranking(final_round, essays, places.north_library, [1, 2], title="essay")
    ranking(final_round, videos, places.south_library, [1, 2, 3, 4], title="video")

    award(judged_contest, organizer)

    assert won(judged_contest) == {
        "essay0": "Giải Nhất",
        "essay1": "Giải Nhì",
        "video0": "Giải Nhất",
        "video1": "Giải Nhì",
        "video2": "Giải Nhì",
        "video3": "Giải Ba",
    }


def test_an_entry_disqualified_after_the_close_leaves_no_hole(
    judged_contest, final_round, essays, tiers, places, organizer
):
    entries = ranking(final_round, essays, places.north_library, [1, 2, 3], title="e")
    entries[0].status = EntryStatus.DISQUALIFIED
    entries[0].save()

    award(judged_contest, organizer)

    assert won(judged_contest) == {"e1": "Giải Nhất", "e2": "Giải Nhì"}


def test_an_override_with_its_reason_survives_the_next_award_run(
    judged_contest, final_round, essays, tiers, places, organizer
):
    entries = ranking(final_round, essays, places.north_library, [1, 2, 3, 4, 5, 6, 7], title="e")
    award(judged_contest, organizer)

    prizes.award_override(
        actor=organizer, contest=judged_contest, entry_id=entries[6].pk, tier=tiers["Nhì"], reason="Phúc khảo"
    )
    prizes.award_override(actor=organizer, contest=judged_contest, entry_id=entries[0].pk, tier=None, reason="Đạo văn")
    award(judged_contest, organizer)

    assert won(judged_contest) == {
        "e0": None,  # withheld: the places below do not move up
        "e1": "Giải Nhì",
        "e2": "Giải Nhì",
        "e3": "Giải Ba",
        "e4": "Giải Ba",
        "e5": "Giải Ba",
        "e6": "Giải Nhì",
    }
    audit = AuditEntry.objects.filter(action="award.overridden").order_by("id")
    assert [(a.actor, a.before, a.after, a.reason) for a in audit] == [
        (
            organizer,
            None,
            {"entry": entries[6].pk, "tier": tiers["Nhì"].pk, "name": "", "reason": "Phúc khảo"},
            "Phúc khảo",
        ),
        (
            organizer,
            {"entry": entries[0].pk, "tier": tiers["Nhất"].pk, "name": "", "reason": ""},
            {"entry": entries[0].pk, "tier": None, "name": "", "reason": "Đạo văn"},
            "Đạo văn",
        ),
    ]


def test_a_withheld_prize_is_not_shown_to_the_public(judged_contest, final_round, essays, tiers, places, organizer):
    entries = ranking(final_round, essays, places.north_library, [1, 2], title="e")
    award(judged_contest, organizer)
    prizes.award_override(actor=organizer, contest=judged_contest, entry_id=entries[0].pk, tier=None, reason="Đạo văn")
    judged_contest.status = "published"
    judged_contest.save()
    url = reverse("contest-awards", kwargs={"pk": judged_contest.pk})

    public = api(None).get(url).json()["results"]
    organizers = api(organizer).get(url).json()["results"]

    assert [(row["title"], row["tier_name"], row["reason"]) for row in public] == [("e1", "Giải Nhì", "")]
    assert [(row["title"], row["tier_name"], row["reason"]) for row in organizers] == [
        ("e1", "Giải Nhì", ""),
        ("e0", None, "Đạo văn"),  # withheld prizes last
    ]


def test_an_override_needs_a_reason_and_an_entry_of_the_contest(
    judged_contest, final_round, essays, tiers, places, organizer
):
    (entry,) = ranking(final_round, essays, places.north_library, [1])
    url = reverse("contest-award-override", kwargs={"pk": judged_contest.pk})

    no_reason = api(organizer).post(url, {"entry": entry.pk, "tier": tiers["Ba"].pk, "reason": " "}, format="json")
    elsewhere = api(organizer).post(url, {"entry": 999999, "tier": None, "reason": "x"}, format="json")

    assert no_reason.status_code == 400
    assert set(no_reason.json()) == {"reason"}
    assert elsewhere.status_code == 400
    assert set(elsewhere.json()) == {"entry"}
    assert Award.objects.count() == 0


def test_special_prizes_are_given_by_hand_once_each(judged_contest, final_round, essays, tiers, places, organizer):
    (entry,) = ranking(final_round, essays, places.north_library, [1])
    url = reverse("contest-special-prize", kwargs={"pk": judged_contest.pk})
    payload = {"entry": entry.pk, "name": "Video được xem nhiều nhất", "reason": "64.000 lượt xem"}

    first = api(organizer).post(url, payload, format="json")
    again = api(organizer).post(url, payload, format="json")

    assert first.status_code == 201
    assert (first.json()["kind"], first.json()["name"], first.json()["tier"]) == (
        "special",
        "Video được xem nhiều nhất",
        None,
    )
    assert again.status_code == 409
    assert Award.objects.filter(kind=AwardKind.SPECIAL).count() == 1


def test_a_special_prize_can_be_taken_back_but_a_ranked_prize_only_overridden(
    judged_contest, final_round, essays, tiers, places, organizer
):
    (entry,) = ranking(final_round, essays, places.north_library, [1])
    award(judged_contest, organizer)
    special = prizes.special_prize_give(actor=organizer, contest=judged_contest, entry_id=entry.pk, name="Chủ đề")
    ranked = Award.objects.get(kind=AwardKind.PRIZE)

    removed = api(organizer).delete(reverse("award-detail", kwargs={"pk": special.pk}))
    refused = api(organizer).delete(reverse("award-detail", kwargs={"pk": ranked.pk}))

    assert (removed.status_code, refused.status_code) == (204, 409)
    assert list(Award.objects.values_list("kind", flat=True)) == ["prize"]


def test_prizes_wait_for_the_final_round_to_close(judged_contest, essays, tiers, organizer):
    RoundFactory(contest=judged_contest, order=1, status=RoundStatus.CLOSED)
    RoundFactory(contest=judged_contest, order=2, name="Chung kết", status=RoundStatus.SCORING)

    response = api(organizer).post(reverse("contest-prizes", kwargs={"pk": judged_contest.pk}))

    assert response.status_code == 409
    assert "Chung kết" in response.json()["detail"]
    assert Award.objects.count() == 0


def test_prizes_need_prize_tiers(judged_contest, final_round, organizer):
    response = api(organizer).post(reverse("contest-prizes", kwargs={"pk": judged_contest.pk}))

    assert response.status_code == 409


def test_the_prize_report_over_the_api(judged_contest, final_round, essays, tiers, places, organizer):
    entries = ranking(final_round, essays, places.north_library, [1, 1, 3], title="e")
    url = reverse("contest-prizes", kwargs={"pk": judged_contest.pk})

    posted = api(organizer).post(url)
    read = api(organizer).get(url)

    assert posted.status_code == 200
    assert posted.json() == read.json()
    assert read.json()["awarded"] == 3
    assert read.json()["tiers"][0] == {
        "category": essays.pk,
        "category_name": "Bài viết",
        "tier": tiers["Nhất"].pk,
        "tier_name": "Giải Nhất",
        "quota": 1,
        "awarded": 2,
        "overflow": 1,
        "overflow_entries": sorted([entries[0].code, entries[1].code]),
    }


def test_refusals_speak_the_users_language(judged_contest, essays, tiers, organizer):
    RoundFactory(contest=judged_contest, order=1, name="Chung khảo", status=RoundStatus.SCORING)
    url = reverse("contest-prizes", kwargs={"pk": judged_contest.pk})

    english = api(organizer).post(url, HTTP_ACCEPT_LANGUAGE="en")
    vietnamese = api(organizer).post(url, HTTP_ACCEPT_LANGUAGE="vi")

    assert english.json()["detail"] == "Close the final round (Chung khảo) first."
    assert vietnamese.json()["detail"] == "Hãy đóng vòng cuối (Chung khảo) trước."
