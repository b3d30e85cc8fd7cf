"""Helpers of the judging tests: a panel, entries, marks."""

from rest_framework.test import APIClient

from judging import services
from judging.models import Assignment
from tests.factories import EntryFactory, JudgeFactory, LibraryFactory, StudentFactory, UserFactory


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def entries_of(category, library, count: int) -> list:
    return [EntryFactory(category=category, entrant=StudentFactory(library=library)) for _ in range(count)]


def panel(judging_round, count: int, library=None) -> list:
    """`count` judges on the round; each from a library of their own unless one is given."""
    return [
        JudgeFactory(round=judging_round, user=UserFactory(library=library or LibraryFactory())).user
        for _ in range(count)
    ]


def criteria_ids(judging_round) -> list[str]:
    return [str(pk) for pk in judging_round.criteria.values_list("pk", flat=True)]


def mark(assignment: Assignment, *marks, submit: bool = True, comment: str = ""):
    """The assignment's judge gives these marks, criterion by criterion."""
    ids = criteria_ids(assignment.round)
    return services.score_record(
        judge=assignment.judge,
        assignment=assignment,
        marks=dict(zip(ids, marks, strict=False)),
        comment=comment,
        submit=submit,
    )


def assign(judging_round, actor):
    return services.round_assign(actor=actor, judging_round=judging_round)
