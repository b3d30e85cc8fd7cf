from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from submissions.enums import EntryStatus
from tests.clients import client_for
from tests.factories import EntryFactory


@pytest.fixture
def entry(role_users, category):
    return EntryFactory(category=category, entrant=role_users["student"], body="Bài cũ")


def test_entrant_edits_until_the_deadline_and_it_is_audited(role_users, entry):
    response = client_for(role_users["student"]).patch(
        reverse("entry-detail", kwargs={"pk": entry.pk}), {"body": "Bài mới, viết lại hay hơn"}, format="json"
    )

    assert response.status_code == 200
    entry.refresh_from_db()
    assert (entry.body, entry.word_count) == ("Bài mới, viết lại hay hơn", 6)
    audit = AuditEntry.objects.get(action="entry.updated")
    assert (audit.before, audit.after) == ({"body": "Bài cũ"}, {"body": "Bài mới, viết lại hay hơn"})


def test_after_the_deadline_the_entry_is_locked(role_users, entry, contest):
    contest.submission_closes_at = timezone.now() - timedelta(seconds=1)
    contest.save()
    client = client_for(role_users["student"])
    url = reverse("entry-detail", kwargs={"pk": entry.pk})

    edit = client.patch(url, {"body": "Sửa muộn"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    withdraw = client.delete(url, HTTP_ACCEPT_LANGUAGE="en")

    assert (edit.status_code, edit.json()) == (
        409,
        {"detail": "The deadline has passed: the entry is locked.", "code": "submissions_closed"},
    )
    assert withdraw.status_code == 409
    entry.refresh_from_db()
    assert (entry.body, entry.status) == ("Bài cũ", EntryStatus.SUBMITTED)
    assert client_for(role_users["student"]).get(url).json()["editable"] is False


def test_an_edit_that_breaks_the_rules_changes_nothing(role_users, entry, category):
    category.max_words = 3
    category.save()

    response = client_for(role_users["student"]).patch(
        reverse("entry-detail", kwargs={"pk": entry.pk}), {"body": "một hai ba bốn", "title": "Tên mới"}, format="json"
    )

    assert response.status_code == 400
    entry.refresh_from_db()
    assert (entry.body, entry.title) == ("Bài cũ", "Cuốn sách thay đổi cuộc đời tôi")


def test_withdraw_marks_the_entry_withdrawn(role_users, entry):
    response = client_for(role_users["student"]).delete(reverse("entry-detail", kwargs={"pk": entry.pk}))

    assert response.status_code == 204
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN


def test_classmates_cannot_see_or_edit_each_others_entries(entry, places):
    from tests.factories import StudentFactory

    classmate = client_for(StudentFactory(library=places.north_library))
    url = reverse("entry-detail", kwargs={"pk": entry.pk})

    assert (classmate.get(url).status_code, classmate.patch(url, {"title": "x"}, format="json").status_code) == (
        404,
        404,
    )


def test_library_staff_see_but_do_not_edit_their_students_entries(role_users, entry):
    staff = client_for(role_users["library_staff"])
    url = reverse("entry-detail", kwargs={"pk": entry.pk})

    assert staff.get(url).status_code == 200
    assert staff.patch(url, {"title": "Staff edit"}, format="json").status_code == 403


def test_a_patch_that_changes_nothing_is_400(role_users, entry):
    response = client_for(role_users["student"]).patch(
        reverse("entry-detail", kwargs={"pk": entry.pk}), {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert (response.status_code, response.json()) == (400, {"detail": "Send at least one field to change."})
