from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from contests.enums import ContestStatus
from contests.models import Category, Contest, Criterion, PrizeTier, Round
from judging.models import Anchor, Assignment, Judge, RoundResult, Score
from people.enums import NetworkKind
from people.models import Library, LibraryStaff, Network, NetworkOrganizer, User
from submissions.models import Entry

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


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest

    title = factory.Sequence(lambda n: f"Đại sứ Văn hóa đọc {2000 + n}")
    network = factory.SubFactory(NetworkFactory)
    code_prefix = "DSVH26"
    status = ContestStatus.OPEN
    submission_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    submission_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"Bảng {n}")


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"Vòng {n}")
    order = factory.Sequence(lambda n: n + 1)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    round = factory.SubFactory(RoundFactory)
    name = "Nội dung"
    max_score = Decimal(10)


class PrizeTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrizeTier

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"Giải {n}")
    rank = factory.Sequence(lambda n: n + 1)
    quota = 4


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    category = factory.SubFactory(CategoryFactory)
    contest = factory.SelfAttribute("category.contest")
    entrant = factory.SubFactory(StudentFactory)
    library = factory.SelfAttribute("entrant.library")
    submitted_by = factory.SelfAttribute("entrant")
    code = factory.Sequence(lambda n: f"DSVH26-{n:06d}")
    title = "Cuốn sách thay đổi cuộc đời tôi"
    book_title = "Dế Mèn phiêu lưu ký"
    book_author = "Tô Hoài"
    body = "Tôi yêu những trang sách của Tô Hoài."
    word_count = 9


class JudgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judge

    round = factory.SubFactory(RoundFactory)
    user = factory.SubFactory(UserFactory)


class AnchorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Anchor

    round = factory.SubFactory(RoundFactory)
    entry = factory.SubFactory(EntryFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    round = factory.SubFactory(RoundFactory)
    entry = factory.SubFactory(EntryFactory, category__contest=factory.SelfAttribute("...round.contest"))
    judge = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(timezone.now)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    assignment = factory.SubFactory(AssignmentFactory)
    submitted = True
    total = Decimal(0)


class RoundResultFactory(factory.django.DjangoModelFactory):
    """A closed round's line for an entry, as closing writes it."""

    class Meta:
        model = RoundResult

    entry = factory.SubFactory(EntryFactory)
    round = factory.SubFactory(RoundFactory, contest=factory.SelfAttribute("..entry.contest"))
    category = factory.SelfAttribute("entry.category")
    score = Decimal(10)
    lowest = factory.SelfAttribute("score")
    spread = Decimal(0)
    judges = 3
    rank = 1
