"""Who judges what: the assignment plan, as a pure function of plain numbers.

Kept apart from the database so that its invariants can be checked by hypothesis on thousands
of generated rounds, and so that a national round (1,000,000 entries x 3 judges over 2,000
judges) is planned in memory in seconds and written in one bulk insert.

The plan, for the same input (and the same seed) always the same:
0. An assignment without a score whose judge may no longer take the entry (they recused, or now
   work for its library, or it was an anchor's and the entry is no longer one) is dropped; a
   score already given always stays.
1. Every entry that lacks judges gets the least-loaded judges who may take it (not from its
   library, not recused from it, not already on it). The slots to fill, entry after entry, take
   the judges of a stream: each judge has a place at every load level from their current load
   up, the levels come in order, and within a level the judges come in an order drawn from the
   seed (the round's), one new order per level; the entries are taken in an order shuffled by
   the same seed. So judges meet in ever new groups: every judge's pool is spread over the
   whole round, and pools overlap across it (a connected design, which per-judge normalization
   needs; see `design_connectivity`). Without a seed, entries go in id order and each level's
   judges in id order: then the same groups of judges come round again and again (with 4
   judges and 2 per entry, two fixed pairs that never meet), which the tests of the plain rules
   use. The stream is built, and the slots whose judge may not take the entry are found, with
   numpy arrays (a national round: 3,000,000 slots); those few are fixed one by one: a swap
   with the next judge along the stream who may take the entry and whose own slot the first
   may take (loads unchanged, as a heap of judges would pass one over to the next entry), else
   the least-loaded judge who may.
2. Loads are then evened out: an assignment without a score moves from a judge to one with a
   load at least two lower who may take its entry, until no such move is left. So loads differ
   by at most one unless conflicts or scores already given pin them; a score is never moved.
   (A single-move optimum: a chain of moves that would even loads further is not searched.)
3. An entry that cannot get enough judges takes all it can and is reported short.
4. Anchors: every judge who may take an anchor entry judges it, on top of their load (anchor
   assignments are not counted in the loads nor moved), so that every judge marks a few common
   entries that calibrate them against each other.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

# How far along the stream of judges a slot's fix looks for a judge to swap with (see _stream_fix).
SWAP_REACH = 64


class Slot(NamedTuple):
    """An assignment that already exists (a tuple: a national round has 3,000,000 of them)."""

    assignment_id: int
    entry_id: int
    judge_id: int
    movable: bool  # no score, not even a draft: moving it loses nothing
    anchor: bool = False  # given because its entry is an anchor, on top of the judge's load


def _no_ids() -> np.ndarray:
    return np.zeros(0, dtype=np.int64)


@dataclass
class Plan:
    # The new assignments as two arrays (entry ids, judge ids), sorted by entry then judge: the
    # order in which the database's indexes take them fastest; `added` lists them as pairs.
    added_entries: np.ndarray = field(default_factory=_no_ids)
    added_judges: np.ndarray = field(default_factory=_no_ids)
    removed: list[int] = field(default_factory=list)  # unscored assignments that now conflict
    moved: list[tuple[int, int]] = field(default_factory=list)  # (assignment id, new judge id)
    short: dict[int, int] = field(default_factory=dict)  # entry id -> judges still missing
    loads: dict[int, int] = field(default_factory=dict)  # judge id -> assignments after the plan (not anchors')
    anchored: list[tuple[int, int]] = field(default_factory=list)  # (anchor entry id, judge id), new
    design: dict[str, int] = field(default_factory=dict)  # design_connectivity() of the plan's result

    @property
    def added(self) -> list[tuple[int, int]]:  # (entry id, judge id)
        return list(zip(self.added_entries.tolist(), self.added_judges.tolist(), strict=True))


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
    judge_count = len(judge_ids)
    index = {judge_id: i for i, judge_id in enumerate(judge_ids)}
    conflicted_by_library: dict[int, set[int]] = defaultdict(set)
    for judge_id, libraries in judges:
        for library_id in libraries:
            conflicted_by_library[library_id].add(index[judge_id])
    recused_by_entry: dict[int, set[int]] = defaultdict(set)
    for judge_id, entry_id in recused:
        if judge_id in index:
            recused_by_entry[entry_id].add(index[judge_id])

    rows = sorted(entries)
    entry_count = len(rows)
    entry_ids = np.fromiter((entry_id for entry_id, _ in rows), dtype=np.int64, count=entry_count)
    library_ids = np.fromiter((-1 if lib is None else lib for _, lib in rows), dtype=np.int64, count=entry_count)
    library_of = dict(rows)
    anchor_entries = {entry_id for entry_id in anchors if entry_id in library_of}
    loads = np.zeros(judge_count, dtype=np.int64)
    on_entry: dict[int, set[int]] = defaultdict(set)  # judges already on an entry (existing slots)
    covered_off_panel: dict[int, int] = defaultdict(int)
    plan = Plan()
    # Slots that may move: [assignment id (None: new), entry id, judge index, first judge index]
    movable: list[list] = []
    kept: list[tuple[int, int]] = []  # (entry id, judge index) of every existing slot that stays
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
        kept.append((slot.entry_id, j))
        if slot.anchor and slot.entry_id in anchor_entries:
            continue  # on top of the judge's load, and never moved
        loads[j] += 1
        if slot.movable:
            movable.append([slot.assignment_id, slot.entry_id, j, j])

    def blocked(entry_id: int) -> set[int]:
        return conflicted_by_library.get(library_of[entry_id], set()) | recused_by_entry.get(entry_id, set())

    # 1. The slots to fill, entry by entry in the round's order (shuffled by the seed).
    missing = np.full(entry_count, per_entry, dtype=np.int64)
    partial: dict[int, set[int]] = {}  # entries that have some judges and lack others: who is on them
    started = sorted(set(on_entry) | set(covered_off_panel) | anchor_entries)
    if started:
        lacking = [
            0
            if entry_id in anchor_entries
            else per_entry - len(on_entry.get(entry_id, ())) - covered_off_panel.get(entry_id, 0)
            for entry_id in started
        ]
        missing[np.searchsorted(entry_ids, np.array(started, dtype=np.int64))] = lacking
        partial = {
            entry_id: on_entry[entry_id]
            for entry_id, n in zip(started, lacking, strict=True)
            if n > 0 and entry_id in on_entry
        }
    rng = None if seed is None else np.random.default_rng(seed)
    order = np.arange(entry_count) if rng is None else rng.permutation(entry_count)
    order = order[missing[order] > 0]
    wanted = missing[order]
    slot_entry = np.repeat(order, wanted)  # entry index of each slot, in filling order
    starts = np.zeros(entry_count, dtype=np.int64)
    starts[order] = np.cumsum(wanted) - wanted
    stream = _judge_stream(loads, len(slot_entry), rng)

    # 2. Slots the stream cannot keep as drawn (conflict, recusal, judge already on the entry)
    # are few: found with arrays, then fixed one by one.
    bad = _stream_misfits(
        stream,
        slot_entry,
        entry_ids,
        library_ids,
        judge_count,
        conflicted_by_library,
        recused_by_entry,
        partial,
        int(wanted.max()) if len(wanted) else 0,
    )
    if len(bad):
        _stream_fix(stream, slot_entry, bad, entry_ids, starts, missing, loads, blocked, on_entry)
    filled = stream >= 0
    if not filled.all():
        for e, count in zip(*np.unique(slot_entry[~filled], return_counts=True), strict=True):
            plan.short[int(entry_ids[e])] = int(count)
    new_entries, new_judges = slot_entry[filled], stream[filled]
    loads += np.bincount(new_judges, minlength=judge_count)

    # 3. Loads evened out, when conflicts or scores left them apart (in Python: slot by slot).
    if judge_count and loads.max() - loads.min() > 1:
        for e, j in zip(new_entries.tolist(), new_judges.tolist(), strict=True):
            on_entry[int(entry_ids[e])].add(j)
            movable.append([None, int(entry_ids[e]), j, None])
        load_list = loads.tolist()
        _even_out(load_list, movable, on_entry, blocked)
        loads = np.array(load_list, dtype=np.int64)
        plan.moved = [(aid, judge_ids[j]) for aid, _e, j, first in movable if aid is not None and j != first]
        added = [(entry_id, j) for aid, entry_id, j, _first in movable if aid is None]
        new_entries = _indexes(entry_ids, [entry_id for entry_id, _ in added])
        new_judges = np.array([j for _, j in added], dtype=np.int64)
        # every judge on every entry, moves included
        panel_entries = _indexes(entry_ids, [entry_id for entry_id, js in on_entry.items() for _ in js])
        panel_judges = np.array([j for js in on_entry.values() for j in js], dtype=np.int64)
    else:
        panel_entries = np.concatenate([_indexes(entry_ids, [entry_id for entry_id, _ in kept]), new_entries])
        panel_judges = np.concatenate([np.array([j for _, j in kept], dtype=np.int64), new_judges])

    # 4. Anchors: every judge who may, on top of their load.
    anchored_entries, anchored_judges = [], []
    for entry_id in sorted(anchor_entries):
        excluded = blocked(entry_id) | on_entry[entry_id]
        for j in range(judge_count):
            if j not in excluded:
                plan.anchored.append((entry_id, judge_ids[j]))
                anchored_entries.append(entry_id)
                anchored_judges.append(j)

    # One int64 key per slot (entry index x judges + judge index): sorting it sorts by entry,
    # then judge (ids rise with indexes), far faster than sorting pairs.
    width = max(judge_count, 1)
    keys = np.sort(new_entries * width + new_judges)
    plan.added_entries = entry_ids[keys // width]
    plan.added_judges = np.array(judge_ids, dtype=np.int64)[keys % width]
    plan.loads = dict(zip(judge_ids, loads.tolist(), strict=True))
    plan.design = _design(
        judge_count,
        np.concatenate([panel_entries, _indexes(entry_ids, anchored_entries)]),
        np.concatenate([panel_judges, np.array(anchored_judges, dtype=np.int64)]),
    )
    return plan


def _indexes(entry_ids: np.ndarray, ids: list[int]) -> np.ndarray:
    """Positions of these entry ids among the round's (sorted) ones."""
    return np.searchsorted(entry_ids, np.array(ids, dtype=np.int64)).astype(np.int64)


