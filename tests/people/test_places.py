import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import AuditEntry
from people.models import Library, Network
from people.services import network_move
from tests.clients import client_for
from tests.factories import LibraryFactory, NetworkFactory


def test_network_organizer_adds_a_network_below_their_own(role_users, places):
    response = client_for(role_users["network_organizer"]).post(
        reverse("network-list"),
        {"name": " Chi hội  Nghệ An ", "kind": "province", "parent": places.north.pk},
        format="json",
    )

    assert response.status_code == 201
    network = Network.objects.get(pk=response.json()["id"])
    assert response.json() == {
        "id": network.pk,
        "name": "Chi hội Nghệ An",
        "short_name": "",
        "kind": "province",
        "parent": places.north.pk,
        "depth": 2,
        "library_count": 0,
    }
    assert network.path == f"{places.north.path}{network.pk}/"
    assert AuditEntry.objects.filter(action="network.created", target_id=network.pk).count() == 1


@pytest.mark.parametrize("parent", ["south", "national", None])
def test_network_organizer_may_not_add_outside_their_network(role_users, places, parent):
    parent_id = getattr(places, parent).pk if parent else None

    response = client_for(role_users["network_organizer"]).post(
        reverse("network-list"), {"name": "Mới", "parent": parent_id}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "You may only add networks below a network you organize."
    assert not Network.objects.filter(name="Mới").exists()


def test_network_name_is_unique_below_one_parent(role_users, places):
    response = client_for(role_users["platform_organizer"]).post(
        reverse("network-list"), {"name": "tỉnh thái nguyên", "parent": places.north.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"name": ["Tên này đã được sử dụng."]}


def test_network_move_rewrites_the_paths_below(role_users, places):
    network_move(actor=role_users["platform_organizer"], network=places.north, parent=places.south)

    places.north_province.refresh_from_db()
    assert places.north_province.path == f"{places.south.path}{places.north.pk}/{places.north_province.pk}/"


def test_network_move_below_itself_is_refused(role_users, places):
    from core.errors import DomainError

    with pytest.raises(DomainError):
        network_move(actor=role_users["platform_organizer"], network=places.north, parent=places.north_province)


def test_network_patch_renames(role_users, places):
    response = client_for(role_users["network_organizer"]).patch(
        reverse("network-detail", kwargs={"pk": places.north_province.pk}),
        {"name": "Tỉnh Thái Nguyên mới"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Tỉnh Thái Nguyên mới"


def test_libraries_filter_by_network_includes_the_networks_below(places):
    deep = LibraryFactory(name="Thư viện tỉnh Thái Nguyên", network=places.north_province)

    response = APIClient().get(reverse("library-list"), {"network": places.north.pk})

    assert {row["id"] for row in response.json()["results"]} == {places.north_library.pk, deep.pk}


def test_libraries_search_matches_vietnamese_names(places):
    response = APIClient().get(reverse("library-list"), {"search": "Vinh"})

    assert [row["name"] for row in response.json()["results"]] == ["Thư viện Đại học Vinh"]


def test_libraries_search_finds_a_networks_libraries_by_its_short_name(places):
    places.north.short_name = "NALA"
    places.north.save(update_fields=["short_name"])

    response = APIClient().get(reverse("library-list"), {"search": "nala"})

    assert {row["id"] for row in response.json()["results"]} == set(places.north.libraries.values_list("pk", flat=True))
    assert response.json()["count"] >= 1


def test_libraries_filter_by_unknown_network_is_400(places):
    response = APIClient().get(reverse("library-list"), {"network": 999999}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert list(response.json()) == ["network"]


def test_library_create_by_its_network_organizer(role_users, places):
    response = client_for(role_users["network_organizer"]).post(
        reverse("library-list"),
        {
            "name": "Thư viện Trường THPT Chuyên Thái Nguyên",
            "short_name": "CTN",
            "network": places.north_province.pk,
            "student_count": 900,
        },
        format="json",
    )

    assert response.status_code == 201
    assert Library.objects.get(short_name="CTN").network == places.north_province


def test_library_moved_to_a_foreign_network_is_403(role_users, places):
    response = client_for(role_users["network_organizer"]).patch(
        reverse("library-detail", kwargs={"pk": places.north_library.pk}), {"network": places.south.pk}, format="json"
    )

    assert response.status_code == 403
    places.north_library.refresh_from_db()
    assert places.north_library.network == places.north


@pytest.mark.parametrize("url", ["network-list", "library-list"])
def test_lists_take_a_fixed_number_of_queries(db, django_assert_num_queries, url):
    network = NetworkFactory()
    LibraryFactory(network=network)
    with django_assert_num_queries(2):  # count + page
        APIClient().get(reverse(url))
    for _ in range(3):
        LibraryFactory(network=NetworkFactory(parent=network))

    with django_assert_num_queries(2):
        response = APIClient().get(reverse(url))

    assert response.json()["count"] == 4


def test_a_top_level_network_needs_no_parent_and_its_name_is_unique_among_them(role_users, places):
    client = client_for(role_users["platform_organizer"])

    added = client.post(
        reverse("network-list"), {"name": "Hội Thư viện Việt Nam", "kind": "association"}, format="json"
    )
    again = client.post(reverse("network-list"), {"name": "hội thư viện việt nam"}, format="json")

    assert added.status_code == 201
    assert (added.json()["parent"], added.json()["depth"]) == (None, 0)
    assert (again.status_code, again.json()) == (400, {"name": ["Tên này đã được sử dụng."]})
