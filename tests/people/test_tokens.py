"""Scripts' tokens: hashed at rest, expiring, revoked at sign-out."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory


def token_for(username="lengocanh") -> dict:
    response = APIClient().post(reverse("auth-token"), {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def me(key, **headers):
    return APIClient().get(reverse("auth-me"), HTTP_AUTHORIZATION=f"Token {key}", **headers)


@pytest.fixture
def student(db):
    return UserFactory(username="lengocanh", full_name="Lê Ngọc Ánh")


def test_a_token_is_stored_only_as_a_digest(student):
    key = token_for()["token"]

    stored = AuthToken.objects.get(user=student)

    assert key not in {stored.digest, stored.token_key} | {str(value) for value in AuthToken.objects.values_list()}
    assert stored.digest == hashlib.sha512(key.encode()).hexdigest()


def test_a_token_expires_after_the_configured_days_and_says_when(student, settings):
    settings.REST_KNOX = settings.REST_KNOX | {"TOKEN_TTL": timedelta(days=30)}
    before = timezone.now()

    answer = token_for()

    expires = AuthToken.objects.get(user=student).expiry
    assert before + timedelta(days=30) <= expires <= timezone.now() + timedelta(days=30)
    assert answer["expires"] == expires.astimezone(timezone.get_current_timezone()).isoformat()


def test_an_expired_token_is_refused_with_a_401(student, settings):
    settings.REST_KNOX = settings.REST_KNOX | {"TOKEN_TTL": timedelta(days=7)}
    key = token_for()["token"]
    AuthToken.objects.filter(user=student).update(expiry=timezone.now() - timedelta(seconds=1))

    response = me(key, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    assert response["WWW-Authenticate"] == "Token"


def test_sign_out_with_a_token_revokes_that_token_only(student):
    kept, revoked = token_for()["token"], token_for()["token"]

    response = APIClient().post(reverse("auth-logout"), HTTP_AUTHORIZATION=f"Token {revoked}")

    assert response.status_code == 204
    assert me(revoked).status_code == 401
    assert me(kept).json()["username"] == "lengocanh"
    assert AuthToken.objects.filter(user=student).count() == 1


def test_sign_out_with_a_revoked_token_is_a_401(student):
    key = token_for()["token"]
    APIClient().post(reverse("auth-logout"), HTTP_AUTHORIZATION=f"Token {key}")

    again = APIClient().post(reverse("auth-logout"), HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="vi")

    assert again.status_code == 401
    assert again.json() == {"detail": "Mã xác thực không hợp lệ."}


def test_sign_out_everywhere_revokes_every_token_and_the_session(student):
    keys = [token_for()["token"] for _ in range(3)]
    browser = APIClient()
    browser.force_login(student)

    response = browser.post(reverse("auth-logout-all"))

    assert response.status_code == 204
    assert [me(key).status_code for key in keys] == [401, 401, 401]
    assert browser.get(reverse("auth-me")).status_code == 401


def test_a_browser_sign_out_still_needs_the_csrf_token(student):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(student)

    refused = browser.post(reverse("auth-logout"))
    browser.get("/signin/")
    signed_out = browser.post(reverse("auth-logout"), HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)

    assert refused.status_code == 403
    assert signed_out.status_code == 204
    assert browser.get(reverse("auth-me")).status_code == 401


@pytest.mark.parametrize("key", ["Tókẹn", "abc\x00def", "a" * 300, "../../etc"])
def test_a_token_of_any_odd_shape_is_a_401_not_a_500(db, key):
    response = APIClient().get(
        reverse("auth-me"), HTTP_AUTHORIZATION=f"Token {key}".encode().decode("latin-1"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
