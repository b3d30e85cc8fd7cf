"""Deadline day: an entry POST takes 8 queries, and the answer is the entry as stored."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import AuditEntry, OutboxTask
from people.models import User
from submissions import content
from submissions.models import Entry
from tests.factories import EntryFactory


def essay(category) -> dict:
    return {
        "category": category.pk,
        "title": "Điều Tô Hoài dạy tôi",
        "book_title": "Dế Mèn phiêu lưu ký",
        "book_author": "Tô Hoài",
        "body": "Mỗi trang sách mở ra một thế giới mà tôi chưa từng được đi tới. " * 40,
    }


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))  # as authentication gives it: nothing else loaded
    return client


def test_an_entry_post_takes_eight_queries_and_answers_the_entry_as_stored(role_users, contest, category, broker_down):
    student = role_users["student"]
    url = reverse("contest-entries", kwargs={"contest_id": contest.pk})
    client = client_of(student)  # broker_down: not eager, so the outbox row is written as in production

    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, essay(category), format="json")
    sql = [query["sql"].split(" ", 1)[0] for query in captured.captured_queries]
    stored = client_of(student).get(reverse("entry-detail", kwargs={"pk": response.json()["id"]}))

    assert response.status_code == 201
    # the category with its contest and network; BEGIN; the entrant's lock with their library;
    # the quota; the entry, its audit row, its outbox row; COMMIT (savepoints inside the test's
    # own transaction)
    assert sql == ["SELECT", "SAVEPOINT", "SELECT", "SELECT", "INSERT", "INSERT", "INSERT", "RELEASE"]
    assert response.json() == stored.json()
    assert OutboxTask.objects.get().kwargs == {"entry_id": response.json()["id"]}


def statement(sql: str) -> str:
    """ "SELECT people_user", "INSERT submissions_entry", "SAVEPOINT" ..."""
    verb = sql.split(" ", 1)[0]
    if verb in ("SAVEPOINT", "RELEASE"):
        return verb
    table = sql.split(" FROM " if verb == "SELECT" else " INTO ", 1)[1].split('"')[1]
    return f"{verb} {table}"


def test_with_an_idempotency_key_it_takes_ten_the_check_and_the_row_with_the_entry(
    role_users, contest, category, broker_down
):
    url = reverse("contest-entries", kwargs={"contest_id": contest.pk})
    client = client_of(role_users["student"])

    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, essay(category), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    statements = [statement(query["sql"]) for query in captured.captured_queries]
    again = client_of(role_users["student"]).post(url, essay(category), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert response.status_code == 201
    assert statements == [
        "SELECT contests_category",
        "SELECT core_idempotencykey",  # sent before? (asked before the deadline is)
        "SAVEPOINT",
        "SELECT people_user",
        "SELECT submissions_entry",
        "INSERT submissions_entry",
        "INSERT core_idempotencykey",  # with the entry's id: no second write
        "INSERT core_auditentry",
        "INSERT core_outboxtask",
        "RELEASE",
    ]
    assert (again.status_code, again["Idempotent-Replayed"], again.json()["id"]) == (201, "true", response.json()["id"])


def test_a_drawn_code_already_taken_is_drawn_again_in_a_new_transaction(role_users, contest, category, monkeypatch):
    taken = EntryFactory(category=category).code
    codes = iter([taken, "DSVH26-NEW234"])
    monkeypatch.setattr(content, "entry_code_new", lambda prefix: next(codes))

    response = client_of(role_users["student"]).post(
        reverse("contest-entries", kwargs={"contest_id": contest.pk}), essay(category), format="json"
    )

    assert response.status_code == 201
    assert response.json()["code"] == "DSVH26-NEW234"
    entry = Entry.objects.get(code="DSVH26-NEW234")
    assert list(AuditEntry.objects.filter(action="entry.submitted").values_list("target_id", flat=True)) == [entry.pk]
