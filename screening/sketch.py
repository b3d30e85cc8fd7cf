"""Finding near-duplicate essays: word shingles, one-permutation MinHash, LSH banding and an
exact check. Pure functions over numpy arrays, without the database, so that the service and
the benchmark (bench/screening_bench.py) run the very same code.

- A text is its words (runs of letters and digits) after NFC, casefolded: "Văn hóa" and
  "VĂN HOÁ" are the same words, "văn hóa" and "van hoa" are not (diacritics are kept: they tell
  Vietnamese words apart). Each word is hashed to 64 bits (BLAKE2b); the benchmark draws its
  synthetic words' hashes from a random table instead, which plays the same part.
- A shingle is SHINGLE consecutive words (syllables, in Vietnamese), hashed to 64 bits. Two
  texts' similarity is the Jaccard index of their shingle sets: |A ∩ B| / |A ∪ B|.
- The fingerprint is a one-permutation MinHash of the shingle set: the hash space is cut into
  BINS bins (by the top bits) and each bin keeps its smallest hash; an empty bin borrows from the
  next bin to its right (rotation densification), so identical sets give identical fingerprints.
  Each bin is stored as 16 bits of its minimum (b-bit MinHash): 256 bytes per entry. The share of
  equal bins estimates the Jaccard index (± 0.04 at 0.3).
- LSH: the fingerprint is cut into bands of `rows` bins; two entries equal on a whole band are
  candidates. The rows are chosen from the threshold so that a pair at the threshold is a
  candidate with probability ≥ 0.99 (and far likelier above it).
- Candidates are checked on their fingerprints first (a margin of 4.5 standard deviations under
  the threshold), then exactly, on their shingle sets: a pair is reported with its exact Jaccard.

One permutation (rather than 128 hash functions) makes a fingerprint cost one hash per shingle:
a million 800-word essays are fingerprinted in about a minute on one core.
"""

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SHINGLE = 5  # words per shingle: long enough that common phrases rarely repeat whole
BINS = 128
_BIN_SHIFT = 64 - (BINS.bit_length() - 1)  # a shingle's bin: the top 7 bits of its hash
MIN_THRESHOLD, MAX_THRESHOLD = 0.3, 0.95
# A band value shared by more entries than this is boilerplate (a set phrase, a book's title)
# far more often than copying: its entries are paired with its first one only (a star), not
# with each other, so that one phrase cannot make millions of candidates.
LARGE_BUCKET = 500

_WORD = re.compile(r"[^\W_]+")
_U64 = np.uint64
_EMPTY = np.iinfo(np.uint64).max
_LOW56 = _U64((1 << 56) - 1)
_SHINGLE_STEP = _U64(0x9E3779B97F4A7C15)  # odd: each word's position changes the shingle's hash
_ROTATION_STEP = 0xD6E8FEB86659FD93


# Words ------------------------------------------------------------------------------------


def text_normal(text: str) -> str:
    """The text as it is shown and shingled: NFC, so that a letter and its diacritics are one."""
    return unicodedata.normalize("NFC", text)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each word of an NFC text starts and ends."""
    return [match.span() for match in _WORD.finditer(text)]


@lru_cache(maxsize=500_000)
def word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.casefold().encode(), digest_size=8).digest(), "little")


def word_hashes(text: str) -> np.ndarray:
    """The 64-bit hash of each word of the text, in order."""
    text = text_normal(text)
    return np.fromiter((word_hash(text[a:b]) for a, b in word_spans(text)), dtype=np.uint64)


# Shingles and fingerprints ------------------------------------------------------------------


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finalizer, in place: every bit of the input reaches every bit of the output."""
    spare = np.empty_like(x)
    for shift, factor in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB), (31, None)):
        np.right_shift(x, _U64(shift), out=spare)
        x ^= spare
        if factor is not None:
            x *= _U64(factor)
    return x


