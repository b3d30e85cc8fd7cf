"""A guardian's consent before a child's entry is judged: online from an e-mailed link, or on
paper checked by the library; without it the entry is received and waits, visibly."""

from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contests.enums import ContestStatus
from core.models import AuditEntry
from judging.services import round_assign
from privacy import consent, selectors
from privacy.models import GuardianConsent
from tests.factories import CriterionFactory, EntryFactory, JudgeFactory, RoundFactory, StudentFactory, UserFactory
from tests.privacy.conftest import ADULT_BORN, CHILD_BORN
from tests.privacy.helpers import PDF, api, consent_online, link_token

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


@pytest.mark.time_machine(NOW, tick=False)
@pytest.mark.parametrize(
    ("born", "minor"),
    [(date(2010, 11, 30), True), (date(2010, 11, 29), False), (None, False), (CHILD_BORN, True), (ADULT_BORN, False)],
)
def test_a_minor_is_under_sixteen_on_vietnams_date(places, born, minor):
    person = StudentFactory(birth_date=born)

    assert selectors.is_minor(person) is minor


@pytest.mark.time_machine(NOW, tick=False)
def test_the_age_is_a_setting(places, settings):
    settings.PRIVACY_MINOR_AGE = 13
    person = StudentFactory(birth_date=date(2012, 1, 1))  # 14

    assert selectors.is_minor(person) is False


def test_registering_records_the_date_of_birth(places):
    response = api(None).post(
        reverse("auth-register"),
        {
            "username": "be.binh",
            "password": "Sach-hay-2026",
            "email": "binh@example.com",
            "full_name": "Lê Văn Bình",
            "library": places.north_library.pk,
            "birth_date": "2015-03-01",
        },
        format="json",
    )

    assert response.status_code == 201
    assert UserFactory._meta.model.objects.get(username="be.binh").birth_date == date(2015, 3, 1)


