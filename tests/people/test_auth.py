from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tests.factories import PASSWORD, JudgeFactory, UserFactory


def test_token_for_a_valid_password_authenticates_later_requests(db):
    user = UserFactory(username="lengocanh", full_name="Lê Ngọc Ánh")

    response = APIClient().post(reverse("auth-token"), {"username": "lengocanh", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert set(response.json()) == {"token", "expires"}
    assert AuthToken.objects.get().user == user
    me = APIClient().get(reverse("auth-me"), HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert me.json()["full_name"] == "Lê Ngọc Ánh"


def test_token_for_a_wrong_password_is_400_and_says_why(db):
    UserFactory(username="lengocanh")

    response = APIClient().post(
        reverse("auth-token"), {"username": "lengocanh", "password": "sai"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


def test_token_requests_are_throttled(db, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/minute"})
    client = APIClient()

    statuses = [
        client.post(reverse("auth-token"), {"username": "x", "password": "y"}, format="json").status_code
        for _ in range(4)
    ]

    assert statuses == [400, 400, 400, 429]


def test_me_is_401_for_anonymous(db):
    response = APIClient().get(reverse("auth-me"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_me_lists_the_roles_of_each_kind_of_user(role_users, places):
    JudgeFactory(user=role_users["judge"])
    roles = {}
    for role, user in role_users.items():
        if user is not None:
            client = APIClient()
            client.force_authenticate(user)
            roles[role] = client.get(reverse("auth-me")).json()

    assert {role: me["roles"] for role, me in roles.items()} == {
        "student": ["student"],
        "judge": ["judge"],
        "library_staff": ["library_staff"],
        "network_organizer": ["network_organizer"],
        "platform_organizer": ["platform_organizer"],
    }
    assert roles["network_organizer"]["organizes_networks"] == sorted([places.north.pk, places.north_province.pk])
    assert roles["library_staff"]["staff_of_libraries"] == [places.north_library.pk]


def test_session_login_through_the_admin_reaches_me(db, client):
    UserFactory(username="bantochuc", is_staff=True)

    login = client.post("/admin/login/?next=/admin/", {"username": "bantochuc", "password": PASSWORD})

    assert login.status_code == 302
    assert client.get(reverse("auth-me")).json()["username"] == "bantochuc"


def test_session_login_opens_a_session_that_reaches_me(db):
    UserFactory(username="lengocanh", full_name="Lê Ngọc Ánh")
    client = APIClient(enforce_csrf_checks=True)
    client.get("/admin/login/")  # any page that sets the CSRF cookie (the frontend's pages do)
    csrf = client.cookies["csrftoken"].value

    response = client.post(
        reverse("auth-login"), {"username": "lengocanh", "password": PASSWORD}, format="json", HTTP_X_CSRFTOKEN=csrf
    )

    assert response.status_code == 200
    assert response.json()["full_name"] == "Lê Ngọc Ánh"
    assert client.get(reverse("auth-me")).json()["username"] == "lengocanh"


def test_session_login_without_the_csrf_token_is_403(db):
    UserFactory(username="lengocanh")
    client = APIClient(enforce_csrf_checks=True)

    response = client.post(
        reverse("auth-login"), {"username": "lengocanh", "password": PASSWORD}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 403
    assert response.json() == {
        "detail": "This page's security token is missing or out of date: reload the page and try again."
    }
    assert client.get(reverse("auth-me")).status_code == 401


def test_a_signed_in_write_without_the_csrf_token_is_refused_in_the_users_language(db):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(UserFactory())  # a session, as the browser has one

    response = client.post("/api/contests/", {"title": "X"}, format="json", HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code == 403
    assert response.json() == {"detail": "Mã bảo mật của trang đã thiếu hoặc hết hạn: hãy tải lại trang rồi thử lại."}


def test_session_login_with_a_wrong_password_is_400_in_the_asked_language(db):
    UserFactory(username="lengocanh")

    response = APIClient().post(
        reverse("auth-login"), {"username": "lengocanh", "password": "sai"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


def test_session_login_requests_are_throttled(db, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/minute"})
    client = APIClient()

    statuses = [
        client.post(reverse("auth-login"), {"username": "x", "password": "y"}, format="json").status_code
        for _ in range(4)
    ]

    assert statuses == [400, 400, 400, 429]


def test_session_logout_ends_the_session(db):
    UserFactory(username="lengocanh")
    client = APIClient()
    client.post(reverse("auth-login"), {"username": "lengocanh", "password": PASSWORD}, format="json")

    response = client.post(reverse("auth-logout"))

    assert response.status_code == 204
    assert client.get(reverse("auth-me")).status_code == 401
