import factory
from django.contrib.auth.hashers import make_password

from people.enums import NetworkKind
from people.models import Library, LibraryStaff, Network, NetworkOrganizer, User

PASSWORD = "Sach-hay-2026"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Liên chi hội {n}")
    kind = NetworkKind.ASSOCIATION
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The path is derived from the id, as network_create does it.
        network = model_class.objects.create(*args, path="", **kwargs)
        parent = kwargs.get("parent")
        network.path = f"{parent.path if parent else '/'}{network.pk}/"
        network.save(update_fields=["path"])
        return network


class LibraryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Library

    name = factory.Sequence(lambda n: f"Thư viện Trường số {n}")
    short_name = factory.Sequence(lambda n: f"TV{n}")
    network = factory.SubFactory(NetworkFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = "Nguyễn Thị Hường"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class StudentFactory(UserFactory):
    library = factory.SubFactory(LibraryFactory)


class NetworkOrganizerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkOrganizer

    user = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)


class LibraryStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryStaff

    user = factory.SubFactory(UserFactory)
    library = factory.SubFactory(LibraryFactory)
