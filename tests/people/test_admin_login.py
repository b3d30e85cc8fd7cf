from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tests.factories import PASSWORD, UserFactory


def admin_login(client, password):
    return client.post("/admin/login/?next=/admin/", {"username": "bantochuc", "password": password})


def test_admin_sign_in_attempts_past_the_auth_rate_are_429_even_with_the_right_password(db, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/minute"})
    UserFactory(username="bantochuc", is_staff=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    statuses = [admin_login(client, "sai").status_code for _ in range(3)]
    refused = admin_login(client, PASSWORD)

    assert statuses == [200, 200, 200]  # the form again, "Please enter the correct username and password"
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Too many sign-in attempts from your connection. Try again in 60 seconds." in refused.content.decode()
    assert SESSION_KEY not in client.session


def test_the_admin_and_the_api_sign_in_share_one_budget(db, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/minute"})
    UserFactory(username="bantochuc", is_staff=True)
    api = APIClient()
    for _ in range(2):
        api.post(reverse("auth-token"), {"username": "bantochuc", "password": "sai"}, format="json")

    statuses = [admin_login(Client(), "sai").status_code for _ in range(2)]

    assert statuses == [200, 429]
    assert api.post(reverse("auth-login"), {"username": "bantochuc", "password": "sai"}).status_code == 429


def test_showing_the_admin_sign_in_page_is_not_counted(db, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "1/minute"})
    UserFactory(username="bantochuc", is_staff=True)
    client = Client()
    for _ in range(3):
        assert client.get("/admin/login/").status_code == 200

    response = admin_login(client, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
