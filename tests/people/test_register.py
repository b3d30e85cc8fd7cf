import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import AuditEntry
from people.models import User

URL = reverse("auth-register")


def payload(entrant_library, **overrides):
    return {
        "username": "tranquocviet",
        "password": "Sach-hay-2026",
        "email": "viet@example.com",
        "full_name": "Trần Quốc Việt",
        "library": entrant_library.pk,
    } | overrides


def register(data, language="vi"):
    return APIClient().post(URL, data, format="json", HTTP_ACCEPT_LANGUAGE=language)


def test_register_creates_a_student_of_the_library(places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(payload(places.north_library))

    assert response.status_code == 201
    user = User.objects.get(username="tranquocviet")
    assert response.json() == {
        "id": user.pk,
        "username": "tranquocviet",
        "email": "viet@example.com",
        "full_name": "Trần Quốc Việt",
        "email_verified": False,
        "library": {
            "id": places.north_library.pk,
            "name": "Thư viện Đại học Vinh",
            "short_name": places.north_library.short_name,
        },
        "language": "vi",
        "roles": ["student"],
        "organizes_networks": [],
        "staff_of_libraries": [],
    }
    assert user.check_password("Sach-hay-2026")
    assert [m.to for m in mail.outbox] == [["viet@example.com"]]
    assert mail.outbox[0].subject == "Chào mừng bạn đến với cuộc thi Đại sứ Văn hóa đọc"
    assert user.welcomed_at is not None
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["user.registered"]


def test_register_in_english_stores_the_language_and_mails_in_english(places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(payload(places.north_library), language="en")

    assert response.json()["language"] == "en"
    assert mail.outbox[0].subject == "Welcome to the Reading Culture Ambassador contests"


def test_register_normalizes_the_name_to_nfc_and_folds_spaces(places):
    decomposed = "Nguye\u0302\u0303n   Thi\u0323 Hu\u031bo\u031b\u0300ng "

    response = register(payload(places.north_library, full_name=decomposed))

    assert response.status_code == 201
    assert User.objects.get().full_name == "Nguyễn Thị Hường"


@pytest.mark.parametrize("username", ["tranquocviet", "TranQuocViet"])
def test_register_duplicate_username_is_400_in_any_case(places, username):
    register(payload(places.north_library))

    response = register(payload(places.north_library, username=username, email="other@example.com"))

    assert response.status_code == 400
    assert response.json()["username"] == ["Tên đăng nhập này đã được sử dụng."]
    assert User.objects.count() == 1


def test_register_duplicate_email_is_400(places):
    register(payload(places.north_library))

    response = register(payload(places.north_library, username="khac", email="VIET@example.com"), language="en")

    assert response.status_code == 400
    assert response.json()["email"] == ["An account with this e-mail address already exists."]
    assert User.objects.count() == 1


def test_register_reports_every_bad_field_at_once_in_vietnamese(places):
    response = register({"username": "a b", "password": "123", "email": "x", "full_name": "R2D2", "library": 99999})

    assert response.status_code == 400
    assert response.json() == {
        "username": ["Điền tên đăng nhập hợp lệ. Giá trị này chỉ có thể chứa các chữ cái, số, và các ký tự @/./+/-/_"],
        "password": [
            "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 8 ký tự.",
            "Mật khẩu này quá phổ biến.",
            "Mật khẩu này hoàn toàn là số.",
        ],
        "email": ["Nhập một địa chỉ email hợp lệ."],
        "full_name": ["Hãy nhập họ và tên bằng chữ, ví dụ: Nguyễn Thị Hường."],
        "library": ["Thư viện này chưa có trên hệ thống; hãy chọn trong danh sách."],
    }
    assert User.objects.count() == 0


def test_register_reports_bad_fields_in_english(places):
    response = register(payload(places.north_library, password="tranquocviet", library="abc"), language="en")

    assert response.status_code == 400
    assert response.json() == {
        "password": ["The password is too similar to the username."],
        "library": ["Pick a library from the list."],
    }


def test_register_requires_every_field(db):
    response = register({}, language="en")

    assert response.status_code == 400
    assert response.json() == {
        field: ["This field is required."] for field in ("username", "password", "email", "full_name", "library")
    }


def test_register_ignores_fields_a_student_may_not_set(places):
    response = register(payload(places.north_library, is_staff=True, is_superuser=True, roles=["platform_organizer"]))

    assert response.status_code == 201
    user = User.objects.get()
    assert (user.is_staff, user.is_superuser, response.json()["roles"]) == (False, False, ["student"])
