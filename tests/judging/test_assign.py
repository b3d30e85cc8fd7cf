from collections import Counter
from decimal import Decimal

import yaml
from django.urls import reverse

from contests.enums import ContestStatus
from core.models import AuditEntry
from judging import services
from judging.models import Assignment, Recusal
from submissions.enums import EntryStatus
from tests.factories import JudgeFactory, LibraryStaffFactory, UserFactory
from tests.judging.helpers import api, assign, entries_of, mark, panel


def judges_by_entry(judging_round) -> dict:
    pairs = Assignment.objects.filter(round=judging_round).values_list("entry__code", "judge_id")
    result = {}
    for code, judge_id in pairs:
        result.setdefault(code, set()).add(judge_id)
    return result


def test_assign_gives_every_entry_its_judges_and_evens_the_loads(first_round, essays, places, organizer):
    entries = entries_of(essays, places.north_library, 9) + entries_of(essays, places.south_library, 6)
    judges = panel(first_round, 5)

    response = api(organizer).post(reverse("round-assign", kwargs={"pk": first_round.pk}))

    assert response.status_code == 200
    report = response.json()
    design = report.pop("design")
    assert report == {
        "entries": 15,
        "judges": 5,
        "added": 30,
        "moved": 0,
        "removed": 0,
        "assignments": 30,
        "lightest_load": 6,
        "heaviest_load": 6,
        "short": [],
        "held": 0,
        "anchored": 0,
    }
    # the round's seed is drawn at this first run: how much the judges meet depends on it
    assert (design["judges"], design["components"], design["largest_component"]) == (5, 1, 5)
    assert {code: len(judges) for code, judges in judges_by_entry(first_round).items()} == {
        entry.code: 2 for entry in entries
    }
    assert sorted(Counter(Assignment.objects.values_list("judge_id", flat=True)).values()) == [6] * 5
    assert {j.pk for j in judges} == set(Assignment.objects.values_list("judge_id", flat=True))
    first_round.contest.refresh_from_db()
    assert first_round.contest.status == ContestStatus.JUDGING
    audit = AuditEntry.objects.get(action="round.assigned")
    assert (audit.actor, audit.after) == (organizer, {"added": 30, "moved": 0, "removed": 0, "short": 0, "held": 0})


def test_assign_never_gives_a_judge_an_entry_of_their_own_library(first_round, essays, places, organizer):
    north = entries_of(essays, places.north_library, 4)
    south = entries_of(essays, places.south_library, 4)
    north_judges = panel(first_round, 2, library=places.north_library)
    staff = UserFactory()  # works at the south library, though registered nowhere
    LibraryStaffFactory(user=staff, library=places.south_library)
    JudgeFactory(round=first_round, user=staff)
    outsider = panel(first_round, 1)[0]

    report = assign(first_round, organizer)

    by_entry = judges_by_entry(first_round)
    assert all(by_entry[e.code] == {staff.pk, outsider.pk} for e in north)
    assert all(by_entry[e.code] <= {j.pk for j in north_judges} | {outsider.pk} for e in south)
    assert all(len(by_entry[e.code]) == 2 for e in south)
    assert report.short == []


def test_assign_reports_the_entries_it_cannot_cover(first_round, essays, places, organizer):
    (north_entry,) = entries_of(essays, places.north_library, 1)
    (south_entry,) = entries_of(essays, places.south_library, 1)
    panel(first_round, 2, library=places.north_library)

    response = api(organizer).post(reverse("round-assign", kwargs={"pk": first_round.pk}))

    assert response.json()["short"] == [{"entry": north_entry.pk, "code": north_entry.code, "missing": 2}]
    assert judges_by_entry(first_round) == {south_entry.code: set(judges_by_entry(first_round)[south_entry.code])}
    assert len(judges_by_entry(first_round)[south_entry.code]) == 2


