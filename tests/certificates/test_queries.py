"""The certificate list takes a fixed number of queries, with 1 row as with 3."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import Certificate
from people.models import User
from tests.factories import ContestFactory, StudentFactory
from tests.results.helpers import api


def listed(user) -> int:
    user = User.objects.get(pk=user.pk)  # fresh: roles are cached on the user object per request
    with CaptureQueriesContext(connection) as captured:
        response = api(user).get(reverse("certificate-list"))
    assert response.status_code == 200
    return len(captured)


def test_the_certificate_list_takes_a_fixed_number_of_queries(places, role_users):
    organizer = role_users["network_organizer"]

    def grow(count):
        for _ in range(count):
            contest = ContestFactory(network=places.north, status="published")
            student = StudentFactory(library=places.north_library)
            Certificate.objects.create(
                contest=contest,
                kind="participation",
                subject=f"entrant:{student.pk}",
                holder=student,
                library=places.north_library,
                holder_name=student.full_name,
                award="Đã tham gia cuộc thi",
                code=f"ABCDEFGH{Certificate.objects.count():04d}",
            )

    grow(1)
    with_one = listed(organizer), listed(role_users["library_staff"])
    grow(2)
    with_three = listed(organizer), listed(role_users["library_staff"])

    assert with_three == with_one
