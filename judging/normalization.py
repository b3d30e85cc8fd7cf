"""The judge-effects model: each judge's severity and scale fitted together with the entries'
quality, by least squares (the approach of reviewer-calibration work). Pure numbers, no database.

Every judge j marks entry e as  total = a_j + b_j x quality_e + noise:  a_j is the judge's
severity (an offset), b_j their scale (how far apart they put entries). Least squares over all
the round's marks, by alternating the two exact half-steps until the qualities stop moving:
- given the qualities, each judge's a_j and b_j are the straight line through their marks
  (their totals against the qualities of the entries they marked);
- given the judges, each entry's quality is the weighted least-squares value of its marks,
      quality_e = sum(w_j b_j (total - a_j)) / sum(w_j b_j^2)
  where w_j is the judge's panel weight: every mark is read back onto the common scale,
  (total - a_j) / b_j, and counts by w_j b_j^2 (a judge who spreads entries wider tells them
  apart better, for the same noise).
The scale is the average judge's: after each judge step the offsets and scales are re-expressed
so that, over the judges' marks, the mean offset is 0 and the mean scale is 1. Scores therefore
read like totals, and a threshold or a disagreement limit keeps its meaning.

Judges are compared only through the entries they share: the model needs a connected design
(judging.assignment mixes the judges for that). A judge with fewer than `min_marks` marks, or
whose totals are all equal, cannot be fitted: their totals count as given (a = 0, b = 1, i.e.
like the average judge), and the caller reports them. A scale is kept between MIN_SLOPE and
MAX_SLOPE: a judge whose marks go against the panel's counts for little, never backwards, and
none is stretched tenfold. Marks with no judge effect in them at all (pure noise) leave the
model without a fixed point to find: it stops after MAX_ITERATIONS passes (at 3,000,000 marks,
about 0.25 s each), where real rounds settle in a few dozen.
"""

from dataclasses import dataclass

import numpy as np

MIN_SLOPE, MAX_SLOPE = 0.1, 10.0
MAX_ITERATIONS = 100
TOLERANCE = 1e-9  # largest change of a quality between two passes, in points: far below the 4 decimals kept


@dataclass
class JudgeScales:
    """Per judge (sorted by id): how their totals are read back onto the common scale,
    mark = intercept + slope x total, and how much such a mark counts (factor, times the
    panel weight). Judges kept raw have intercept 0, slope 1, factor 1."""

    judge_ids: np.ndarray
    marks: np.ndarray  # submitted marks per judge
    flat: np.ndarray  # every total the same
    fitted: np.ndarray  # False: kept raw (few marks or flat)
    severity: np.ndarray  # a_j
    scale: np.ndarray  # b_j
    intercept: np.ndarray
    slope: np.ndarray
    factor: np.ndarray
    iterations: int

    def rows(self) -> list[tuple[int, int, bool, float, float, float]]:
        return [
            (int(j), int(n), bool(flat), float(c), float(s), float(f))
            for j, n, flat, c, s, f in zip(
                self.judge_ids, self.marks, self.flat, self.intercept, self.slope, self.factor, strict=True
            )
        ]


def judge_effects_fit(
    entry_ids: np.ndarray,
    judge_ids: np.ndarray,
    totals: np.ndarray,
    weights: np.ndarray,
    *,
    min_marks: int,
) -> JudgeScales:
    """One row per submitted mark. Returns the judges' scales; the entries' qualities are
    `qualities(...)` of the same marks and scales."""
    entry_ids, judge_ids = np.asarray(entry_ids, dtype=np.int64), np.asarray(judge_ids, dtype=np.int64)
    totals, weights = np.asarray(totals, dtype=np.float64), np.asarray(weights, dtype=np.float64)
    # A fixed order of summation: the same marks give the same figures to the last bit.
    order = np.lexsort((judge_ids, entry_ids))
    entry_ids, judge_ids, totals, weights = entry_ids[order], judge_ids[order], totals[order], weights[order]
    _entries, e = np.unique(entry_ids, return_inverse=True)
    judges, j = np.unique(judge_ids, return_inverse=True)
    n_entries, n_judges = len(_entries), len(judges)

    marks = np.bincount(j, minlength=n_judges)
    highest = np.full(n_judges, -np.inf)
    lowest = np.full(n_judges, np.inf)
    np.maximum.at(highest, j, totals)
    np.minimum.at(lowest, j, totals)
    flat = highest <= lowest
    fitted = (marks >= min_marks) & ~flat
    severity, scale = np.zeros(n_judges), np.ones(n_judges)
    iterations = 0

    if fitted.any() and n_entries:
        counts = marks.astype(np.float64)
        quality = np.bincount(e, weights * totals, n_entries) / np.bincount(e, weights, n_entries)
        for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007 (reported)
            x = quality[e]
            sx = np.bincount(j, x, n_judges)
            sy = np.bincount(j, totals, n_judges)
            sxx = np.bincount(j, x * x, n_judges)
            sxy = np.bincount(j, x * totals, n_judges)
            with np.errstate(divide="ignore", invalid="ignore"):
                mx, my = sx / counts, sy / counts
                vx = sxx / counts - mx * mx
                b = np.where(vx > 1e-12 * (1 + mx * mx), (sxy / counts - mx * my) / vx, 1.0)
            a = my - b * mx
            # The average judge (over the fitted judges' marks) has offset 0 and scale 1.
            mean_a = np.sum(a[fitted] * counts[fitted]) / np.sum(counts[fitted])
            mean_b = np.sum(b[fitted] * counts[fitted]) / np.sum(counts[fitted])
            if mean_b > 0:
                a, b = a - b * mean_a / mean_b, b / mean_b
            b = np.clip(b, MIN_SLOPE, MAX_SLOPE)
            severity = np.where(fitted, a, 0.0)
            scale = np.where(fitted, b, 1.0)
            updated = _qualities(e, j, totals, weights, severity, scale, n_entries)
            change = np.max(np.abs(updated - quality)) if n_entries else 0.0
            quality = updated
            if change <= TOLERANCE * (1 + np.max(np.abs(quality))):
                break

    slope = 1.0 / scale
    return JudgeScales(
        judge_ids=judges,
        marks=marks,
        flat=flat,
        fitted=fitted,
        severity=severity,
        scale=scale,
        intercept=-severity / scale,
        slope=slope,
        factor=scale * scale,
        iterations=iterations,
    )


def _qualities(e, j, totals, weights, severity, scale, n_entries) -> np.ndarray:
    b = scale[j]
    return np.bincount(e, weights * b * (totals - severity[j]), n_entries) / np.bincount(e, weights * b * b, n_entries)
