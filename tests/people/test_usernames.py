"""Usernames that pass for someone else's: other alphabets' look-alike letters, 0 for o."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from people.models import User
from tests.factories import UserFactory


def register(places, username, language="en"):
    return APIClient().post(
        reverse("auth-register"),
        {
            "username": username,
            "password": "Sach-hay-2026",
            "email": f"{abs(hash(username))}@example.com",
            "full_name": "Trần Quốc Việt",
            "library": places.north_library.pk,
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )


ONE_ALPHABET = (
    "Usernames use Latin letters (Vietnamese ones too), the digits 0–9 and @ . + - _ only, "
    "so that no name can pass for another: {char} is not one of them."
)


@pytest.mark.parametrize(
    ("username", "char"),
    [
        ("b\u0430ntochuc", "“а”"),  # a Cyrillic а among Latin letters
        ("\u0440\u043e\u0435", "“р”"),  # wholly Cyrillic, reads as "poe"
        ("\u03b1lpha", "“α”"),  # Greek
        ("giamkhao.\u0661", "“١”"),  # an Arabic-Indic digit one
        ("thuv\u0131en", "“ı”"),  # Latin, but a dotless i
    ],
)
def test_a_username_with_a_letter_of_another_alphabet_is_refused_and_the_letter_named(places, username, char):
    response = register(places, username)

    assert response.status_code == 400
    assert response.json() == {"username": [ONE_ALPHABET.format(char=char)]}
    assert User.objects.count() == 0


def test_the_refusal_is_in_vietnamese_by_default(places):
    response = register(places, "b\u0430ntochuc", language="vi")

    assert response.json() == {
        "username": [
            "Tên đăng nhập chỉ gồm chữ cái Latinh (kể cả chữ tiếng Việt), chữ số 0–9 và @ . + - _, để không tên nào "
            "giả được tên khác: “а” không thuộc số đó."
        ]
    }


@pytest.mark.parametrize("username", ["nguyễn.hường", "Đặng_Thu-Thảo", "an+sach@thuvien", "vnu-lic.sv01"])
def test_latin_usernames_with_vietnamese_letters_are_accepted(places, username):
    response = register(places, username)

    assert response.status_code == 201, response.json()
    assert User.objects.get().username == username


def test_a_fullwidth_username_is_stored_as_plain_latin(places):
    response = register(places, "ｎｇｕｙｅｎ")

    assert response.status_code == 201
    assert User.objects.get().username == "nguyen"


@pytest.mark.parametrize(
    ("existing", "username"),
    [
        ("bantochuc", "bant0chuc"),
        ("bantochuc", "BANTOCHUC"),
        ("thuvien.vnu", "thuvien.vnu"),
        ("hoa.ly", "hoa.Iy"),
        ("hoa.ly", "hoa.1y"),
        ("mai.anh", "rnai.anh"),
        ("wendy", "vvendy"),
    ],
)
def test_a_username_that_reads_like_an_existing_one_is_refused(places, existing, username):
    UserFactory(username=existing)

    response = register(places, username)

    assert response.status_code == 400
    assert response.json()["username"] in (
        ["This username is already taken."],
        ["This username looks too much like one already taken (0 and o, 1 and l, rn and m …); choose another."],
    )
    assert User.objects.count() == 1


def test_a_lookalike_is_named_as_such(places):
    UserFactory(username="giamkhao.01")

    response = register(places, "giamkhao.0l")

    assert response.json() == {
        "username": [
            "This username looks too much like one already taken (0 and o, 1 and l, rn and m …); choose another."
        ]
    }


def test_usernames_that_differ_visibly_are_both_accepted(places):
    UserFactory(username="giamkhao.01")

    response = register(places, "giamkhao.02")

    assert response.status_code == 201
