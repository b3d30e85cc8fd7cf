import threading

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from people.models import User


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("clash", ["username", "email"])
def test_two_registrations_at_the_same_instant_give_one_account_and_one_400(places, clash):
    barrier = threading.Barrier(2)
    statuses = []

    def register(n):
        data = {
            "username": "trungten" if clash == "username" else f"nguoi{n}",
            "email": "trung@example.com" if clash == "email" else f"nguoi{n}@example.com",
            "password": "Sach-hay-2026",
            "full_name": "Phạm Thị Hồng Nhung",
            "library": places.north_library.pk,
        }
        try:
            barrier.wait()
            statuses.append(APIClient().post(reverse("auth-register"), data, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201, 400]
    assert User.objects.count() == 1
