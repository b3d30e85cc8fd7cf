"""Who judges what: the assignment plan, as a pure function of plain numbers.

Kept apart from the database so that its invariants can be checked by hypothesis on thousands
of generated rounds, and so that a national round (1,000,000 entries x 3 judges over 2,000
judges) is planned in memory in seconds and written in one bulk insert.

The plan, for the same input (and the same seed) always the same:
0. An assignment without a score whose judge may no longer take the entry (they recused, or now
   work for its library, or it was an anchor's and the entry is no longer one) is dropped; a
   score already given always stays.
1. Every entry that lacks judges gets the least-loaded judges who may take it (not from its
   library, not recused from it, not already on it). With a seed (the round's), entries are
   taken in an order shuffled by it and ties between equally loaded judges are drawn by it, so
   that judges meet in ever new groups: every judge's pool is spread over the whole round, and
   pools overlap across it (a connected design, which per-judge normalization needs; see
   `design_connectivity`). Without a seed, entries go in id order and ties to the lower judge
   id: then the same groups of judges come round again and again (with 4 judges and 2 per
   entry, two fixed pairs that never meet), which the tests of the plain rules use.
2. Loads are then evened out: an assignment without a score moves from a judge to one with a
   load at least two lower who may take its entry, until no such move is left. So loads differ
   by at most one unless conflicts or scores already given pin them; a score is never moved.
   (A single-move optimum: a chain of moves that would even loads further is not searched.)
3. An entry that cannot get enough judges takes all it can and is reported short.
4. Anchors: every judge who may take an anchor entry judges it, on top of their load (anchor
   assignments are not counted in the loads nor moved), so that every judge marks a few common
   entries that calibrate them against each other.
"""

import heapq
import random
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
    anchor: bool = False  # given because its entry is an anchor, on top of the judge's load


@dataclass
class Plan:
    added: list[tuple[int, int]] = field(default_factory=list)  # (entry id, judge id)
    removed: list[int] = field(default_factory=list)  # unscored assignments that now conflict
    moved: list[tuple[int, int]] = field(default_factory=list)  # (assignment id, new judge id)
    short: dict[int, int] = field(default_factory=dict)  # entry id -> judges still missing
    loads: dict[int, int] = field(default_factory=dict)  # judge id -> assignments after the plan (not anchors')
    anchored: list[tuple[int, int]] = field(default_factory=list)  # (anchor entry id, judge id), new
    design: dict[str, int] = field(default_factory=dict)  # design_connectivity() of the plan's result


