from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from core.pages import CONTENT_SECURITY_POLICY


def page(client, code):
    return client.get(reverse("verify-page-code", kwargs={"code": code}), HTTP_ACCEPT_LANGUAGE="en")


def test_the_verify_page_past_the_verify_rate_is_a_429_page_not_a_500(db, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"verify": "3/minute"})
    client = Client()

    statuses = [page(client, "ABCDEFGHJKMN").status_code for _ in range(3)]
    refused = page(client, "ABCDEFGHJKMN")

    assert statuses == [404, 404, 404]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "Too many checks from your connection. Try again in 60 seconds." in refused.content.decode()


def test_the_verify_page_and_the_api_share_one_budget(db, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"verify": "3/minute"})
    for _ in range(3):
        page(Client(), "ABCDEFGHJKMN")

    response = APIClient().get(reverse("certificate-verify", kwargs={"code": "ABCDEFGHJKMN"}))

    assert response.status_code == 429


def test_the_empty_verify_box_is_not_counted(db, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"verify": "1/minute"})
    client = Client()

    boxes = [client.get(reverse("verify-page")).status_code for _ in range(3)]

    assert boxes == [200, 200, 200]
    assert page(client, "ABCDEFGHJKMN").status_code == 404


def test_the_verify_page_sends_the_sites_csp(db):
    response = Client().get(reverse("verify-page"))

    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
