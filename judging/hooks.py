"""Seams through which the apps above judging act on it without judging importing them.

Screening (which reads entries and judging's rounds) registers here, from its AppConfig.ready:
- an assignment hold: a function of the round giving a Q over entries that must not be assigned
  in it yet (entries flagged as possible copies, awaiting their organizers' decision);
- judges' notes: a function of an entry giving what the organizers chose to tell its judges
  (nothing, unless an organizer sent a flag on).
Without registrations, nothing is held and judges get no notes.
"""

from collections.abc import Callable

from django.db.models import Q

from contests.models import Round
from submissions.models import Entry

_assignment_holds: list[Callable[[Round], Q]] = []
_judge_notes: list[Callable[[Entry], list[str]]] = []


def assignment_hold_register(hold: Callable[[Round], Q]) -> Callable[[Round], Q]:
    if hold not in _assignment_holds:
        _assignment_holds.append(hold)
    return hold


def judge_notes_register(notes: Callable[[Entry], list[str]]) -> Callable[[Entry], list[str]]:
    if notes not in _judge_notes:
        _judge_notes.append(notes)
    return notes


def assignment_held(judging_round: Round) -> Q | None:
    """The entries held back from the round's assignment, as a filter on entries; None: none."""
    held = None
    for hold in _assignment_holds:
        condition = hold(judging_round)
        held = condition if held is None else held | condition
    return held


def judge_notes(entry: Entry) -> list[str]:
    return [note for notes in _judge_notes for note in notes(entry)]