def assignment_plan(
    *,
    entries: Sequence[tuple[int, int]],
    judges: Sequence[tuple[int, Iterable[int]]],
    per_entry: int,
    existing: Sequence[Slot] = (),
    recused: Iterable[tuple[int, int]] = (),
    anchors: Iterable[int] = (),
    seed: int | None = None,
) -> Plan:
    """entries: (entry id, library id); judges: (judge id, the libraries they belong to);
    recused: (judge id, entry id) pairs; anchors: entry ids every judge marks; seed: mixes the
    judges (see above). Existing slots for entries not listed are ignored (the caller removes
    what no longer belongs to the round); a slot of a judge no longer on the panel (only scored
    ones remain) still covers its entry but carries no load."""
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
    anchor_entries = {entry_id for entry_id in anchors if entry_id in library_of}
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
            or (slot.anchor and slot.entry_id not in anchor_entries)
        ):
            plan.removed.append(slot.assignment_id)  # a conflict that arose since: the entry gets another judge
            continue
        on_entry[slot.entry_id].add(j)
        if slot.anchor and slot.entry_id in anchor_entries:
            continue  # on top of the judge's load, and never moved
        loads[j] += 1
        if slot.movable:
            movable.append([slot.assignment_id, slot.entry_id, j, j])

    def blocked(entry_id: int) -> set[int]:
        return conflicted_by_library.get(library_of[entry_id], set()) | recused_by_entry.get(entry_id, set())

    order = sorted(entry_id for entry_id, _library_id in entries)
    if seed is None:
        tie = None  # ties to the lower judge id: the heap's own order
    else:
        rng = random.Random(seed)
        rng.shuffle(order)
        tie = rng.random
    # (load, tie-break, judge index): the tie-break is the judge's index, or drawn anew each
    # time the judge goes back on the heap, so that equally loaded judges meet in new groups.
    heap = [(loads[j], j if tie is None else tie(), j) for j in range(len(judge_ids))]
    heapq.heapify(heap)
    for entry_id in order:
        if entry_id in anchor_entries:
            continue  # every judge takes it, below
        missing = per_entry - len(on_entry.get(entry_id, ())) - covered_off_panel.get(entry_id, 0)
        if missing <= 0:
            continue
        excluded = blocked(entry_id) | on_entry.get(entry_id, set())
        chosen, passed = [], []
        while heap and len(chosen) < missing:
            item = heapq.heappop(heap)
            (passed if item[2] in excluded else chosen).append(item)
        for load, _tie, j in chosen:
            loads[j] = load + 1
            on_entry[entry_id].add(j)
            movable.append([None, entry_id, j, None])
            heapq.heappush(heap, (load + 1, j if tie is None else tie(), j))
        for item in passed:
            heapq.heappush(heap, item)
        if len(chosen) < missing:
            plan.short[entry_id] = missing - len(chosen)

    _even_out(loads, movable, on_entry, blocked)

    for entry_id in sorted(anchor_entries):
        excluded = blocked(entry_id) | on_entry[entry_id]
        for j in range(len(judge_ids)):
            if j not in excluded:
                on_entry[entry_id].add(j)
                plan.anchored.append((entry_id, judge_ids[j]))

    for assignment_id, entry_id, j, first in movable:
        if assignment_id is None:
            plan.added.append((entry_id, judge_ids[j]))
        elif j != first:
            plan.moved.append((assignment_id, judge_ids[j]))
    plan.loads = {judge_ids[j]: load for j, load in enumerate(loads)}
    plan.design = design_connectivity(len(judge_ids), on_entry.values())
    return plan


def design_connectivity(judge_count: int, panels: Iterable[Iterable[int]]) -> dict[str, int]:
    """How well a round's judges are linked through the entries they share, from each entry's
    judges (as indexes 0..judge_count-1). Two judges are linked when they mark a common entry;
    per-judge normalization compares judges only through such links.
    - components: groups of judges linked to each other, directly or through others (1: the
      whole panel is one design; more: the groups' scales cannot be compared to each other);
    - largest_component: judges in the largest group;
    - fewest_co_judges: the fewest other judges any one judge shares an entry with;
    - smallest_overlap: the fewest entries two judges of the panel share (0 as soon as one pair
      never meets, as in any large panel: the components then say whether all are linked)."""
    if judge_count == 0:
        return {"judges": 0, "components": 0, "largest_component": 0, "fewest_co_judges": 0, "smallest_overlap": 0}
    pair_counts: dict[int, int] = defaultdict(int)
    for panel in panels:
        members = sorted(panel)
        for position, a in enumerate(members):
            for b in members[position + 1 :]:
                pair_counts[a * judge_count + b] += 1
    parent = list(range(judge_count))

    def root(j: int) -> int:
        while parent[j] != j:
            parent[j] = parent[parent[j]]
            j = parent[j]
        return j

    co_judges = [0] * judge_count
    components = judge_count
    for pair in pair_counts:
        a, b = divmod(pair, judge_count)
        co_judges[a] += 1
        co_judges[b] += 1
        if components > 1:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[ra] = rb
                components -= 1
    sizes: dict[int, int] = defaultdict(int)
    for j in range(judge_count):
        sizes[root(j)] += 1
    every_pair = judge_count * (judge_count - 1) // 2
    return {
        "judges": judge_count,
        "components": components,
        "largest_component": max(sizes.values()),
        "fewest_co_judges": min(co_judges),
        "smallest_overlap": min(pair_counts.values()) if len(pair_counts) == every_pair and every_pair else 0,
    }


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
