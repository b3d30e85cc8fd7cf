"""Who judges what: the assignment plan, as a pure function of plain numbers.

Kept apart from the database so that its invariants can be checked by hypothesis on thousands
of generated rounds, and so that a national round (1,000,000 entries x 3 judges over 2,000
judges) is planned in memory in seconds and written in one bulk insert.

The plan, for the same input always the same:
0. An assignment without a score whose judge may no longer take the entry (they recused, or now
   work for its library) is dropped; a score already given always stays.
1. Every entry that lacks judges gets the least-loaded judges who may take it (not from its
   library, not recused from it, not already on it); ties go to the lower judge id. Entries are
   taken in id order.
2. Loads are then evened out: an assignment without a score moves from a judge to one with a
   load at least two lower who may take its entry, until no such move is left. So loads differ
   by at most one unless conflicts or scores already given pin them; a score is never moved.
   (A single-move optimum: a chain of moves that would even loads further is not searched.)
3. An entry that cannot get enough judges takes all it can and is reported short.
"""

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple


class Slot(NamedTuple):
    """An assignment that already exists (a tuple: a national round has 3,000,000 of them)."""

    assignment_id: int
    entry_id: int
    judge_id: int
    movable: bool  # no score, not even a draft: moving it loses nothing


@dataclass
class Plan:
    added: list[tuple[int, int]] = field(default_factory=list)  # (entry id, judge id)
    removed: list[int] = field(default_factory=list)  # unscored assignments that now conflict
    moved: list[tuple[int, int]] = field(default_factory=list)  # (assignment id, new judge id)
    short: dict[int, int] = field(default_factory=dict)  # entry id -> judges still missing
    loads: dict[int, int] = field(default_factory=dict)  # judge id -> assignments after the plan


def assignment_plan(
    *,
    entries: Sequence[tuple[int, int]],
    judges: Sequence[tuple[int, Iterable[int]]],
    per_entry: int,
    existing: Sequence[Slot] = (),
    recused: Iterable[tuple[int, int]] = (),
) -> Plan:
    """entries: (entry id, library id); judges: (judge id, the libraries they belong to);
    recused: (judge id, entry id) pairs. Existing slots for entries not listed are ignored
    (the caller removes what no longer belongs to the round); a slot of a judge no longer on
    the panel (only scored ones remain) still covers its entry but carries no load."""
    judge_ids = sorted(judge_id for judge_id, _ in judges)
    index = {judge_id: i for i, judge_id in enumerate(judge_ids)}
    conflicted_by_library: dict[int, set[int]] = defaultdict(set)
    for judge_id, libraries in judges:
        for library_id in libraries:
            conflicted_by_library[library_id].add(index[judge_id])
    recused_by_entry: dict[int, set[int]] = defaultdict(set)
    for judge_id, entry_id in recused:
        if judge_id in index:
            recused_by_entry[entry_id].add(index[judge_id])

    library_of = dict(entries)
    loads = [0] * len(judge_ids)
    on_entry: dict[int, set[int]] = defaultdict(set)
    covered_off_panel: dict[int, int] = defaultdict(int)
    plan = Plan()
    # Slots that may move: [assignment id (None: new), entry id, judge index, first judge index]
    movable: list[list] = []
    for slot in sorted(existing, key=lambda s: s.assignment_id):
        if slot.entry_id not in library_of:
            continue
        j = index.get(slot.judge_id)
        if j is None:
            covered_off_panel[slot.entry_id] += 1
            continue
        if slot.movable and (
            j in conflicted_by_library.get(library_of[slot.entry_id], ())
            or j in recused_by_entry.get(slot.entry_id, ())
        ):
            plan.removed.append(slot.assignment_id)  # a conflict that arose since: the entry gets another judge
            continue
        loads[j] += 1
        on_entry[slot.entry_id].add(j)
        if slot.movable:
            movable.append([slot.assignment_id, slot.entry_id, j, j])

    def blocked(entry_id: int) -> set[int]:
        return conflicted_by_library.get(library_of[entry_id], set()) | recused_by_entry.get(entry_id, set())

    heap = [(loads[j], j) for j in range(len(judge_ids))]
    heapq.heapify(heap)
    for entry_id, _library_id in sorted(entries):
        missing = per_entry - len(on_entry.get(entry_id, ())) - covered_off_panel.get(entry_id, 0)
        if missing <= 0:
            continue
        excluded = blocked(entry_id) | on_entry.get(entry_id, set())
        chosen, passed = [], []
        while heap and len(chosen) < missing:
            load, j = heapq.heappop(heap)
            (passed if j in excluded else chosen).append((load, j))
        for load, j in chosen:
            loads[j] = load + 1
            on_entry[entry_id].add(j)
            movable.append([None, entry_id, j, None])
            heapq.heappush(heap, (load + 1, j))
        for item in passed:
            heapq.heappush(heap, item)
        if len(chosen) < missing:
            plan.short[entry_id] = missing - len(chosen)

    _even_out(loads, movable, on_entry, blocked)

    for assignment_id, entry_id, j, first in movable:
        if assignment_id is None:
            plan.added.append((entry_id, judge_ids[j]))
        elif j != first:
            plan.moved.append((assignment_id, judge_ids[j]))
    plan.loads = {judge_ids[j]: load for j, load in enumerate(loads)}
    return plan


def _even_out(loads: list[int], movable: list[list], on_entry: dict[int, set[int]], blocked) -> None:
    """Move slots from a judge to one at least two lower who may take the entry, until none
    is left. Every move lowers the sum of squared loads, so this ends."""
    if not loads:
        return
    by_load: dict[int, set[int]] = defaultdict(set)
    for j, load in enumerate(loads):
        by_load[load].add(j)

    def least_loaded_taker(entry_id: int, below: int) -> int | None:
        excluded = None
        for load in range(min(by_load), below):
            bucket = by_load.get(load)
            if not bucket:
                continue
            if excluded is None:
                excluded = blocked(entry_id) | on_entry[entry_id]
            for j in sorted(bucket):
                if j not in excluded:
                    return j
        return None

    moved = True
    while moved and max(loads) - min(loads) > 1:
        moved = False
        for slot in movable:
            entry_id, j = slot[1], slot[2]
            lowest = min(by_load)
            if loads[j] - lowest < 2:
                continue
            taker = least_loaded_taker(entry_id, loads[j] - 1)
            if taker is None:
                continue
            for judge, step in ((j, -1), (taker, +1)):
                by_load[loads[judge]].discard(judge)
                if not by_load[loads[judge]]:
                    del by_load[loads[judge]]
                loads[judge] += step
                by_load[loads[judge]].add(judge)
            on_entry[entry_id].discard(j)
            on_entry[entry_id].add(taker)
            slot[2] = taker
            moved = True
