"""Final rankings made by hand: entries with the round results closing would have written."""

from decimal import Decimal

from rest_framework.test import APIClient

from judging import closing, services
from tests.factories import (
    AssignmentFactory,
    CriterionFactory,
    EntryFactory,
    JudgeFactory,
    RoundResultFactory,
    StudentFactory,
    UserFactory,
)


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def ranking(final_round, category, library, ranks: list[int], *, title: str = "") -> list:
    """One entry per rank given (ranks as closing writes them: 1, 2, 2, 4 ...), in that order;
    entry i is titled f"{title}{i}" and scored 100 - rank."""
    entries = []
    for index, rank in enumerate(ranks):
        entry = EntryFactory(category=category, entrant=StudentFactory(library=library), title=f"{title}{index}")
        RoundResultFactory(round=final_round, entry=entry, rank=rank, score=Decimal(100 - rank))
        entries.append(entry)
    return entries


def judged_for_real(judging_round, category, organizer, table: dict, *, weight: str = "1") -> dict:
    """The round judged and closed through the services: one criterion (out of 10, weighted
    `weight`) and one judge per column of `table` (entry title -> (library, marks)).
    Returns title -> entry."""
    criterion = CriterionFactory(round=judging_round, weight=Decimal(weight), max_score=Decimal(10))
    width = max(len(marks) for _library, marks in table.values())
    judges = [JudgeFactory(round=judging_round, user=UserFactory()).user for _ in range(width)]
    entries = {}
    for title, (library, marks) in table.items():
        entry = EntryFactory(category=category, entrant=StudentFactory(library=library), title=title)
        entries[title] = entry
        for judge, value in zip(judges, marks, strict=False):
            assignment = AssignmentFactory(round=judging_round, entry=entry, judge=judge)
            services.score_record(judge=judge, assignment=assignment, marks={str(criterion.pk): value}, submit=True)
    closing.round_close(actor=organizer, judging_round=judging_round)
    return entries
