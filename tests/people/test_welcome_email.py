from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import OutboxTask
from core.outbox import outbox_sweep
from people.models import User
from people.services import welcome_email_send
from tests.factories import StudentFactory


def test_registration_with_the_broker_down_is_saved_201_and_welcomed_once_the_broker_is_back(
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
    user = User.objects.get(username="duongthuy")
    waiting = list(OutboxTask.objects.values_list("task", "kwargs"))
    broker_down.back()
    swept = [outbox_sweep(), outbox_sweep()]

    assert response.status_code == 201
    assert waiting == [("people.tasks.welcome_email_send_task", {"user_id": user.pk})]
    assert swept == [1, 0]
    assert [message.to for message in mail.outbox] == [["duong@example.com"]]
    assert not OutboxTask.objects.exists()


def test_welcome_email_send_twice_sends_once(db):
    student = StudentFactory()

    results = [welcome_email_send(user_id=student.pk), welcome_email_send(user_id=student.pk)]

    assert results == [True, False]
    assert len(mail.outbox) == 1


def test_welcome_email_for_a_deleted_user_is_a_no_op(db):
    assert welcome_email_send(user_id=424242) is False
