"""Reads for people, networks and libraries."""

from django.db.models import Count, QuerySet

from people.models import Library, Network, User


def networks_list() -> QuerySet[Network]:
    return Network.objects.annotate(library_count=Count("libraries", distinct=True)).order_by("path")


def libraries_list(*, network: Network | None = None) -> QuerySet[Library]:
    libraries = Library.objects.select_related("network").order_by("name")
    if network is not None:
        libraries = libraries.filter(network__path__startswith=network.path)
    return libraries


def user_with_roles(user: User) -> User:
    return User.objects.select_related("library").get(pk=user.pk)