def _judge_stream(loads: np.ndarray, size: int, rng: np.random.Generator | None) -> np.ndarray:
    """The judges (indexes) who take the next `size` slots, least loaded first: what a heap of
    (load, tie-break) would hand out if no slot were ever refused. Each judge has one place per
    load level from their current load up; within a level the places are ordered by a draw from
    the seed (so that every level is a new random order of the judges, and a judge's entries
    spread over the whole round), or without a seed by judge index."""
    if size == 0 or len(loads) == 0:
        return np.full(size, -1, dtype=np.int64)
    # Below the highest load, only the judges under it have places: few, ordered by a key.
    top = int(loads.max())
    places = np.maximum(0, top - loads)
    judge_of = np.repeat(np.arange(len(loads)), places)
    first = np.cumsum(places) - places
    level_of = np.repeat(loads, places) + np.arange(len(judge_of)) - np.repeat(first, places)
    if rng is None:
        below = judge_of[np.argsort(level_of * len(loads) + judge_of, kind="stable")]
    else:
        below = judge_of[np.argsort(level_of + rng.random(len(judge_of)), kind="stable")]
    # From the highest load up, every judge has a place on every level: one order per level.
    levels = -(-max(0, size - len(below)) // len(loads))
    if rng is None:
        full = [np.tile(np.arange(len(loads)), levels)]
    else:
        full = [rng.permutation(len(loads)) for _level in range(levels)]
    return np.concatenate([below, *full])[:size].astype(np.int64)


def _stream_misfits(
    stream, slot_entry, entry_ids, library_ids, judge_count, conflicted_by_library, recused_by_entry, partial, width
) -> np.ndarray:
    """Positions of the slots whose drawn judge may not take the entry: from the entry's
    library, recused, already on it, or drawn twice for it (at a level's turn)."""
    if len(stream) == 0:
        return _no_ids()
    bad = np.zeros(len(stream), dtype=bool)
    for d in range(1, width):  # the same judge twice within an entry's consecutive slots
        same = (slot_entry[d:] == slot_entry[:-d]) & (stream[d:] == stream[:-d])
        bad[d:] |= same
    conflict_keys = [lib * judge_count + j for lib, js in conflicted_by_library.items() for j in js]
    if conflict_keys:
        bad |= np.isin(library_ids[slot_entry] * judge_count + stream, np.array(conflict_keys, dtype=np.int64))
    taken = [(entry_id, j) for entry_id, js in recused_by_entry.items() for j in js]
    taken += [(entry_id, j) for entry_id, js in partial.items() for j in js]
    if taken:
        pairs = np.array(taken, dtype=np.int64)
        where = np.searchsorted(entry_ids, pairs[:, 0])
        present = (where < len(entry_ids)) & (entry_ids[np.minimum(where, len(entry_ids) - 1)] == pairs[:, 0])
        keys = where[present] * judge_count + pairs[present, 1]
        bad |= np.isin(slot_entry * judge_count + stream, keys)
    return np.flatnonzero(bad)


def _stream_fix(stream, slot_entry, bad, entry_ids, starts, missing, loads, blocked, on_entry) -> None:
    """Each misfit slot takes the next judge along the stream who may take its entry and whose
    slot the misfit judge may take in exchange (a swap: loads unchanged), as a heap would pass
    the judge over to the next entry. Failing that within SWAP_REACH places, the least-loaded
    judge who may take the entry (loads then evened out after); failing that, the slot stays
    empty (-1) and the entry is short. In place."""
    size = len(stream)
    counts = None  # loads with the stream so far, once a slot is given outside the stream

    def fits(j: int, e: int, at: int) -> bool:
        entry_id = int(entry_ids[e])
        if j < 0 or j in blocked(entry_id) or j in on_entry.get(entry_id, ()):
            return False
        start = int(starts[e])
        return all(int(stream[p]) != j for p in range(start, start + int(missing[e])) if p != at)

    for p in bad.tolist():
        e, j = int(slot_entry[p]), int(stream[p])
        if fits(j, e, p):
            continue  # set right by an earlier swap
        for q in range(p + 1, min(size, p + 1 + SWAP_REACH)):
            other = int(slot_entry[q])
            if other != e and fits(int(stream[q]), e, p) and fits(j, other, q):
                stream[p], stream[q] = stream[q], j
                break
        else:
            if counts is None:
                valid = stream[stream >= 0]
                counts = loads + np.bincount(valid, minlength=len(loads))
            takers = [t for t in range(len(loads)) if fits(t, e, p)]
            if takers:
                taker = min(takers, key=lambda t: (int(counts[t]), t))
                counts[taker] += 1
            else:
                taker = -1
            if j >= 0:
                counts[j] -= 1
            stream[p] = taker


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
    entries, judges = [], []
    for position, panel in enumerate(panels):
        for j in panel:
            entries.append(position)
            judges.append(j)
    return _design(judge_count, np.array(entries, dtype=np.int64), np.array(judges, dtype=np.int64))


def _design(judge_count: int, entries: np.ndarray, judges: np.ndarray) -> dict[str, int]:
    """design_connectivity from one row per (entry, judge index), with arrays: the pairs of
    judges on each entry, counted; the components by label propagation."""
    if judge_count == 0:
        return {"judges": 0, "components": 0, "largest_component": 0, "fewest_co_judges": 0, "smallest_overlap": 0}
    slots = np.sort(entries * judge_count + judges)  # by entry, then judge
    entries, judges = slots // judge_count, slots % judge_count
    keys = []
    run = np.arange(len(entries) - 1)  # positions p whose entry goes on at p + d
    for d in range(1, len(entries)):
        run = run[run + d < len(entries)]
        run = run[entries[run + d] == entries[run]]
        if not len(run):
            break
        keys.append(judges[run] * judge_count + judges[run + d])  # judges sorted: the lower first
    keys = np.concatenate(keys) if keys else _no_ids()
    if judge_count <= 4000:  # a count per possible pair: at most 16,000,000 counters
        counts = np.bincount(keys, minlength=judge_count * judge_count)
        pairs = np.flatnonzero(counts)
        counts = counts[pairs]
    else:
        pairs, counts = np.unique(keys, return_counts=True)
    a, b = pairs // judge_count, pairs % judge_count
    co_judges = np.bincount(a, minlength=judge_count) + np.bincount(b, minlength=judge_count)
    label = np.arange(judge_count)
    while True:  # every judge takes the lowest label among their co-judges', until none changes
        lowest = label.copy()
        np.minimum.at(lowest, a, label[b])
        np.minimum.at(lowest, b, label[a])
        lowest = lowest[lowest]
        if np.array_equal(lowest, label):
            break
        label = lowest
    sizes = np.bincount(label, minlength=judge_count)
    every_pair = judge_count * (judge_count - 1) // 2
    return {
        "judges": judge_count,
        "components": int(np.count_nonzero(sizes)),
        "largest_component": int(sizes.max()),
        "fewest_co_judges": int(co_judges.min()),
        "smallest_overlap": int(counts.min()) if len(pairs) == every_pair and every_pair else 0,
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
