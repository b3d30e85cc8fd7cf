import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import AuditEntry
from people import services
from tests.factories import StudentFactory


def confirm(token: str, **headers):
    return APIClient().post(reverse("auth-email-confirm"), {"token": token}, format="json", **headers)


def test_email_confirmation_link_confirms_the_address(places, django_capture_on_commit_callbacks):
    student = StudentFactory(library=places.north_library, email="an@example.com")
    client = APIClient()
    client.force_authenticate(student)

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(reverse("auth-email-confirmation"))
    token = re.search(r"/confirm-email/\?token=(\S+)", mail.outbox[-1].body).group(1)
    confirmed = confirm(token)
    again = confirm(token)

    assert asked.status_code == 202
    assert mail.outbox[-1].to == ["an@example.com"]
    assert (confirmed.status_code, confirmed.json()["email_verified"]) == (200, True)
    assert again.status_code == 200  # opening the link twice is fine
    student.refresh_from_db()
    assert student.email_verified_at is not None
    assert AuditEntry.objects.filter(action="user.email_confirmed", target_id=student.pk).count() == 1


def test_email_confirmation_link_sent_to_an_old_address_is_refused(places):
    student = StudentFactory(library=places.north_library, email="old@example.com")
    token = services.email_confirmation_token(user=student)
    student.email = "new@example.com"
    student.save()

    response = confirm(token, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {
        "token": ["This confirmation link is not valid, has expired or was sent to another address; ask for a new one."]
    }


def test_email_confirmation_link_expires_after_three_days(places, time_machine):
    student = StudentFactory(library=places.north_library)
    time_machine.move_to(timezone.now(), tick=False)
    token = services.email_confirmation_token(user=student)
    time_machine.shift(timedelta(days=3, minutes=1))

    assert confirm(token).status_code == 400


def test_email_confirmation_of_a_forged_token_is_a_400(db):
    assert confirm("bogus:token").status_code == 400


def test_email_confirmation_asked_when_confirmed_is_a_409(places):
    student = StudentFactory(library=places.north_library)
    student = services.email_confirm(token=services.email_confirmation_token(user=student))
    client = APIClient()
    client.force_authenticate(student)

    assert client.post(reverse("auth-email-confirmation")).status_code == 409
