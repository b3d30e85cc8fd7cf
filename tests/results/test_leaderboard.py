"""Leaderboards: exact figures on a small contest, network roll-ups, totals that always equal a
recompute from the raw rows, and the drift check."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contests.enums import ContestStatus
from judging.models import RoundResult
from results.enums import AwardKind
from results.leaderboard import leaderboard_drift, leaderboard_refresh
from results.models import Award, LeaderboardRow
from submissions.enums import EntryStatus
from submissions.models import Entry
from tests.factories import EntryFactory, LibraryFactory, RoundResultFactory, StudentFactory
from tests.results.helpers import api


class Standings:
    """Four entrants from three libraries, in two categories (see each test for the figures).

    essays: A 1st (99), C 2nd (98), B 3rd (97), D 4th (96); videos: A 1st (99), D 2nd (98).
    Prizes (Nhất 1 / Nhì 2 / Ba 3; 10 / 5 / 2 points): essays A Nhất, C and B Nhì, D Ba;
    videos A Nhất, D Nhì."""

    def __init__(self, places, contest, final_round, essays, videos, tiers):
        places.north_library.student_count = 200
        places.north_library.save()
        self.province_library = LibraryFactory(
            name="Trường THPT Chuyên Thái Nguyên", network=places.north_province, student_count=1000
        )
        a = StudentFactory(full_name="Nguyễn Thị Hường", library=places.north_library)
        b = StudentFactory(full_name="Trần Quốc Việt", library=places.north_library)
        c = StudentFactory(full_name="Lê Ngọc Ánh", library=self.province_library)
        d = StudentFactory(full_name="Đặng Thuỳ Dương", library=places.south_library)
        for student, category, rank, tier in (
            (a, essays, 1, "Nhất"),
            (c, essays, 2, "Nhì"),
            (b, essays, 3, "Nhì"),
            (d, essays, 4, "Ba"),
            (a, videos, 1, "Nhất"),
            (d, videos, 2, "Nhì"),
        ):
            entry = EntryFactory(category=category, entrant=student)
            RoundResultFactory(round=final_round, entry=entry, rank=rank, score=Decimal(100 - rank))
            Award.objects.create(contest=contest, entry=entry, category=category, tier=tiers[tier], rank=rank)
        self.withdrawn = EntryFactory(category=essays, entrant=b, status=EntryStatus.WITHDRAWN)


@pytest.fixture
def standings(places, judged_contest, final_round, essays, videos, tiers):
    standings = Standings(places, judged_contest, final_round, essays, videos, tiers)
    leaderboard_refresh(contest=judged_contest)
    return standings


def board(user, contest, **query) -> list[tuple]:
    response = api(user).get(reverse("contest-leaderboard", kwargs={"pk": contest.pk}), query)
    assert response.status_code == 200, response.content
    return [
        (
            row["rank"],
            row["unit"]["name"],
            row["entries"],
            row["entrants"],
            row["student_count"],
            row["participation_rate"],
            row["average_score"],
            [prize["count"] for prize in row["prizes"]],
            row["winners"],
            row["points"],
        )
        for row in response.json()["results"]
    ]


def test_the_library_leaderboard(standings, judged_contest, organizer):
    assert board(organizer, judged_contest) == [
        (1, "Thư viện Đại học Vinh", 3, 2, 200, "0.0100", "98.3333", [2, 1, 0], 3, 25),
        (2, "Thư viện Đại học Cần Thơ", 2, 1, None, None, "97.0000", [0, 1, 1], 2, 7),
        (3, "Trường THPT Chuyên Thái Nguyên", 1, 1, 1000, "0.0010", "98.0000", [0, 1, 0], 1, 5),
    ]


def test_a_leaderboard_page_counts_its_whole_board(standings, judged_contest, organizer):
    url = reverse("contest-leaderboard", kwargs={"pk": judged_contest.pk})

    page = api(organizer).get(url, {"page_size": 2}).json()
    last = api(organizer).get(url, {"page_size": 2, "page": 2}).json()

    assert (page["count"], len(page["results"]), page["previous"]) == (3, 2, None)
    assert (last["count"], len(last["results"]), last["next"]) == (3, 1, None)


def test_networks_roll_up_everything_below_them(standings, judged_contest, organizer):
    assert board(organizer, judged_contest, by="network") == [
        (1, "Bộ Văn hóa", 6, 4, 1200, "0.0033", "97.8333", [2, 3, 1], 6, 37),
        (2, "Liên Chi hội phía Bắc", 4, 3, 1200, "0.0025", "98.2500", [2, 2, 0], 4, 30),
        (3, "Hội thư viện phía Nam", 2, 1, None, None, "97.0000", [0, 1, 1], 2, 7),
        (4, "Tỉnh Thái Nguyên", 1, 1, 1000, "0.0010", "98.0000", [0, 1, 0], 1, 5),
    ]


def test_a_category_has_its_own_leaderboard(standings, judged_contest, essays, organizer):
    assert board(organizer, judged_contest, category=essays.pk) == [
        (1, "Thư viện Đại học Vinh", 2, 2, 200, "0.0100", "98.0000", [1, 1, 0], 2, 15),
        (2, "Trường THPT Chuyên Thái Nguyên", 1, 1, 1000, "0.0010", "98.0000", [0, 1, 0], 1, 5),
        (3, "Thư viện Đại học Cần Thơ", 1, 1, None, None, "96.0000", [0, 0, 1], 1, 2),
    ]


def test_the_leaderboard_sorts_by_participation_with_the_unknown_last(standings, judged_contest, organizer):
    rows = board(organizer, judged_contest, order="participation")

    assert [name for _rank, name, *_ in rows] == [
        "Thư viện Đại học Vinh",
        "Trường THPT Chuyên Thái Nguyên",
        "Thư viện Đại học Cần Thơ",
    ]


def test_a_bad_leaderboard_query_is_a_400(standings, judged_contest, organizer):
    url = reverse("contest-leaderboard", kwargs={"pk": judged_contest.pk})

    response = api(organizer).get(url, {"by": "province", "order": "luck", "category": 2**63})

    assert response.status_code == 400
    assert set(response.json()) == {"by", "order", "category"}  # an id past any key: not a 500 from SQLite


def test_the_leaderboard_follows_a_round_close_and_an_award(
    places, judged_contest, essays, tiers, organizer, django_capture_on_commit_callbacks
):
    from judging import closing
    from results import prizes
    from tests.factories import AssignmentFactory, CriterionFactory, JudgeFactory, RoundFactory
    from tests.judging.helpers import mark

    judging_round = RoundFactory(contest=judged_contest, order=1, judges_per_entry=1)
    CriterionFactory(round=judging_round, max_score=Decimal(10))
    judge = JudgeFactory(round=judging_round).user
    for value in (7, 9):
        assignment = AssignmentFactory(
            round=judging_round, judge=judge, entry=EntryFactory(category=essays, entrant__library=places.north_library)
        )
        mark(assignment, value)

    with django_capture_on_commit_callbacks(execute=True):
        closing.round_close(actor=organizer, judging_round=judging_round)
    after_close = board(organizer, judged_contest)
    with django_capture_on_commit_callbacks(execute=True):
        prizes.prizes_award(actor=organizer, contest=judged_contest)
    after_award = board(organizer, judged_contest)

    assert after_close == [(1, "Thư viện Đại học Vinh", 2, 2, None, None, "8.0000", [0, 0, 0], 0, 0)]
    assert after_award == [(1, "Thư viện Đại học Vinh", 2, 2, None, None, "8.0000", [1, 1, 0], 2, 15)]


def test_the_rebuild_command_finds_and_mends_drift(standings, judged_contest, essays):
    row = LeaderboardRow.objects.get(library=standings.province_library, category__isnull=True)
    row.points = 500
    row.save()
    LeaderboardRow.objects.filter(library=standings.province_library, category__isnull=False).delete()
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("leaderboard_rebuild", "--check", stdout=out)
    call_command("leaderboard_rebuild", stdout=StringIO())

    report = out.getvalue()
    province = standings.province_library.pk
    assert report.splitlines() == [
        f"contest {judged_contest.pk}: 2 differences",
        f"  library {province}, category {essays.pk}: missing",
        f"  library {province}, category all points: stored 500, should be 5",
    ]
    assert leaderboard_drift(judged_contest) == []


# Totals against a recompute from the raw rows -------------------------------------------------


def recomputed(contest, first_round, networks) -> dict:
    """(unit, id, category or None) -> figures, straight from entries, results and awards."""
    valid = list(Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED).select_related("library__network"))
    scores = dict(RoundResult.objects.filter(round=first_round).values_list("entry_id", "score"))
    prizes = defaultdict(list)
    for entry_id, tier_id, points in Award.objects.filter(kind=AwardKind.PRIZE, tier__isnull=False).values_list(
        "entry_id", "tier_id", "tier__points"
    ):
        prizes[entry_id].append((tier_id, points))
    units = {("library", entry.library_id): lambda e, lib=entry.library_id: e.library_id == lib for entry in valid}
    for network in networks:
        units[("network", network.pk)] = lambda e, path=network.path: e.library.network.path.startswith(path)
    figures = {}
    for (unit, unit_id), belongs in units.items():
        for category_id in [None, *{entry.category_id for entry in valid}]:
            mine = [e for e in valid if belongs(e) and category_id in (None, e.category_id)]
            if not mine:
                continue
            scored = [scores[e.pk] for e in mine if e.pk in scores]
            won = [prize for e in mine for prize in prizes[e.pk]]
            tiers = defaultdict(int)
            for tier_id, _points in won:
                tiers[str(tier_id)] += 1
            figures[unit, unit_id, category_id] = (
                len(mine),
                len({e.entrant_id for e in mine}),
                (sum(scored) / len(scored)).quantize(Decimal("0.0001"), ROUND_HALF_UP) if scored else None,
                dict(tiers),
                len(won),
                sum(points for _tier, points in won),
            )
    return figures


def stored(contest) -> dict:
    return {
        (row.unit, row.library_id or row.network_id, row.category_id): (
            row.entries,
            row.entrants,
            row.average_score,
            row.prizes,
            row.winners,
            row.points,
        )
        for row in LeaderboardRow.objects.filter(contest=contest)
    }


entry_specs = st.lists(
    st.tuples(
        st.integers(0, 3),  # library
        st.integers(0, 1),  # category
        st.integers(0, 5),  # entrant (who may have entries from two libraries)
        st.sampled_from([EntryStatus.SUBMITTED, EntryStatus.SUBMITTED, EntryStatus.WITHDRAWN]),
        st.one_of(st.none(), st.decimals(0, 100, places=2)),  # first-round score
        st.one_of(st.none(), st.integers(0, 2)),  # prize tier
    ),
    max_size=14,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=entry_specs)
def test_leaderboard_totals_equal_a_recompute_from_the_raw_rows(
    places, judged_contest, final_round, essays, videos, tiers, specs
):
    with transaction.atomic():
        libraries = [places.north_library, places.south_library]
        libraries += [LibraryFactory(network=places.north_province), LibraryFactory(network=places.national)]
        students = [StudentFactory(library=libraries[i % 4]) for i in range(6)]
        tier_list = list(tiers.values())
        for library_index, category_index, student_index, status, score, tier_index in specs:
            entry = EntryFactory(
                category=(essays, videos)[category_index],
                entrant=students[student_index],
                library=libraries[library_index],
                status=status,
            )
            if score is not None:
                RoundResultFactory(round=final_round, entry=entry, score=score)
            if tier_index is not None:
                Award.objects.create(
                    contest=judged_contest, entry=entry, category=entry.category, tier=tier_list[tier_index]
                )

        leaderboard_refresh(contest=judged_contest)

        networks = [places.national, places.north, places.north_province, places.south]
        assert stored(judged_contest) == recomputed(judged_contest, final_round, networks)
        for row in LeaderboardRow.objects.filter(contest=judged_contest):
            better = LeaderboardRow.objects.filter(
                contest=judged_contest, unit=row.unit, category=row.category, points__gt=row.points
            ).count()
            assert row.rank > better  # nobody with fewer points ranks above one with more
        transaction.set_rollback(True)


def test_the_leaderboard_is_for_organizers_until_published(standings, judged_contest, role_users):
    url = reverse("contest-leaderboard", kwargs={"pk": judged_contest.pk})

    before = {role: api(user).get(url).status_code for role, user in role_users.items()}
    judged_contest.status = ContestStatus.PUBLISHED
    judged_contest.save()
    after = {role: api(user).get(url).status_code for role, user in role_users.items()}

    assert before == {
        "anonymous": 403,
        "student": 403,
        "judge": 403,
        "library_staff": 403,
        "network_organizer": 200,
        "platform_organizer": 200,
    }
    assert after == dict.fromkeys(role_users, 200)
