import threading

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from submissions.models import Entry
from tests.factories import CategoryFactory, ContestFactory, StudentFactory


@pytest.mark.django_db(transaction=True)
def test_the_same_student_submitting_twice_at_the_same_instant_gets_one_entry_and_one_409(places):
    contest = ContestFactory(network=places.north)
    category = CategoryFactory(contest=contest, max_entries_per_entrant=1)
    student = StudentFactory(library=places.north_library)
    barrier = threading.Barrier(2)
    statuses = []

    def submit():
        client = APIClient()
        client.force_authenticate(student)
        data = {"category": category.pk, "title": "Bài", "book_title": "Sách", "book_author": "Tác giả", "body": "Đọc"}
        try:
            barrier.wait()
            url = reverse("contest-entries", kwargs={"contest_id": contest.pk})
            statuses.append(client.post(url, data, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201, 409]
    assert Entry.objects.filter(entrant=student).count() == 1