def test_assign_again_adds_what_is_missing_and_keeps_every_score(first_round, essays, places, organizer):
    entries_of(essays, places.north_library, 6)
    first_judges = panel(first_round, 2)
    assign(first_round, organizer)
    scored = Assignment.objects.filter(judge=first_judges[0]).order_by("pk")[:2]
    for assignment in scored:
        mark(assignment, 8, 4, submit=assignment == scored[0])  # one submitted, one draft
    newcomer = panel(first_round, 1)[0]
    late = entries_of(essays, places.north_library, 3)
    before = {a.pk: a.judge_id for a in scored}

    report = assign(first_round, organizer)

    assert (report.added, report.assignments) == (6, 18)
    assert (report.lightest_load, report.heaviest_load) == (6, 6)
    assert {a.pk: a.judge_id for a in Assignment.objects.filter(pk__in=before)} == before
    assert Assignment.objects.filter(judge=newcomer).count() == 6
    assert all(len(judges_by_entry(first_round)[e.code]) == 2 for e in late)
    assert assign(first_round, organizer).added == 0


def test_assign_is_deterministic(first_round, essays, places, organizer):
    entries_of(essays, places.north_library, 7)
    panel(first_round, 4)
    assign(first_round, organizer)
    first = sorted(Assignment.objects.values_list("entry_id", "judge_id"))
    Assignment.objects.all().delete()

    assign(first_round, organizer)

    assert sorted(Assignment.objects.values_list("entry_id", "judge_id")) == first


def test_assign_drops_unscored_work_on_withdrawn_entries(first_round, essays, places, organizer):
    withdrawn, kept = entries_of(essays, places.north_library, 2)
    panel(first_round, 2)
    assign(first_round, organizer)
    withdrawn.status = EntryStatus.WITHDRAWN
    withdrawn.save()

    report = assign(first_round, organizer)

    assert (report.removed, report.entries) == (2, 1)
    assert list(judges_by_entry(first_round)) == [kept.code]


def test_assign_refuses_a_round_without_judges(first_round, essays, places, organizer):
    entries_of(essays, places.north_library, 2)

    response = api(organizer).post(reverse("round-assign", kwargs={"pk": first_round.pk}), HTTP_ACCEPT_LANGUAGE="en")

    assert (response.status_code, response.json()) == (
        409,
        {"detail": "This round has no judges yet; add judges before assigning.", "code": "no_judges"},
    )
    assert Assignment.objects.count() == 0


def test_assign_waits_for_the_contest_to_close(first_round, essays, places, organizer):
    first_round.contest.status = ContestStatus.OPEN
    first_round.contest.save()
    panel(first_round, 2)

    response = api(organizer).post(reverse("round-assign", kwargs={"pk": first_round.pk}), HTTP_ACCEPT_LANGUAGE="en")

    assert (response.status_code, response.json()["detail"]) == (
        409,
        "Judging starts once the contest is closed for entries.",
    )


def test_a_recusal_frees_the_entry_for_another_judge(first_round, essays, places, organizer):
    (entry,) = entries_of(essays, places.north_library, 1)
    judges = panel(first_round, 3)
    assign(first_round, organizer)
    assignment = Assignment.objects.filter(entry=entry).order_by("judge_id").first()
    mark(assignment, 5, 5, submit=False)

    response = api(assignment.judge).post(
        reverse("assignment-recuse", kwargs={"pk": assignment.pk}), {"reason": "Học trò của tôi"}, format="json"
    )
    assign(first_round, organizer)

    assert response.status_code == 204
    recusal = Recusal.objects.get()
    assert (recusal.judge, recusal.entry, recusal.reason) == (assignment.judge, entry, "Học trò của tôi")
    assert judges_by_entry(first_round)[entry.code] == {j.pk for j in judges} - {assignment.judge_id}
    audit = AuditEntry.objects.get(action="assignment.recused")
    assert audit.before["score"]["marks"] == {k: "5" for k in audit.before["score"]["marks"]}


