"""Screening a national contest for copies: a benchmark, not a test. It prints its figures and
their ratios against a baseline measured in the same run:

- 1,000,000 synthetic essays of ~800 words (BENCH_ESSAYS) are generated first, not timed with
  the screening: token ids drawn from a Zipf vocabulary of Vietnamese-like syllables, with what
  makes real essays alike without copying (set phrases used by thousands, the titles of popular
  books and quotes from them) and planted copies of several kinds (an exact copy, a changed
  introduction, part of the text paraphrased, part copied into an essay of one's own), a copied
  essay sometimes copied again, each copy's source in the same block of 10,000 essays.
- Screening them with screening.sketch, the code the service runs (fingerprints, LSH banding,
  checking candidates on their fingerprints and then exactly): target under 10 minutes. Word
  hashes come from a random table by token id, which stands for hashing each word's text.
- The baseline: the exact Jaccard of every pair of the first 10,000 essays (an inverted index
  of their shingles counts every pair's intersection; a pair sharing none is at 0; checked
  against a literal pair-by-pair loop on 300 of them). Recall of the screening at the
  threshold is measured against it: of the sample's pairs at or above the threshold, the share
  the million-essay screening found (target ≥ 0.95), and the same for the screening of the
  sample alone, whose time is set against the baseline's.

    make bench-screening                    # BENCH_ESSAYS=100000 for a quick look

No database: the service's own reads and writes are the tests' (tests/screening).
"""

import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from screening import sketch  # noqa: E402

ESSAYS = int(os.environ.get("BENCH_ESSAYS", "1000000"))
SAMPLE = min(10_000, ESSAYS)
THRESHOLD = float(os.environ.get("BENCH_THRESHOLD", "0.3"))
WORDS, SPREAD = 800, 120  # words per essay: mean and standard deviation
VOCABULARY = 8_000  # syllables in use
PHRASES, BOOKS, QUOTES_PER_BOOK = 400, 3_000, 20
COPY_SHARE = 0.02  # essays that copy another (one in fifty)
BLOCK = 10_000  # a copy's source lies in its block: the sample holds whole copy families
CHUNK = 2_000  # essays fingerprinted at a time: arrays under glibc's mmap threshold reuse their pages
SEED = 2026


def timed(what, *args, **kwargs):
    started = time.perf_counter()
    result = what(*args, **kwargs)
    return result, time.perf_counter() - started


# Generation -------------------------------------------------------------------------------


