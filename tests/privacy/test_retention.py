"""Retention: a contest keeps its entrants' personal data a set time after publication (winners
a year, the others 30 days by default), then a daily task pseudonymises it; the figures, the
audit trail and the certificates' codes stay."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from certificates.models import Certificate
from config.schedule import PERIODIC_TASKS
from core.models import AuditEntry
from judging.models import RoundResult
from people.models import User
from privacy.models import ErasedEntry
from privacy.retention import retention_sweep
from submissions.models import Entry
from tests.certificates.conftest import NAMES, published  # noqa: F401  (the fixture)
from tests.certificates.test_certificates import issue
from tests.privacy.helpers import api

PUBLISHED = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


@pytest.fixture
def issued(published, django_capture_on_commit_callbacks):  # noqa: F811
    """Published at PUBLISHED: winners are entries 0, 1 (tier prizes) and 2 (a special prize);
    entry 3 has a file. Certificates issued and rendered."""
    entry = published.entries[3]
    entry.attachment.save("bai.pdf", ContentFile(b"%PDF-1.4 bai du thi"), save=True)
    issue(api(published.organizer), published.contest, django_capture_on_commit_callbacks)
    return published


def sweep(capture) -> int:
    with capture(execute=True):
        return retention_sweep()


def test_the_sweep_is_declared_with_the_other_periodic_tasks():
    assert PERIODIC_TASKS["privacy: pseudonymise entrants' data past the contest's kept time"] == (
        "privacy.tasks.retention_sweep_task",
        {"minute": "20", "hour": "2"},
    )


@pytest.mark.time_machine(PUBLISHED, tick=False)
def test_the_others_go_after_30_days_and_the_winners_after_a_year(
    issued, time_machine, django_capture_on_commit_callbacks
):
    entries = issued.entries
    file_name = Entry.objects.get(pk=entries[3].pk).attachment.name
    storage = entries[3].attachment.storage
    scores = list(RoundResult.objects.order_by("pk").values_list("entry_id", "score", "rank"))

    time_machine.move_to(PUBLISHED + timedelta(days=30) - timedelta(seconds=1), tick=False)
    assert sweep(django_capture_on_commit_callbacks) == 0

    time_machine.move_to(PUBLISHED + timedelta(days=30), tick=False)
    assert sweep(django_capture_on_commit_callbacks) == 1

    assert set(ErasedEntry.objects.values_list("entry_id", flat=True)) == {entries[3].pk, entries[4].pk}
    gone = Entry.objects.get(pk=entries[3].pk)
    assert (gone.title, gone.body, gone.attachment.name, gone.code) == ("", "—", "", entries[3].code)
    assert not storage.exists(file_name)
    person = User.objects.get(pk=entries[3].entrant_id)
    assert (person.username, person.full_name, person.email, person.is_active) == (
        f"erased-{person.pk}",
        "",
        "",
        False,
    )
    assert User.objects.get(pk=entries[1].entrant_id).full_name == NAMES[1]  # a winner: kept a year
    (audit,) = AuditEntry.objects.filter(action="privacy.retention_applied")
    assert audit.after == {"entries": 2, "winners": 0, "files": 3, "people": 2, "certificates": 2, "kept": []}

    time_machine.move_to(PUBLISHED + timedelta(days=365), tick=False)
    assert sweep(django_capture_on_commit_callbacks) == 1

    assert ErasedEntry.objects.count() == 5
    last = AuditEntry.objects.filter(action="privacy.retention_applied").order_by("pk").last()
    assert last.after == {"entries": 3, "winners": 3, "files": 6, "people": 3, "certificates": 6, "kept": []}
    assert list(RoundResult.objects.order_by("pk").values_list("entry_id", "score", "rank")) == scores
    assert (
        list(User.objects.filter(pk__in=[e.entrant_id for e in entries]).values_list("full_name", flat=True))
        == [""] * 5
    )
    assert sweep(django_capture_on_commit_callbacks) == 0  # nothing left to do


@pytest.mark.time_machine(PUBLISHED, tick=False)
def test_certificates_stay_verifiable_by_code(issued, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(PUBLISHED + timedelta(days=366), tick=False)
    sweep(django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(kind="prize", entry=issued.entries[0])

    response = api(None).get(reverse("certificate-verify", kwargs={"code": certificate.code}))

    assert response.status_code == 200
    shown = response.json()
    assert (shown["valid"], shown["holder"], shown["award"]) == (True, issued.entries[0].code, certificate.award)
    assert not certificate.file


@pytest.mark.time_machine(PUBLISHED, tick=False)
def test_the_results_keep_their_figures_without_names(issued, time_machine, django_capture_on_commit_callbacks):
    before = api(None).get(reverse("contest-results", kwargs={"pk": issued.contest.pk})).json()["results"]
    time_machine.move_to(PUBLISHED + timedelta(days=366), tick=False)
    sweep(django_capture_on_commit_callbacks)

    after = api(None).get(reverse("contest-results", kwargs={"pk": issued.contest.pk})).json()["results"]

    figures = [(line["code"], line["score"], line["rank"], line["prize"]) for line in before]
    assert [(line["code"], line["score"], line["rank"], line["prize"]) for line in after] == figures
    assert [line["entrant"]["full_name"] for line in after] == [entry.code for entry in issued.entries]


@pytest.mark.time_machine(PUBLISHED, tick=False)
def test_a_contest_sets_its_own_time(issued, time_machine, django_capture_on_commit_callbacks):
    url = reverse("contest-retention", kwargs={"pk": issued.contest.pk})
    response = api(issued.organizer).patch(url, {"winners_days": 60, "others_days": 7}, format="json")

    assert response.status_code == 200
    assert response.json() == {
        "winners_days": 60,
        "others_days": 7,
        "winners_until": "2026-07-31T10:00:00+07:00",
        "others_until": "2026-06-08T10:00:00+07:00",
    }
    time_machine.move_to(PUBLISHED + timedelta(days=7), tick=False)
    sweep(django_capture_on_commit_callbacks)
    assert ErasedEntry.objects.count() == 2


def test_a_contest_s_time_is_checked(issued):
    url = reverse("contest-retention", kwargs={"pk": issued.contest.pk})

    response = api(issued.organizer).patch(url, {"winners_days": -1, "others_days": 99999}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"winners_days", "others_days"}


@pytest.mark.time_machine(PUBLISHED, tick=False)
def test_the_command_says_what_it_did(issued, time_machine):
    time_machine.move_to(PUBLISHED + timedelta(days=31), tick=False)
    out = StringIO()

    call_command("privacy_retention", stdout=out)
    call_command("privacy_retention", stdout=out)

    assert out.getvalue().splitlines() == [
        f"Đại sứ Văn hóa đọc 2025 (#{issued.contest.pk}): 2 entries pseudonymised (0 of them winners'), "
        "3 files removed, 2 people pseudonymised, 2 certificates still verifiable by code",
        "Nothing is past its kept time.",
    ]


def test_a_person_who_also_judges_keeps_their_account(issued, role_users, time_machine):
    from tests.factories import JudgeFactory

    entrant = User.objects.get(pk=issued.entries[4].entrant_id)
    JudgeFactory(user=entrant)
    time_machine.move_to(timedelta(days=31))

    call_command("privacy_retention", stdout=StringIO())

    entrant.refresh_from_db()
    assert (entrant.full_name, entrant.is_active) == (NAMES[4], True)
    assert ErasedEntry.objects.filter(entry=issued.entries[4]).exists()


@pytest.mark.time_machine(PUBLISHED, tick=False)
def test_the_sweep_queues_its_work_through_the_outbox(
    issued, time_machine, broker_down, django_capture_on_commit_callbacks
):
    from core.models import OutboxTask
    from core.outbox import outbox_sweep

    time_machine.move_to(PUBLISHED + timedelta(days=31), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        queued = retention_sweep()
    waiting = list(OutboxTask.objects.values_list("task", "kwargs"))
    broker_down.back()
    outbox_sweep()

    assert (queued, waiting) == (1, [("privacy.tasks.retention_apply_task", {"contest_id": issued.contest.pk})])
    assert ErasedEntry.objects.count() == 2
