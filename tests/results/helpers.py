"""Final rankings made by hand: entries with the round results closing would have written."""

from decimal import Decimal

from rest_framework.test import APIClient

from tests.factories import EntryFactory, RoundResultFactory, StudentFactory


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