class Essays:
    """Token ids of every essay one after another (uint16), essay i being
    tokens[offsets[i]:offsets[i + 1]]; and the planted copies: (copy, source, kind)."""

    def __init__(self, count: int, rng: np.random.Generator):
        self.rng = rng
        # A Zipf-Mandelbrot vocabulary, drawn through a table of 2^20 quantiles (fast).
        weights = 1 / (np.arange(VOCABULARY) + 2.7)
        quantiles = (np.arange(1 << 20) + 0.5) / (1 << 20)
        self.table = np.searchsorted(np.cumsum(weights) / weights.sum(), quantiles).astype(np.uint16)
        lengths = np.clip(rng.normal(WORDS, SPREAD, count), 400, 1200).astype(np.int64)
        self.copies = self._copies_plan(count)
        for copy, source in self.copies:  # in order: a copy of a copy gets the first one's length
            lengths[copy] = lengths[source]  # a copy is as long as its source
        self.offsets = np.r_[0, np.cumsum(lengths)]
        self.tokens = self.fresh(int(self.offsets[-1]))
        self._snippets_insert(count)
        self.kinds = self._copies_write()

    def fresh(self, size: int) -> np.ndarray:
        out = np.empty(size, dtype=np.uint16)
        for start in range(0, size, 50_000_000):
            end = min(size, start + 50_000_000)
            out[start:end] = self.table[self.rng.integers(0, 1 << 20, end - start)]
        return out

    def essay(self, i: int) -> np.ndarray:
        return self.tokens[self.offsets[i] : self.offsets[i + 1]]

    def _copies_plan(self, count: int) -> np.ndarray:
        copies = np.flatnonzero(self.rng.random(count) < COPY_SHARE)
        copies = copies[copies % BLOCK > 0]
        # The source: an earlier essay of the same block (so sometimes a copy of a copy).
        sources = (copies // BLOCK) * BLOCK + (self.rng.random(len(copies)) * (copies % BLOCK)).astype(np.int64)
        return np.stack([copies, sources], axis=1)

    def _snippets_insert(self, count: int) -> None:
        """Set phrases (Zipf: the commonest is in a fifth of the essays), each essay's book's
        title three times and two of its quotes: shared by essays that copy nothing."""
        rng = self.rng
        phrase_lengths = rng.integers(6, 13, PHRASES)
        title_lengths = rng.integers(4, 10, BOOKS)
        quote_lengths = rng.integers(12, 31, BOOKS * QUOTES_PER_BOOK)
        lengths = np.r_[phrase_lengths, title_lengths, quote_lengths]
        starts = np.r_[0, np.cumsum(lengths)]
        pool = self.fresh(int(starts[-1]))
        popular = 1 / (np.arange(max(PHRASES, BOOKS)) + 1.0)
        phrase_p = popular[:PHRASES] / popular[:PHRASES].sum()
        book_p = popular[:BOOKS] / popular[:BOOKS].sum()
        books = rng.choice(BOOKS, size=count, p=book_p)
        per_essay = [
            rng.choice(PHRASES, size=(count, 5), p=phrase_p),
            PHRASES + np.repeat(books[:, None], 3, axis=1),
            PHRASES + BOOKS + books[:, None] * QUOTES_PER_BOOK + rng.integers(0, QUOTES_PER_BOOK, (count, 2)),
        ]
        snippet = np.concatenate(per_essay, axis=1)  # (count, 10) snippet ids
        essay = np.repeat(np.arange(count), snippet.shape[1])
        snippet = snippet.ravel()
        room = np.diff(self.offsets)[essay] - lengths[snippet]
        at = self.offsets[essay] + (rng.random(len(snippet)) * room).astype(np.int64)
        size = lengths[snippet]
        within = np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size)
        self.tokens[np.repeat(at, size) + within] = pool[np.repeat(starts[snippet], size) + within]

    def _copies_write(self) -> list[str]:
        """Each copy starts as its source, then: kept whole; its introduction rewritten (10-30 %);
        a share of its sentences paraphrased (20-80 %); or only a part kept (40-90 %)."""
        rng, kinds = self.rng, []
        for copy, source in self.copies:
            text = self.essay(source).copy()
            kind = rng.choice(["exact", "introduction", "paraphrase", "partial"], p=[0.1, 0.3, 0.4, 0.2])
            if kind == "introduction":
                cut = int(len(text) * rng.uniform(0.1, 0.3))
                text[:cut] = self.fresh(cut)
            elif kind == "paraphrase":
                sentences = np.arange(0, len(text), 15)
                rewritten = sentences[rng.random(len(sentences)) < rng.uniform(0.2, 0.8)]
                for start in rewritten:
                    text[start : start + 15] = self.fresh(len(text[start : start + 15]))
            elif kind == "partial":
                keep = int(len(text) * rng.uniform(0.4, 0.9))
                start = rng.integers(0, len(text) - keep + 1)
                own = self.fresh(len(text))
                own[start : start + keep] = text[start : start + keep]
                text = own
            self.tokens[self.offsets[copy] : self.offsets[copy + 1]] = text
            kinds.append(str(kind))
        return kinds


# Screening ---------------------------------------------------------------------------------


def word_table(rng) -> np.ndarray:
    return rng.integers(0, np.iinfo(np.uint64).max, VOCABULARY, dtype=np.uint64, endpoint=True)


def fingerprint_all(essays: Essays, words: np.ndarray, first: int, last: int) -> np.ndarray:
    signatures = np.empty((last - first, sketch.BINS), dtype=np.uint16)
    for start in range(first, last, CHUNK):
        end = min(last, start + CHUNK)
        offsets = essays.offsets[start : end + 1]
        hashes = words[essays.tokens[offsets[0] : offsets[-1]]]
        signatures[start - first : end - first], _ = sketch.fingerprints(hashes, offsets - offsets[0])
    return signatures


def shingle_sets_of(essays: Essays, words: np.ndarray, first: int = 0):
    def sets(indexes):
        return {i: sketch.shingle_set(words[essays.essay(first + i)]) for i in indexes}

    return sets


def screening_run(essays: Essays, words: np.ndarray, first: int, last: int) -> dict:
    signatures, fingerprint_s = timed(fingerprint_all, essays, words, first, last)
    codes, lsh_s = timed(sketch.candidate_pairs, signatures, THRESHOLD)
    result, check_s = timed(
        sketch.screen, signatures, THRESHOLD, shingle_sets_of(essays, words, first), candidates=codes
    )
    return {
        "pairs": {(first + f.left, first + f.right): f.similarity for f in result.found},
        "candidates": result.candidates,
        "checked": result.checked,
        "fingerprint_s": fingerprint_s,
        "lsh_s": lsh_s,
        "check_s": check_s,
        "total_s": fingerprint_s + lsh_s + check_s,
    }


# The baseline ------------------------------------------------------------------------------


