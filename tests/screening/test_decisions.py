"""Organizers decide per pair; an undecided flag can hold the entries back from judging; a
flag reaches judges only when an organizer sends it on."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from contests.enums import ContestStatus
from core.errors import Conflict, DomainError, NotAllowed
from core.models import AuditEntry
from judging.services import round_assign
from screening import services
from screening.enums import PairStatus
from screening.models import Pair
from submissions.enums import EntryStatus
from tests.clients import client_for
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    ContestFactory,
    CriterionFactory,
    JudgeFactory,
    RoundFactory,
    UserFactory,
)
from tests.screening import essays


@pytest.fixture
def flagged(contest, write, screen):
    """An original, its copy with a new introduction and an honest essay, screened."""
    original = write(essays.ORIGINAL)
    copy = write(essays.CHANGED_INTRODUCTION)
    honest = write(essays.HONEST)
    screen(contest)
    return original, copy, honest, Pair.objects.get()


def test_no_issue_is_recorded_with_its_reason_and_audited(flagged, organizer):
    original, copy, _honest, pair = flagged

    services.pair_decide(actor=organizer, pair=pair, decision="no_issue", reason="Cùng trích một đoạn sách")

    pair.refresh_from_db()
    assert (pair.status, pair.reason, pair.decided_by) == (PairStatus.NO_ISSUE, "Cùng trích một đoạn sách", organizer)
    audit = AuditEntry.objects.get(action="screening.pair_decided")
    assert (audit.actor, audit.target_id, audit.reason, audit.after["status"]) == (
        organizer,
        pair.pk,
        "Cùng trích một đoạn sách",
        "no_issue",
    )
    assert {original.status, copy.status} == {EntryStatus.SUBMITTED}


def test_disqualifying_the_copy_goes_through_submissions_disqualification(
    flagged, organizer, django_capture_on_commit_callbacks
):
    original, copy, _honest, pair = flagged
    copy.entrant.email = "chepbai@example.com"
    copy.entrant.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.pair_decide(
            actor=organizer, pair=pair, decision="disqualify", reason="Sao chép bài", disqualify=[copy]
        )

    copy.refresh_from_db()
    original.refresh_from_db()
    assert (copy.status, copy.disqualification_reason, original.status) == (
        EntryStatus.DISQUALIFIED,
        "Sao chép bài",
        EntryStatus.SUBMITTED,
    )
    assert Pair.objects.get().status == PairStatus.DISQUALIFIED
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == [
        "entry.disqualified",
        "screening.pair_decided",
        "screening.run_started",
    ]
    assert [message.to for message in mail.outbox] == [["chepbai@example.com"]]


def test_a_decided_pair_cannot_be_decided_again(flagged, organizer):
    pair = flagged[3]
    services.pair_decide(actor=organizer, pair=pair, decision="no_issue", reason="Không sao")

    with pytest.raises(Conflict):
        services.pair_decide(actor=organizer, pair=pair, decision="disqualify", reason="x", disqualify=[pair.other])


@pytest.mark.parametrize(
    ("decision", "reason", "which", "field"),
    [
        ("no_issue", "  ", [], "reason"),
        ("disqualify", "Sao chép", [], "disqualify"),
        ("no_issue", "Không sao", ["copy"], "disqualify"),
        ("disqualify", "Sao chép", ["honest"], "disqualify"),  # not one of the pair
    ],
)
def test_a_decision_needs_a_reason_and_the_pairs_own_entries(flagged, organizer, decision, reason, which, field):
    _original, copy, honest, pair = flagged
    chosen = [{"copy": copy, "honest": honest}[name] for name in which]

    with pytest.raises(DomainError) as refused:
        services.pair_decide(actor=organizer, pair=pair, decision=decision, reason=reason, disqualify=chosen)

    assert refused.value.field == field
    assert Pair.objects.get().status == PairStatus.PENDING


def test_an_entry_of_an_earlier_contest_is_not_disqualified_from_here(places, contest, write, screen, organizer):
    last_year = ContestFactory(network=places.north, status=ContestStatus.PUBLISHED)
    winner = write(essays.ORIGINAL, category=CategoryFactory(contest=last_year))
    contest.copied_from = last_year
    contest.save()
    write(essays.EXACT_COPY)
    screen(contest)
    pair = Pair.objects.get()

    with pytest.raises(DomainError):
        services.pair_decide(actor=organizer, pair=pair, decision="disqualify", reason="x", disqualify=[winner])

    services.pair_decide(
        actor=organizer, pair=pair, decision="disqualify", reason="Chép bài năm trước", disqualify=[pair.entry]
    )
    assert pair.entry.__class__.objects.get(pk=pair.entry_id).status == EntryStatus.DISQUALIFIED


def test_only_the_contests_organizers_decide(flagged, role_users):
    pair = flagged[3]
    for role in ("student", "judge", "library_staff"):
        with pytest.raises(NotAllowed):
            services.pair_decide(actor=role_users[role], pair=pair, decision="no_issue", reason="x")


def test_a_decided_pair_keeps_its_decision_when_found_again(flagged, organizer, contest, screen):
    pair = flagged[3]
    services.pair_decide(actor=organizer, pair=pair, decision="no_issue", reason="Đã kiểm tra")

    run = screen(contest)

    again = Pair.objects.get()
    assert (again.pk, again.status, again.run) == (pair.pk, PairStatus.NO_ISSUE, run)


# Holding flagged entries back from judging -------------------------------------------------


@pytest.fixture
def judging_round(contest):
    contest.status = ContestStatus.CLOSED
    contest.save()
    judging_round = RoundFactory(contest=contest, order=1, judges_per_entry=1)
    CriterionFactory(round=judging_round)
    for _ in range(2):
        JudgeFactory(round=judging_round, user=UserFactory())
    return judging_round


def assigned(judging_round) -> set[int]:
    return set(judging_round.assignments.values_list("entry_id", flat=True))


def test_flagged_entries_wait_for_a_decision_when_the_contest_holds_them(flagged, organizer, contest, judging_round):
    original, copy, honest, pair = flagged
    services.policy_update(actor=organizer, contest=contest, hold_flagged=True)

    report = round_assign(actor=organizer, judging_round=judging_round)

    assert (assigned(judging_round), report.entries, report.held) == ({honest.pk}, 1, 2)
    services.pair_decide(actor=organizer, pair=pair, decision="disqualify", reason="Sao chép", disqualify=[copy])
    report = round_assign(actor=organizer, judging_round=judging_round)
    assert (assigned(judging_round), report.held) == ({honest.pk, original.pk}, 0)


def test_without_the_hold_flagged_entries_are_assigned_as_usual(flagged, organizer, judging_round):
    report = round_assign(actor=organizer, judging_round=judging_round)

    assert (len(assigned(judging_round)), report.held) == (3, 0)


def test_holding_after_assignment_takes_the_unscored_work_back(flagged, organizer, contest, judging_round):
    _original, _copy, honest, _pair = flagged
    round_assign(actor=organizer, judging_round=judging_round)
    services.policy_update(actor=organizer, contest=contest, hold_flagged=True)

    report = round_assign(actor=organizer, judging_round=judging_round)

    assert (assigned(judging_round), report.removed) == ({honest.pk}, 2)


# Telling the judges -------------------------------------------------------------------------


def test_judges_see_a_flag_only_once_an_organizer_sends_it_on(flagged, organizer, contest, judging_round):
    _original, copy, _honest, pair = flagged
    judge = UserFactory()
    assignment = AssignmentFactory(round=judging_round, entry=copy, judge=judge)
    url = reverse("assignment-detail", kwargs={"pk": assignment.pk})

    before = client_for(judge).get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    services.pair_forward(actor=organizer, pair=pair, note="Please judge its originality with care.")
    after = client_for(judge).get(url, HTTP_ACCEPT_LANGUAGE="en").json()

    assert before["notes"] == []
    assert after["notes"] == [
        "The organizers found passages this essay shares with another entry (76% alike): "
        "Please judge its originality with care."
    ]
    assert "code" not in str(after["notes"]) and pair.entry.code not in str(after)
    audit = AuditEntry.objects.get(action="screening.pair_forwarded")
    assert audit.after == {"judges_note": "Please judge its originality with care."}


def test_a_note_needs_words(flagged, organizer):
    with pytest.raises(DomainError):
        services.pair_forward(actor=organizer, pair=flagged[3], note=" ")


def test_the_policy_defaults_to_the_contests_earlier_editions(places, contest, organizer):
    two_years_ago = ContestFactory(network=places.north, status=ContestStatus.ARCHIVED)
    last_year = ContestFactory(network=places.north, status=ContestStatus.PUBLISHED, copied_from=two_years_ago)
    contest.copied_from = last_year
    contest.save()

    response = client_for(organizer).get(reverse("contest-screening", kwargs={"pk": contest.pk}))

    assert response.json()["policy"] == {
        "threshold": "0.30",
        "hold_flagged": False,
        "copy_sources": [
            {"id": last_year.pk, "title": last_year.title},
            {"id": two_years_ago.pk, "title": two_years_ago.title},
        ],
    }


def test_copy_sources_are_contests_the_organizer_runs(places, contest, organizer):
    elsewhere = ContestFactory(network=places.south, status=ContestStatus.PUBLISHED)

    response = client_for(organizer).patch(
        reverse("contest-screening", kwargs={"pk": contest.pk}),
        {"copy_sources": [elsewhere.pk], "threshold": "0.5"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {"copy_sources": [f"You can only compare with contests you organize: {elsewhere.title}."]}
    assert not contest.__class__.objects.get(pk=contest.pk).__dict__.get("screening_policy")


@pytest.mark.parametrize("threshold", ["0.2", "0.99", "abc"])
def test_the_threshold_stays_where_the_lsh_catches_pairs(contest, organizer, threshold):
    response = client_for(organizer).patch(
        reverse("contest-screening", kwargs={"pk": contest.pk}), {"threshold": threshold}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["threshold"]


def test_the_policy_is_set_through_the_api_and_audited(places, contest, organizer):
    last_year = ContestFactory(network=places.north, status=ContestStatus.PUBLISHED)

    response = client_for(organizer).patch(
        reverse("contest-screening", kwargs={"pk": contest.pk}),
        {"threshold": "0.45", "hold_flagged": True, "copy_sources": [last_year.pk]},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["policy"] == {
        "threshold": "0.45",
        "hold_flagged": True,
        "copy_sources": [{"id": last_year.pk, "title": last_year.title}],
    }
    audit = AuditEntry.objects.get(action="screening.policy_updated")
    assert audit.after == {"threshold": "0.45", "hold_flagged": True, "copy_sources": [last_year.pk]}
    assert Decimal(audit.before["threshold"]) == Decimal("0.30")
