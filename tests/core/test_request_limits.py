"""What a hostile client sends before any business rule is reached: JSON nested thousands
deep, bodies larger than anything the platform reads."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from contests.models import Category
from submissions.models import Entry
from tests.contests.test_admin import admin_form
from tests.factories import CategoryFactory, EntryFactory, UserFactory
from tests.files import PDF, upload

DEEP_LISTS = "[" * 5000 + "]" * 5000
DEEP_OBJECTS = '{"a":' * 5000 + "1" + "}" * 5000
# Parses within Python's recursion limit, yet nests far past anything the API takes.
DEEP_BUT_PARSEABLE = "[" * 500 + "]" * 500
TOO_DEEP = {"detail": "The JSON nests lists or objects more than 32 deep."}


def post_raw(client, url, body, method="post"):
    return getattr(client, method)(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("body", [DEEP_LISTS, DEEP_OBJECTS, DEEP_BUT_PARSEABLE], ids=["lists", "objects", "parseable"])
@pytest.mark.parametrize(
    ("role", "route", "method"),
    [
        ("anonymous", "auth-register", "post"),
        ("anonymous", "auth-token", "post"),
        ("anonymous", "auth-login", "post"),
        ("network_organizer", "contest-list", "post"),
        ("student", "contest-entries", "post"),
        ("student", "entry-detail", "patch"),
        ("network_organizer", "network-list", "post"),
    ],
)
def test_deeply_nested_json_is_a_400_on_every_endpoint_that_reads_a_body(
    role_users, contest, category, body, role, route, method
):
    entry = EntryFactory(category=category, entrant=role_users["student"])
    kwargs = {"contest_id": contest.pk} if route == "contest-entries" else {"pk": entry.pk} if "detail" in route else {}
    client = APIClient()
    if role_users[role] is not None:
        client.force_authenticate(role_users[role])

    response = post_raw(client, reverse(route, kwargs=kwargs), body, method)

    assert response.status_code == 400
    assert response.json() == TOO_DEEP


def test_json_nested_as_deep_as_the_api_needs_is_still_read(role_users, contest):
    client = APIClient()
    client.force_authenticate(role_users["network_organizer"])
    body = {"name": "Bảng A", "formats": ["text"], "nested": [[[[{"a": [1]}]]]]}  # unknown fields are ignored

    response = client.post(reverse("contest-categories", kwargs={"pk": contest.pk}), body, format="json")

    assert response.status_code == 201, response.json()


def test_deeply_nested_json_in_the_admins_json_fields_is_refused_not_a_500(contest, category):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = admin_form(contest) | {
        "categories-TOTAL_FORMS": "1",
        "categories-INITIAL_FORMS": "1",
        "categories-0-id": str(category.pk),
        "categories-0-contest": str(contest.pk),
        "categories-0-name": category.name,
        "categories-0-formats": DEEP_LISTS,
        "categories-0-max_words": "5000",
        "categories-0-allowed_file_types": '["pdf"]',
        "categories-0-max_file_mb": "10",
        "categories-0-allowed_video_hosts": '["youtube"]',
        "categories-0-max_entries_per_entrant": "1",
    }

    response = client.post(reverse("admin:contests_contest_change", args=[contest.pk]), data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200  # the form again, with the error
    assert "Enter a valid JSON." in response.content.decode()
    assert Category.objects.get(pk=category.pk).formats == category.formats


# --- body caps ------------------------------------------------------------------------------


class RecordingUploadHandler(MemoryFileUploadHandler):
    """Notes every upload the parser starts: none must start for a body refused by its size."""

    started = []

    def new_file(self, field_name, *args, **kwargs):
        RecordingUploadHandler.started.append(field_name)
        return super().new_file(field_name, *args, **kwargs)


@pytest.fixture
def recorded_uploads(settings):
    RecordingUploadHandler.started = []
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.RecordingUploadHandler", *settings.FILE_UPLOAD_HANDLERS]
    return RecordingUploadHandler.started


def test_a_json_body_larger_than_the_data_limit_is_413_before_it_is_read(db, settings, places):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    body = {"username": "x" * 200_000, "password": "y", "email": "a@b.vn", "full_name": "An", "library": 1}

    response = APIClient().post(reverse("auth-register"), body, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request is 0.2 MB; at most 0.1 MB are accepted here.",
        "code": "too_large",
    }


def test_the_admin_refuses_a_form_larger_than_the_data_limit_with_413(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    form = urlencode({"username": "x" * 2000, "password": "y"})

    response = Client().post("/admin/login/", form, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_an_upload_larger_than_the_contests_largest_file_is_413_before_it_reaches_the_disk(
    role_users, contest, category, recorded_uploads, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    Category.objects.filter(contest=contest).update(max_file_mb=1)
    CategoryFactory(contest=contest, name="Bảng video", max_file_mb=2)  # the contest's largest: 2 MB
    client = APIClient()
    client.force_authenticate(role_users["student"])
    data = {"category": category.pk, "title": "Bài", "book_title": "Sách", "book_author": "Tác giả"}

    response = client.post(
        reverse("contest-entries", kwargs={"contest_id": contest.pk}),
        data | {"attachment": upload("lon.pdf", PDF + b"0" * (3 * 1024 * 1024 + 100))},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request is 3.0 MB; at most 3.0 MB are accepted here.",
        "code": "too_large",
    }
    assert recorded_uploads == []
    assert Entry.objects.count() == 0
    assert list(tmp_path.rglob("*")) == []


def test_an_upload_within_the_contests_largest_file_is_read_and_judged_by_its_category(
    role_users, contest, category, recorded_uploads, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    Category.objects.filter(pk=category.pk).update(max_file_mb=1)
    CategoryFactory(contest=contest, name="Bảng video", max_file_mb=3)
    client = APIClient()
    client.force_authenticate(role_users["student"])
    data = {"category": category.pk, "title": "Bài", "book_title": "Sách", "book_author": "Tác giả"}

    response = client.post(
        reverse("contest-entries", kwargs={"contest_id": contest.pk}),
        data | {"attachment": upload("lon.pdf", PDF + b"0" * (2 * 1024 * 1024))},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {"attachment": ["The file is 2.0 MB; this category accepts at most 1 MB."]}
    assert recorded_uploads == ["attachment"]


def test_an_edit_upload_is_held_to_its_entrys_category(role_users, category, recorded_uploads):
    Category.objects.filter(pk=category.pk).update(max_file_mb=1)
    entry = EntryFactory(category=category, entrant=role_users["student"])
    client = APIClient()
    client.force_authenticate(role_users["student"])

    response = client.patch(
        reverse("entry-detail", kwargs={"pk": entry.pk}),
        {"attachment": upload("lon.pdf", PDF + b"0" * (2 * 1024 * 1024 + 100))},
        format="multipart",
    )

    assert response.status_code == 413
    assert recorded_uploads == []


def test_a_csv_import_larger_than_its_limit_is_413_before_it_is_read(role_users, contest, recorded_uploads):
    client = APIClient()
    client.force_authenticate(role_users["library_staff"])

    response = client.post(
        reverse("contest-paper-entries-import", kwargs={"contest_id": contest.pk}),
        {
            "library": role_users["library_staff"].staff_roles.get().library_id,
            "file": upload("a.csv", b"x" * 7_000_000),
        },
        format="multipart",
    )

    assert response.status_code == 413
    assert recorded_uploads == []


def test_any_multipart_body_past_the_largest_file_a_category_may_allow_is_413(db, settings, recorded_uploads):
    settings.UPLOAD_MAX_BYTES = 1000

    response = Client().post("/admin/login/", {"username": "x", "file": upload("a.pdf", PDF * 100)})

    assert response.status_code == 413
    assert recorded_uploads == []


def test_the_upload_cap_covers_the_largest_file_a_category_may_allow():
    [limit] = [v.limit_value for v in Category._meta.get_field("max_file_mb").validators if v.code == "max_value"]

    assert limit * 1024 * 1024 + settings.UPLOAD_MARGIN_BYTES == settings.UPLOAD_MAX_BYTES


def test_an_upload_to_a_contest_id_past_any_integer_is_a_404_not_a_500(role_users):
    client = APIClient()
    client.force_authenticate(role_users["student"])

    response = client.post("/api/contests/99999999999999999999/entries/", {"title": "x"}, format="multipart")

    assert response.status_code == 404
