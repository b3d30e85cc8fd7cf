"""Entries whose text hides something: invisible titles, control characters in links."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from submissions.models import Entry


@pytest.fixture
def video_category(category):
    category.formats = ["text", "video"]
    category.save()
    return category


def submit(user, contest, data, language="en"):
    client = APIClient()
    client.force_authenticate(user)
    url = reverse("contest-entries", kwargs={"contest_id": contest.pk})
    return client.post(url, data, format="json", HTTP_ACCEPT_LANGUAGE=language)


def essay(category, **overrides):
    return {
        "category": category.pk,
        "title": "Cuốn sách thay đổi tôi",
        "book_title": "Dế Mèn phiêu lưu ký",
        "book_author": "Tô Hoài",
        "body": "Tôi đã đọc cuốn sách này.",
    } | overrides


INVISIBLE_ONLY = "Write this in letters or digits: it holds only invisible characters."


@pytest.mark.parametrize(
    "text",
    [
        "\u200b\u200b\u200b",  # zero-width spaces
        "\u200d\ufeff\u2060",  # a joiner, a byte-order mark, a word joiner
        "\u0301\u0323",  # combining marks with no letter to sit on
        "\u3164\u3164",  # Hangul fillers, which Unicode files as letters
        "\u2800 \u2800",  # blank Braille cells
        "\u202e\u00ad",  # a bidi override and a soft hyphen
    ],
)
@pytest.mark.parametrize("field", ["title", "book_title", "book_author", "book_publisher"])
def test_a_title_made_only_of_invisible_characters_is_refused(role_users, contest, category, text, field):
    response = submit(role_users["student"], contest, essay(category, **{field: text}))

    assert response.status_code == 400
    assert response.json() == {field: [INVISIBLE_ONLY]}
    assert Entry.objects.count() == 0


def test_an_invisible_title_is_refused_on_edit_too(role_users, contest, category):
    entry_id = submit(role_users["student"], contest, essay(category)).json()["id"]
    client = APIClient()
    client.force_authenticate(role_users["student"])

    response = client.patch(
        reverse("entry-detail", kwargs={"pk": entry_id}), {"title": "\u200b"}, format="json", HTTP_ACCEPT_LANGUAGE="vi"
    )

    assert response.status_code == 400
    assert response.json() == {"title": ["Hãy viết bằng chữ hoặc số: nội dung này chỉ gồm các ký tự vô hình."]}
    assert Entry.objects.get().title == "Cuốn sách thay đổi tôi"


def test_a_control_character_in_a_title_is_refused_and_named(role_users, contest, category):
    response = submit(role_users["student"], contest, essay(category, title="Sách \x1b[31mđỏ"))

    assert response.status_code == 400
    assert response.json() == {"title": ["Remove the control character U+001B."]}


def test_a_title_with_an_emoji_joiner_between_visible_characters_is_kept(role_users, contest, category):
    title = "Gia đình 👨\u200d👩\u200d👧 và sách"

    response = submit(role_users["student"], contest, essay(category, title=title))

    assert response.status_code == 201
    assert Entry.objects.get().title == title


@pytest.mark.parametrize(
    ("url", "char"),
    [
        ("https://www.youtube.com/watch?v=abc\r\nSet-Cookie:x", "U+000D"),
        ("https://www.youtube.com/watch?v=abc%0d%0aX", "U+000D"),
        ("https://www.youtube.com/watch?v=abc%00", "U+0000"),
        ("https://www.youtube.com/watch?v=abc%C2%85", "U+0085"),  # C1, percent-encoded as UTF-8
        ("https://www.youtube.com/watch?v=a\u0085b", "U+0085"),
        ("https://www.youtube.com/watch?v=\u202eabc", "U+202E"),  # shows the rest reversed
        ("https://www.you\u200btube.com/watch?v=abc", "U+200B"),
        ("https://www.youtube.com/watch?v=a b", "U+0020"),
    ],
)
def test_a_video_link_with_control_or_invisible_characters_is_refused(role_users, contest, video_category, url, char):
    response = submit(role_users["student"], contest, essay(video_category, body="", video_url=url))

    assert response.status_code == 400
    assert response.json() == {
        "video_url": [f"The video link holds a control, invisible or space character ({char}); copy the link again."]
    }
    assert Entry.objects.count() == 0


def test_an_ordinary_percent_encoded_video_link_is_accepted(role_users, contest, video_category):
    url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1%3A30&list=Th%C6%B0+vi%E1%BB%87n"

    response = submit(role_users["student"], contest, essay(video_category, body="", video_url=url))

    assert response.status_code == 201, response.json()
    assert Entry.objects.get().video_url == url


@pytest.mark.parametrize("name", ["\u3164 \u3164", "\u200b\u200b"])
def test_a_full_name_made_only_of_invisible_characters_is_refused(places, name):
    response = APIClient().post(
        reverse("auth-register"),
        {
            "username": "hocsinh2",
            "password": "Sach-hay-2026",
            "email": "hs2@example.com",
            "full_name": name,
            "library": places.north_library.pk,
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {"full_name": ["Enter your full name in letters, e.g. Nguyễn Thị Hường."]}
