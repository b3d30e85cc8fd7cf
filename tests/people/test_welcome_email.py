from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from people.models import User
from people.services import welcome_email_send
from people.tasks import welcome_email_sweep_task
from tests.factories import StudentFactory


def test_registration_with_the_broker_down_is_still_saved_and_201(
    places, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post(
            reverse("auth-register"),
            {
                "username": "duongthuy",
                "password": "Sach-hay-2026",
                "email": "duong@example.com",
                "full_name": "Đặng Thuỳ Dương",
                "library": places.north_library.pk,
            },
            format="json",
        )

    assert response.status_code == 201
    assert User.objects.get(username="duongthuy").welcomed_at is None  # left for the sweep
    assert mail.outbox == []


def test_sweep_sends_what_the_broker_missed_once(db):
    missed = StudentFactory(email="missed@example.com", date_joined=timezone.now() - timedelta(hours=1))
    StudentFactory(email="fresh@example.com")  # its own task may still be on the way
    StudentFactory(email="old@example.com", date_joined=timezone.now() - timedelta(days=30))

    assert welcome_email_sweep_task() == 1
    assert welcome_email_sweep_task() == 0

    assert [m.to for m in mail.outbox] == [["missed@example.com"]]
    missed.refresh_from_db()
    assert missed.welcomed_at is not None


def test_welcome_email_send_twice_sends_once(db):
    student = StudentFactory()

    results = [welcome_email_send(user_id=student.pk), welcome_email_send(user_id=student.pk)]

    assert results == [True, False]
    assert len(mail.outbox) == 1


def test_welcome_email_for_a_deleted_user_is_a_no_op(db):
    assert welcome_email_send(user_id=424242) is False