def exact_all_pairs(essays: Essays, words: np.ndarray, count: int) -> dict[tuple[int, int], float]:
    """The Jaccard of every pair of the first `count` essays that share a shingle (the others
    are at 0): each shingle's essays are paired, and a pair's count is its intersection."""
    sets = [sketch.shingle_set(words[essays.essay(i)]) for i in range(count)]
    sizes = np.array([len(s) for s in sets], dtype=np.int64)
    hashes = np.concatenate(sets)
    owner = np.repeat(np.arange(count, dtype=np.int64), sizes)
    order = np.argsort(hashes, kind="stable")
    hashes, owner = hashes[order], owner[order]
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    group_sizes = np.diff(np.r_[starts, len(hashes)])
    intersections = np.zeros(count * count, dtype=np.int64)
    two = starts[group_sizes == 2]  # most shared shingles are shared by two essays
    pending = [owner[two] * count + owner[two + 1]]
    waiting = len(two)
    for start, size in zip(starts[group_sizes > 2], group_sizes[group_sizes > 2], strict=True):
        members = owner[start : start + size]  # ascending: the sort was stable
        left, right = np.triu_indices(size, k=1)
        pending.append(members[left] * count + members[right])
        waiting += len(left)
        if waiting > 100_000_000:
            intersections += np.bincount(np.concatenate(pending), minlength=count * count)
            pending, waiting = [], 0
    if pending:
        intersections += np.bincount(np.concatenate(pending), minlength=count * count)
    codes = np.flatnonzero(intersections)
    shared = intersections[codes]
    left, right = codes // count, codes % count
    similarity = shared / (sizes[left] + sizes[right] - shared)
    return {(int(a), int(b)): float(s) for a, b, s in zip(left, right, similarity, strict=True)}


def exact_all_pairs_checked(essays: Essays, words: np.ndarray, exact: dict, count: int = 300) -> None:
    """The inverted index against the definition, pair by pair, on the first `count` essays."""
    sets = [sketch.shingle_set(words[essays.essay(i)]) for i in range(count)]
    for a in range(count):
        for b in range(a + 1, count):
            expected = sketch.jaccard(sets[a], sets[b])
            assert abs(exact.get((a, b), 0.0) - expected) < 1e-12, (a, b, exact.get((a, b)), expected)


def main() -> None:
    rng = np.random.default_rng(SEED)
    print(
        f"screening {ESSAYS:,} essays, threshold {THRESHOLD}, {sketch.BINS} bins, "
        f"{sketch.band_rows(THRESHOLD)} rows a band"
    )
    essays, generate_s = timed(Essays, ESSAYS, rng)
    print(
        f"generated in {generate_s:.1f} s (not counted): {int(essays.offsets[-1]):,} words, "
        f"{len(essays.copies):,} planted copies"
    )
    words = word_table(rng)

    whole = screening_run(essays, words, 0, ESSAYS)
    print(
        f"screening, all {ESSAYS:,}: {whole['total_s']:.1f} s "
        f"(fingerprints {whole['fingerprint_s']:.1f} s, LSH {whole['lsh_s']:.1f} s, "
        f"checking {whole['check_s']:.1f} s); {whole['candidates']:,} candidates, "
        f"{whole['checked']:,} checked exactly, {len(whole['pairs']):,} pairs at or above {THRESHOLD}"
    )
    planted = []
    for (copy, source), kind in zip(essays.copies.tolist(), essays.kinds, strict=True):
        similarity = sketch.jaccard(
            sketch.shingle_set(words[essays.essay(copy)]), sketch.shingle_set(words[essays.essay(source)])
        )
        if similarity >= THRESHOLD:
            planted.append((min(copy, source), max(copy, source), kind))
    caught = sum((a, b) in whole["pairs"] for a, b, _kind in planted)
    print(
        f"planted copies at or above the threshold: {len(planted):,}, found {caught:,} "
        f"(recall {caught / max(len(planted), 1):.4f})"
    )

    exact, brute_s = timed(exact_all_pairs, essays, words, SAMPLE)
    exact_all_pairs_checked(essays, words, exact)
    truth = {pair for pair, similarity in exact.items() if similarity >= THRESHOLD}
    found_whole = {pair for pair in whole["pairs"] if pair[1] < SAMPLE}
    sample = screening_run(essays, words, 0, SAMPLE)
    found_sample = set(sample["pairs"])
    recall_whole = len(truth & found_whole) / max(len(truth), 1)
    recall_sample = len(truth & found_sample) / max(len(truth), 1)
    print(
        f"baseline, exact Jaccard of all {SAMPLE * (SAMPLE - 1) // 2:,} pairs of the first {SAMPLE:,}: "
        f"{brute_s:.1f} s; {len(truth):,} pairs at or above {THRESHOLD}"
    )
    print(
        f"recall on the sample, of the {ESSAYS:,}-essay screening: {recall_whole:.4f} "
        f"({len(truth & found_whole)}/{len(truth)}); false pairs: {len(found_whole - truth)}"
    )
    print(
        f"screening the sample alone: {sample['total_s']:.2f} s, recall {recall_sample:.4f}; "
        f"the baseline takes {brute_s / sample['total_s']:.1f}x as long"
    )
    print(
        f"target: under 600 s for {ESSAYS:,}: {'met' if whole['total_s'] < 600 else 'MISSED'}; "
        f"recall ≥ 0.95: {'met' if min(recall_whole, recall_sample) >= 0.95 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