def test_judges_added_and_removed_through_the_api(first_round, essays, places, organizer, role_users):
    entries_of(essays, places.north_library, 4)
    judge = role_users["judge"]
    url = reverse("round-judges", kwargs={"pk": first_round.pk})
    added = api(organizer).post(url, {"user": judge.pk, "weight": "1.5"}, format="json")
    again = api(organizer).post(url, {"user": judge.pk}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    other = panel(first_round, 1)[0]
    assign(first_round, organizer)
    submitted = Assignment.objects.filter(judge=judge).first()
    mark(submitted, 9, 5)

    removed = api(organizer).delete(reverse("round-judge-remove", kwargs={"pk": first_round.pk, "user_id": judge.pk}))

    assert (added.status_code, added.json()["weight"], added.json()["full_name"]) == (201, "1.50", "Vũ Hoàng Long")
    assert (again.status_code, again.json()) == (409, {"user": ["This user already judges this round."]})
    assert removed.status_code == 204
    assert list(Assignment.objects.filter(judge=judge)) == [submitted]  # the submitted score stays
    assert [(j["user"], j["username"], j["weight"]) for j in api(organizer).get(url).json()] == [
        (other.pk, other.username, "1.00")
    ]


def test_judge_added_by_username_in_any_case(first_round, organizer, role_users):
    url = reverse("round-judges", kwargs={"pk": first_round.pk})

    response = api(organizer).post(url, {"username": "GiamKhao", "weight": "2"}, format="json")

    assert (response.status_code, response.json()["user"], response.json()["username"]) == (
        201,
        role_users["judge"].pk,
        "giamkhao",
    )
    assert list(first_round.judges.values_list("user_id", "weight")) == [(role_users["judge"].pk, Decimal("2.00"))]


def test_judge_add_with_an_unknown_username_is_400_on_the_field(first_round, organizer):
    url = reverse("round-judges", kwargs={"pk": first_round.pk})

    english = api(organizer).post(url, {"username": "khongai"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    vietnamese = api(organizer).post(url, {"username": "khongai"}, format="json", HTTP_ACCEPT_LANGUAGE="vi")

    assert (english.status_code, english.json()) == (400, {"username": ["No account has this username."]})
    assert (vietnamese.status_code, vietnamese.json()) == (
        400,
        {"username": ["Không có tài khoản nào với tên đăng nhập này."]},
    )
    assert not first_round.judges.exists()


def test_judge_add_by_username_refused_by_the_panel_rules_answers_on_username(
    first_round, essays, places, organizer, role_users
):
    (entry,) = entries_of(essays, places.north_library, 1)
    url = reverse("round-judges", kwargs={"pk": first_round.pk})

    entrant = api(organizer).post(url, {"username": entry.entrant.username}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    own = api(organizer).post(url, {"username": organizer.username}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert (entrant.status_code, entrant.json()) == (
        400,
        {"username": ["This user has an entry in the contest and cannot judge it."]},
    )
    assert (own.status_code, own.json()) == (
        400,
        {"username": ["Organizers of this contest see who wrote every entry, so they cannot judge it blind."]},
    )


def test_judge_add_takes_exactly_one_of_user_and_username(first_round, organizer, role_users):
    url = reverse("round-judges", kwargs={"pk": first_round.pk})
    judge = role_users["judge"]

    both = api(organizer).post(
        url, {"user": judge.pk, "username": judge.username}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    neither = api(organizer).post(url, {"weight": "1"}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert (both.status_code, both.json()) == (400, {"username": ["Give the user or the username, not both."]})
    assert (neither.status_code, neither.json()) == (400, {"username": ["Give the judge's username."]})
    assert not first_round.judges.exists()


def test_an_entrant_cannot_judge_their_contest(first_round, essays, places, organizer):
    (entry,) = entries_of(essays, places.north_library, 1)

    response = api(organizer).post(
        reverse("round-judges", kwargs={"pk": first_round.pk}),
        {"user": entry.entrant_id},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert (response.status_code, response.json()) == (
        400,
        {"user": ["This user has an entry in the contest and cannot judge it."]},
    )


def test_extra_judge_goes_to_the_least_loaded_judge_who_may_take_it(first_round, essays, places, organizer):
    (entry, *_rest) = entries_of(essays, places.north_library, 3)
    judges = panel(first_round, 3)
    assign(first_round, organizer)
    on_entry = set(Assignment.objects.filter(entry=entry).values_list("judge_id", flat=True))

    response = api(organizer).post(
        reverse("round-extra-judge", kwargs={"pk": first_round.pk}), {"entry": entry.pk}, format="json"
    )
    full = api(organizer).post(
        reverse("round-extra-judge", kwargs={"pk": first_round.pk}), {"entry": entry.pk}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["judge"] == ({j.pk for j in judges} - on_entry).pop()
    assert Assignment.objects.get(pk=response.json()["id"]).is_extra is True
    assert full.status_code == 409
    assert services.round_assign(actor=organizer, judging_round=first_round).moved == 0


def test_assign_again_after_two_new_judges_moves_without_breaking_the_one_judge_rule(
    first_round, essays, places, organizer
):
    """Moves can chain on one entry (judge 1's place to judge 4 while judge 3's goes to judge 1);
    they are applied as delete and insert, never as an update that meets a row not moved yet."""
    first_round.judges_per_entry = 3
    first_round.save()
    entries = entries_of(essays, places.north_library, 12)
    panel(first_round, 3)
    assign(first_round, organizer)
    newcomers = panel(first_round, 2)

    report = assign(first_round, organizer)

    assert (report.added, report.lightest_load, report.heaviest_load) == (0, 7, 8)
    assert report.moved >= 14  # the newcomers' 14 or more, and the chained moves that make room
    assert all(7 <= Assignment.objects.filter(judge=j).count() <= 8 for j in newcomers)
    by_entry = judges_by_entry(first_round)
    assert all(len(by_entry[e.code]) == 3 for e in entries)
    assert Assignment.objects.count() == 36


def test_a_judge_who_became_staff_of_an_entrys_library_loses_the_unscored_entry(first_round, essays, places, organizer):
    (entry,) = entries_of(essays, places.north_library, 1)
    judges = panel(first_round, 3)
    assign(first_round, organizer)
    holder = Assignment.objects.filter(entry=entry).order_by("judge_id").first().judge
    LibraryStaffFactory(user=holder, library=places.north_library)

    report = assign(first_round, organizer)

    assert report.removed == 1
    assert judges_by_entry(first_round)[entry.code] == {j.pk for j in judges} - {holder.pk}


def test_a_removed_judges_submitted_score_still_covers_the_entry(first_round, essays, places, organizer):
    (entry,) = entries_of(essays, places.north_library, 1)
    panel(first_round, 3)
    assign(first_round, organizer)
    scored = Assignment.objects.filter(entry=entry).order_by("judge_id").first()
    leaving = scored.judge
    mark(scored, 8, 4)
    services.judge_remove(actor=organizer, judging_round=first_round, user=leaving)

    report = assign(first_round, organizer)

    assert report.added == 0  # two judges, one of them gone but with a score: enough
    assert len(judges_by_entry(first_round)[entry.code]) == 2


def test_organizers_of_the_contest_cannot_judge_it(first_round, organizer, role_users):
    response = api(organizer).post(
        reverse("round-judges", kwargs={"pk": first_round.pk}),
        {"user": role_users["platform_organizer"].pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert (response.status_code, response.json()) == (
        400,
        {"user": ["Organizers of this contest see who wrote every entry, so they cannot judge it blind."]},
    )


def test_a_judge_who_organizes_a_network_never_gets_its_libraries_entries(first_round, essays, places, organizer):
    from tests.factories import LibraryFactory, NetworkOrganizerFactory

    province_library = LibraryFactory(network=places.north_province)
    (inside,) = entries_of(essays, province_library, 1)
    (outside,) = entries_of(essays, places.south_library, 1)
    province_organizer = UserFactory()
    NetworkOrganizerFactory(user=province_organizer, network=places.north_province)
    JudgeFactory(round=first_round, user=province_organizer)
    panel(first_round, 2)

    assign(first_round, organizer)

    assert province_organizer.pk not in judges_by_entry(first_round)[inside.code]
    assert province_organizer.pk in judges_by_entry(first_round)[outside.code]


def test_schema_documents_the_judge_add_by_username(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)

    judge_add = schema["components"]["schemas"]["JudgeAddRequest"]

    assert set(judge_add["properties"]) == {"user", "username", "weight"}
    assert judge_add.get("required", []) == []
    assert judge_add["properties"]["username"]["type"] == "string"