def shingles(words: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The shingle hashes of many texts at once: `words` holds their word hashes one text after
    another, text i being words[offsets[i]:offsets[i + 1]]. Returns (hashes, text index); no
    shingle straddles two texts. A text of fewer than SHINGLE words has none."""
    offsets = np.asarray(offsets, dtype=np.int64)
    count = len(words) - SHINGLE + 1
    if count <= 0:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    hashes = words[:count].copy()
    for j in range(1, SHINGLE):
        hashes *= _SHINGLE_STEP
        hashes += words[j : count + j]
    _mix(hashes)
    text = np.repeat(np.arange(len(offsets) - 1, dtype=np.int64), np.diff(offsets))[:count]
    # A shingle belongs to its text if it ends inside it: the last SHINGLE - 1 starts of each
    # text do not.
    keep = np.ones(count, dtype=bool)
    for j in range(1, SHINGLE):
        ends = offsets[1:] - j
        keep[ends[(ends >= 0) & (ends < count)]] = False
    if keep.all():
        return hashes, text
    return hashes[keep], text[keep]


def shingle_set(words: np.ndarray) -> np.ndarray:
    """One text's shingles, sorted and distinct."""
    hashes, _ = shingles(words, np.array([0, len(words)]))
    return np.unique(hashes)


def fingerprints(words: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One-permutation MinHash of each text: (fingerprints as a (texts, BINS) uint16 array,
    distinct-or-not shingle counts). A text without shingles gets zeros and count 0: it is
    never compared."""
    texts = len(offsets) - 1
    hashes, text = shingles(words, offsets)
    minima = np.full(texts * BINS, _EMPTY, dtype=np.uint64)
    bins = (hashes >> _U64(_BIN_SHIFT)).astype(np.int64)
    np.minimum.at(minima, text * BINS + bins, hashes & _LOW56)
    minima = minima.reshape(texts, BINS)
    counts = np.bincount(text, minlength=texts)
    _densify(minima, counts)
    signature = (minima & _U64(0xFFFF)).astype(np.uint16)
    signature[counts == 0] = 0
    return signature, counts


def _densify(minima: np.ndarray, counts: np.ndarray) -> None:
    """An empty bin takes the minimum of the nearest filled bin to its right (circularly),
    mixed with the distance: the same set always fills the same way."""
    rows = np.flatnonzero((minima == _EMPTY).any(axis=1) & (counts > 0))
    if not len(rows):
        return
    source = minima[rows]
    filled = source.copy()
    missing = source == _EMPTY
    for distance in range(1, BINS):
        if not missing.any():
            break
        shifted = np.roll(source, -distance, axis=1)
        take = missing & (shifted != _EMPTY)
        filled[take] = _mix(shifted[take] + _U64(distance * _ROTATION_STEP % (1 << 64))) & _LOW56
        missing &= ~take
    minima[rows] = filled


# Candidates ---------------------------------------------------------------------------------


def band_rows(threshold: float) -> int:
    """The most rows per band (fewer false candidates) for which a pair at the threshold is
    still a candidate with probability ≥ 0.99; at most 4 (a band's key is 64 bits)."""
    best = 1
    for rows in range(1, 5):
        if catch_probability(threshold, rows) >= 0.99:
            best = rows
    return best


def catch_probability(similarity: float, rows: int) -> float:
    bands = BINS // rows
    return 1 - (1 - similarity**rows) ** bands


def _band_keys(signatures: np.ndarray, band: int, rows: int) -> np.ndarray:
    key = np.zeros(len(signatures), dtype=np.uint64)
    for column in range(band * rows, (band + 1) * rows):
        key = (key << _U64(16)) | signatures[:, column].astype(np.uint64)
    return key


def candidate_pairs(signatures: np.ndarray, threshold: float, *, screened: np.ndarray | None = None) -> np.ndarray:
    """Pairs (i < j, as i << 32 | j) of texts equal on at least one band. `screened` (booleans)
    marks the texts being screened: a pair of two texts not screened (two of last year's
    entries) is not a candidate. Texts of all-zero fingerprints (no shingles) are left out."""
    rows = band_rows(threshold)
    present = np.flatnonzero(signatures.any(axis=1))
    if screened is None:
        screened = np.ones(len(signatures), dtype=bool)
    found = []
    for band in range(BINS // rows):
        keys = _band_keys(signatures[present], band, rows)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        sizes = np.diff(np.r_[starts, len(sorted_keys)])
        found.append(_bucket_pairs(present[order], starts, sizes, screened))
    if not found:
        return np.empty(0, np.uint64)
    return np.unique(np.concatenate(found))


def _bucket_pairs(members: np.ndarray, starts: np.ndarray, sizes: np.ndarray, screened: np.ndarray) -> np.ndarray:
    pairs = []
    # Buckets of two, nearly all of them, at once.
    two = starts[sizes == 2]
    pairs.append(_pair_codes(members[two], members[two + 1]))
    for start, size in zip(starts[sizes > 2], sizes[sizes > 2], strict=True):
        bucket = np.sort(members[start : start + size])
        if size > LARGE_BUCKET:
            left, right = np.full(size - 1, bucket[0]), bucket[1:]
        else:
            left_index, right_index = np.triu_indices(size, k=1)
            left, right = bucket[left_index], bucket[right_index]
        pairs.append(_pair_codes(left, right))
    codes = np.concatenate(pairs)
    left, right = codes >> _U64(32), codes & _U64(0xFFFFFFFF)
    return codes[screened[left.astype(np.int64)] | screened[right.astype(np.int64)]]


def _pair_codes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    low, high = np.minimum(a, b).astype(np.uint64), np.maximum(a, b).astype(np.uint64)
    return (low << _U64(32)) | high


def pairs_split(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return (codes >> _U64(32)).astype(np.int64), (codes & _U64(0xFFFFFFFF)).astype(np.int64)


def estimated_similarity(signatures: np.ndarray, codes: np.ndarray, *, chunk: int = 1 << 20) -> np.ndarray:
    """The share of equal bins of each pair's fingerprints."""
    left, right = pairs_split(codes)
    estimates = np.empty(len(codes), dtype=np.float64)
    for start in range(0, len(codes), chunk):
        a, b = left[start : start + chunk], right[start : start + chunk]
        estimates[start : start + chunk] = (signatures[a] == signatures[b]).mean(axis=1)
    return estimates


def estimate_margin(threshold: float) -> float:
    """How far under the threshold a pair's estimate may fall and the pair still be checked
    exactly: 4.5 standard deviations of the estimate at the threshold, and the chance (1/65536
    a bin) that two 16-bit minima are equal by accident."""
    return 4.5 * math.sqrt(threshold * (1 - threshold) / BINS) + 0.01


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard index of two sorted, distinct shingle sets."""
    if not len(a) or not len(b):
        return 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)


@dataclass(frozen=True)
class Found:
    left: int  # indexes into the signatures
    right: int
    similarity: float  # exact Jaccard


@dataclass
class Screening:
    found: list[Found]
    candidates: int  # pairs equal on a band
    checked: int  # of which close enough on the fingerprints to be checked exactly


def screen(
    signatures: np.ndarray,
    threshold: float,
    shingle_sets: Callable[[Iterable[int]], dict[int, np.ndarray]],
    *,
    screened: np.ndarray | None = None,
    candidates: np.ndarray | None = None,
) -> Screening:
    """Every pair with an exact Jaccard ≥ threshold (bar the LSH's misses). `shingle_sets`
    gives the shingle sets of the texts asked for (by index), in batches; `candidates`, the
    LSH's pairs when they were found beforehand."""
    codes = candidate_pairs(signatures, threshold, screened=screened) if candidates is None else candidates
    estimates = estimated_similarity(signatures, codes)
    close = codes[estimates >= threshold - estimate_margin(threshold)]
    left, right = pairs_split(close)
    sets = shingle_sets(sorted(set(left.tolist()) | set(right.tolist())))
    found = []
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        similarity = jaccard(sets[a], sets[b])
        if similarity >= threshold:
            found.append(Found(a, b, similarity))
    return Screening(found=found, candidates=len(codes), checked=len(close))


# Shared passages ----------------------------------------------------------------------------


def shared_segments(text: str, other: str) -> list[tuple[str, bool]]:
    """`text` (NFC) cut into segments, each marked True where it lies in a shingle that `other`
    also has: the passages the two share, for showing side by side."""
    text, other = text_normal(text), text_normal(other)
    spans = word_spans(text)
    words = np.fromiter((word_hash(text[a:b]) for a, b in spans), dtype=np.uint64)
    hashes, _ = shingles(words, np.array([0, len(words)]))
    theirs = shingle_set(word_hashes(other))
    shared_words = np.zeros(len(spans), dtype=bool)
    for start in np.flatnonzero(np.isin(hashes, theirs)):
        shared_words[start : start + SHINGLE] = True
    segments: list[tuple[str, bool]] = []
    position = 0
    index = 0
    while index < len(spans):
        if not shared_words[index]:
            index += 1
            continue
        end = index
        while end + 1 < len(spans) and shared_words[end + 1]:
            end += 1
        start_char, end_char = spans[index][0], spans[end][1]
        if start_char > position:
            segments.append((text[position:start_char], False))
        segments.append((text[start_char:end_char], True))
        position = end_char
        index = end + 1
    if position < len(text):
        segments.append((text[position:], False))
    return segments