def test_a_date_of_birth_in_the_future_is_refused(places):
    response = api(None).post(
        reverse("auth-register"),
        {
            "username": "be.binh",
            "password": "Sach-hay-2026",
            "email": "binh@example.com",
            "full_name": "Lê Văn Bình",
            "library": places.north_library.pk,
            "birth_date": "2999-01-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["birth_date"]


def test_the_child_asks_and_the_guardian_gets_a_link(child, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(child).post(
            reverse("guardian-consent-list"),
            {"guardian_name": "Phạm Văn Ba", "relation": "father", "guardian_email": "ba@example.com"},
            format="json",
        )

    assert response.status_code == 201
    body = response.json()
    shown = (body["status"], body["method"], body["child"], body["confirmed_at"])
    assert shown == ("pending", "online", child.pk, None)
    (message,) = mail.outbox
    assert message.to == ["ba@example.com"]
    assert "Phạm Minh An" in message.subject
    assert f"/consent/{link_token(message)}/" in message.body
    assert "Phạm Văn Ba" in body["text"] and "Phạm Minh An" in body["text"]


def test_the_link_is_sent_once_when_the_task_runs_twice(child, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        asked = consent.guardian_consent_request(
            actor=child, child=child, guardian_name="Phạm Văn Ba", relation="father", guardian_email="ba@example.com"
        )

    again = consent.guardian_consent_mail(consent_id=asked.pk)

    assert (again, len(mail.outbox)) == (False, 1)


def test_the_guardian_reads_the_exact_text_and_confirms(child, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        asked = consent.guardian_consent_request(
            actor=child, child=child, guardian_name="Phạm Văn Ba", relation="father", guardian_email="ba@example.com"
        )
    url = reverse("guardian-consent-page", kwargs={"token": link_token(mail.outbox[0])})

    page = client.get(url)
    assert page.status_code == 200
    assert asked.text in page.content.decode()
    assert "Content-Security-Policy" in page

    confirmed = client.post(url, {})

    assert confirmed.status_code == 200
    asked.refresh_from_db()
    assert asked.confirmed_at is not None
    assert (asked.publish, asked.publish_text) == (False, "")
    child.refresh_from_db()
    assert child.publish_consent_at is None  # publishing is a separate box, left empty
    assert AuditEntry.objects.filter(action="privacy.guardian_consent_given", target_id=asked.pk).count() == 1


def test_the_separate_box_gives_consent_to_publish(child, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        consent.guardian_consent_request(
            actor=child, child=child, guardian_name="Phạm Văn Ba", relation="father", guardian_email="ba@example.com"
        )
    url = reverse("guardian-consent-page", kwargs={"token": link_token(mail.outbox[0])})

    client.post(url, {"publish": "on"})

    given = GuardianConsent.objects.get()
    child.refresh_from_db()
    assert given.publish is True
    assert "Phạm Minh An" in given.publish_text
    assert child.publish_consent_at == given.confirmed_at


def test_an_expired_or_forged_link_is_refused(child, client, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(NOW, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        consent.guardian_consent_request(
            actor=child, child=child, guardian_name="Phạm Văn Ba", relation="father", guardian_email="ba@example.com"
        )
    token = link_token(mail.outbox[0])
    time_machine.move_to(datetime(2026, 12, 14, 3, 1, tzinfo=UTC), tick=False)  # 15 days on

    expired = client.post(reverse("guardian-consent-page", kwargs={"token": token}), {})
    forged = client.get(reverse("guardian-consent-page", kwargs={"token": token[:-2] + "xx"}))

    assert (expired.status_code, forged.status_code) == (400, 400)
    assert GuardianConsent.objects.get().confirmed_at is None


def test_an_adult_needs_no_guardian(places):
    adult = StudentFactory(birth_date=ADULT_BORN, library=places.north_library)

    response = api(adult).post(
        reverse("guardian-consent-list"),
        {"guardian_name": "Phạm Văn Ba", "relation": "father", "guardian_email": "ba@example.com"},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (409, "not_a_minor")


def test_library_staff_record_a_paper_form_and_are_recorded_as_checking_it(child, staff):
    response = api(staff).post(
        reverse("guardian-consent-paper"),
        {
            "child": child.pk,
            "guardian_name": "Trần Thị Cúc",
            "relation": "mother",
            "publish": "true",
            "scan": SimpleUploadedFile("phieu.pdf", PDF, content_type="application/pdf"),
        },
        format="multipart",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["method"], body["checked_by"], body["has_scan"], body["publish"]) == (
        "given",
        "paper",
        staff.pk,
        True,
        True,
    )
    child.refresh_from_db()
    assert child.publish_consent_at is not None
    assert selectors.has_guardian_consent(child)


def test_a_paper_form_that_is_not_a_scan_is_refused(child, staff):
    response = api(staff).post(
        reverse("guardian-consent-paper"),
        {
            "child": child.pk,
            "guardian_name": "Trần Thị Cúc",
            "relation": "mother",
            "scan": SimpleUploadedFile("phieu.pdf", b"<html>not a scan</html>", content_type="application/pdf"),
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["scan"]
    assert GuardianConsent.objects.count() == 0


def test_staff_of_another_library_cannot_record_a_form(child, places):
    other = StudentFactory(library=places.south_library)
    from tests.factories import LibraryStaffFactory

    outsider = LibraryStaffFactory(library=places.south_library).user

    response = api(outsider).post(
        reverse("guardian-consent-paper"),
        {
            "child": child.pk,
            "guardian_name": "Trần Thị Cúc",
            "relation": "mother",
            "scan": SimpleUploadedFile("phieu.pdf", PDF, content_type="application/pdf"),
        },
        format="multipart",
    )

    assert response.status_code == 403
    assert other.pk != child.pk


def test_a_child_cannot_agree_to_publishing_their_own_name(child):
    response = api(child).post(reverse("privacy-publish-consent"), {"agree": True}, format="json")

    assert response.status_code == 403
    child.refresh_from_db()
    assert child.publish_consent_at is None


def test_an_adult_agrees_to_publishing_and_withdraws(places):
    adult = StudentFactory(birth_date=ADULT_BORN, library=places.north_library)

    agreed = api(adult).post(reverse("privacy-publish-consent"), {"agree": True}, format="json")
    withdrawn = api(adult).post(reverse("privacy-publish-consent"), {"agree": False}, format="json")

    assert (agreed.json()["publish_consent"], withdrawn.json()["publish_consent"]) == (True, False)


# Waiting for consent: not assigned, visibly, counted per library ---------------------------


@pytest.fixture
def judging_round(contest):
    contest.status = ContestStatus.CLOSED
    contest.save()
    judging_round = RoundFactory(contest=contest, order=1, judges_per_entry=1)
    CriterionFactory(round=judging_round)
    for _ in range(2):
        JudgeFactory(round=judging_round, user=UserFactory())
    return judging_round


@pytest.fixture
def entries(category, places, child):
    """North: a child without consent, another child without, one with; an adult. South: a child without."""
    waiting_north = [EntryFactory(category=category, entrant=child)]
    waiting_north.append(
        EntryFactory(category=category, entrant=StudentFactory(birth_date=CHILD_BORN, library=places.north_library))
    )
    consented = StudentFactory(birth_date=CHILD_BORN, library=places.north_library)
    GuardianConsent.objects.create(
        child=consented,
        method="paper",
        guardian_name="Bố",
        relation="father",
        text="…",
        requested_at=datetime(2026, 1, 1, tzinfo=UTC),
        confirmed_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    ready = [
        EntryFactory(category=category, entrant=consented),
        EntryFactory(category=category, entrant=StudentFactory(birth_date=ADULT_BORN, library=places.north_library)),
        EntryFactory(category=category, entrant=StudentFactory(birth_date=None, library=places.north_library)),
    ]
    waiting_south = [
        EntryFactory(category=category, entrant=StudentFactory(birth_date=CHILD_BORN, library=places.south_library))
    ]
    return {"waiting_north": waiting_north, "ready": ready, "waiting_south": waiting_south}


def test_entries_without_consent_are_not_assigned(entries, organizer, judging_round):
    report = round_assign(actor=organizer, judging_round=judging_round)

    assigned = set(judging_round.assignments.values_list("entry_id", flat=True))
    assert (assigned, report.entries, report.held) == ({e.pk for e in entries["ready"]}, 3, 3)


def test_consent_given_later_lets_the_entry_be_assigned(
    entries, organizer, judging_round, child, django_capture_on_commit_callbacks
):
    round_assign(actor=organizer, judging_round=judging_round)
    consent_online(child, django_capture_on_commit_callbacks)

    report = round_assign(actor=organizer, judging_round=judging_round)

    assigned = set(judging_round.assignments.values_list("entry_id", flat=True))
    assert assigned == {e.pk for e in entries["ready"]} | {entries["waiting_north"][0].pk}
    assert report.held == 2


def test_organizers_see_how_many_wait_per_library(entries, organizer, contest, places):
    response = api(organizer).get(reverse("contest-consent-waiting", kwargs={"pk": contest.pk}))

    assert response.status_code == 200
    assert response.json() == [
        {"library": places.south_library.pk, "library_name": "Thư viện Đại học Cần Thơ", "waiting": 1},
        {"library": places.north_library.pk, "library_name": "Thư viện Đại học Vinh", "waiting": 2},
    ]


def test_the_entrant_sees_their_entry_wait_and_why(entries, child, contest):
    response = api(child).get(reverse("privacy-me"), HTTP_ACCEPT_LANGUAGE="en")

    body = response.json()
    (waiting,) = body["waiting"]
    assert (body["minor"], body["guardian_consent"], body["publish_consent"]) == (True, False, False)
    assert (waiting["entry"], waiting["code"], waiting["contest"]) == (
        entries["waiting_north"][0].pk,
        entries["waiting_north"][0].code,
        contest.pk,
    )
    assert waiting["reason"].startswith("Waiting for a parent's or guardian's consent")


def test_the_reason_comes_in_vietnamese_too(entries, child):
    response = api(child).get(reverse("privacy-me"), HTTP_ACCEPT_LANGUAGE="vi")

    assert response.json()["waiting"][0]["reason"].startswith("Đang chờ sự đồng ý của cha mẹ hoặc người giám hộ")


@pytest.mark.parametrize("count", [1, 3])
def test_the_consents_list_reads_a_fixed_number_of_queries(staff, places, count, django_assert_num_queries):
    for _ in range(count):
        GuardianConsent.objects.create(
            child=StudentFactory(birth_date=CHILD_BORN, library=places.north_library),
            method="paper",
            guardian_name="Mẹ",
            relation="mother",
            text="…",
            requested_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
    client = api(staff)

    with django_assert_num_queries(4):  # the same for one consent as for three
        response = client.get(reverse("guardian-consent-list"))

    assert response.json()["count"] == count
