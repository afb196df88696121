"""Net Promoter Score with confidence intervals: one group, or many groups at once.

An answer 0–10 is a detractor (0–6), a passive (7–8) or a promoter (9–10). NPS is
100 × (promoters − detractors) / n, in points from −100 to 100; "don't know" and missing answers
are not answers and must be left out before scoring.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _nps_core
from ._checks import check_method, count_array, critical_z, masked, optional_float, same_shape
from .errors import ScoringError

#: Interval methods; "score-cc" is the default and the one to report.
METHODS = ("score-cc", "score", "adjusted-wald", "wald")

#: The method reports, exports, the API and the board report use.
DEFAULT_METHOD = "score-cc"

#: A key range up to this many times the number of answers is counted densely (no sort).
_DENSE_KEY_FACTOR = 4

#: Answers per counting chunk: a 2 MiB index buffer that stays in cache.
_CHUNK = 1 << 18


@dataclass(frozen=True, slots=True)
class NpsInterval:
    """One NPS estimate: `value`, `low`, `high` in points (None when n = 0) and the counts."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    detractors: int
    passives: int
    promoters: int
    confidence: float
    method: str


@dataclass(frozen=True, slots=True, eq=False)
class GroupedNps:
    """NPS per group as read-only column arrays, one entry per key.

    `value`, `low` and `high` are masked arrays: a group with n = 0 is masked (its data is 0,
    never NaN), so `.tolist()` and `rows()` give None for it.
    """

    keys: np.ndarray
    n: np.ndarray
    detractors: np.ndarray
    passives: np.ndarray
    promoters: np.ndarray
    value: np.ma.MaskedArray
    low: np.ma.MaskedArray
    high: np.ma.MaskedArray
    confidence: float
    method: str

    def __len__(self) -> int:
        return int(self.keys.shape[0])

    def rows(self) -> list[dict]:
        """One plain dict per group (Python ints and floats, None where undefined)."""
        names = ("keys", "n", "detractors", "passives", "promoters", "value", "low", "high")
        columns = [getattr(self, name).tolist() for name in names]
        labels = ("key",) + names[1:]
        return [dict(zip(labels, values, strict=True)) for values in zip(*columns, strict=True)]


def nps_interval(
    detractors, passives, promoters, confidence=0.95, method=DEFAULT_METHOD
) -> NpsInterval:
    """NPS of one group with a confidence interval, in points (−100…100).

    Estimate: 100 (P − D) / n for every method. Intervals for Δ = p_promoter − p_detractor:

    - ``"score-cc"`` (default): Tango's score interval with a continuity correction of half the
      step between possible values of P − D: c = ½ when passives were observed (P − D moves in
      steps of 1), c = 1 when none were (P − D = 2P − n moves in steps of 2). Only the score
      numerator changes: L solves (P − D − c − nL) / sqrt(V(L)) = z, U solves
      (P − D + c − nU) / sqrt(V(U)) = −z, with Tango's variance V(Δ) = n (2 q̃ + Δ(1 − Δ)) and
      its restricted MLE q̃ unchanged. L = −100 when every answer is a detractor, U = 100 when
      every answer is a promoter. With no passives it is Newcombe's (1998) continuity-corrected
      Wilson interval for P/n mapped to 2π − 1; with c = 1 throughout it would be Chang et al.
      (2024) / R ratesci ``cc = TRUE`` (both are test oracles). Above 95 % the correction grows
      with z (c × (1 + 1.6 (z − 1.96)) with passives, c × (1 + 0.8 (z − 1.96)) without),
      chosen by exact coverage so that a 99 % interval keeps ≥ 0.985; at 95 % and below it is
      exactly ½ or 1.
      Lowest exact coverage over the closed simplex, edges included (every endpoint from both
      sides on the edges and just inside them, a 0.02 grid inside; tests/unit/
      test_scoring_coverage.py proves these):

      ====  =======  =======  =======
      n     90 %     95 %     99 %
      ====  =======  =======  =======
      10    0.9102   0.9488   0.9871
      20    0.9144   0.9490   0.9867
      30    0.9020   0.9490   0.9866
      50    0.9023   0.9491   0.9865
      100   0.9021   0.9491   0.9864
      ====  =======  =======  =======

      Mean coverage at 95 % (interior grid): 0.982 (n = 10) to 0.959 (n = 100). Wider than plain
      Tango on average over all outcomes by 12.3 % (n = 10), 7.3 % (30), 3.8 % (100), 1.2 %
      (1000).
    - ``"score"``: plain Tango (Tango 1998; Rocks 2016, "iterative Score"), c = 0. It is Wilson's
      interval for P/n when no passives are observed and covers only 0.835–0.838 at 95 % near the
      edges of the simplex at every n (where a minority category expects ~0.18/n answers). Kept
      for comparison and for the published reference vectors.
    - ``"adjusted-wald"``: Wald on counts with ¾, 3/2, ¾ added (n + 3), truncated to [−100, 100].
      Its centre is the adjusted estimate, so at extremes the interval can exclude the raw NPS
      (3 promoters, 90 %: value 100, interval 2.5…97.5). Lowest coverage at 95 %: 0.860 (n = 10)
      to 0.905 (n = 100).
    - ``"wald"``: 100 (Δ̂ ± z sqrt((p̂ + d̂ − Δ̂²) / n)) truncated; collapses to a point when all
      answers fall in one category. For comparison only.

    Both score intervals are solved by a 34-step bisection of every group at once (within 1e-8
    points of the exact limit for any n up to 10^9, tested against a 60-digit solution), with
    Tango's variance written so that it does not cancel near Δ = ±1. Neither ever leaves
    [−100, 100] or collapses to a point (also for one-category outcomes at n = 10^9).

    Edge cases: n = 0 → value, low, high None. Negative, fractional, complex or non-numeric
    counts, counts of 2**53 or more (they would round in float64 and wrap in int64), a confidence
    that is not a real number strictly between 0 and 1 (also the string "0.95"), or an unknown
    method → ScoringError.
    """
    grouped = grouped_nps_from_counts([detractors], [passives], [promoters], confidence, method)
    return NpsInterval(
        value=optional_float(grouped.value[0]),
        low=optional_float(grouped.low[0]),
        high=optional_float(grouped.high[0]),
        n=int(grouped.n[0]),
        detractors=int(grouped.detractors[0]),
        passives=int(grouped.passives[0]),
        promoters=int(grouped.promoters[0]),
        confidence=float(confidence),
        method=method,
    )


def grouped_nps_from_counts(
    detractors, passives, promoters, confidence=0.95, method=DEFAULT_METHOD, keys=None
) -> GroupedNps:
    """NPS with intervals for many groups from their category counts, all solved at once.

    Same formulas and edge cases as `nps_interval`, element by element over 1-D arrays of equal
    length (the score interval by one joint bisection for all groups, no loop over groups).
    `keys` labels the groups (default 0, 1, 2, …). Groups with n = 0 are masked.
    """
    check_method(method, METHODS)
    z = critical_z(confidence)
    d, m, p = (
        count_array(np.atleast_1d(a), name)
        for a, name in (
            (detractors, "detractors"),
            (passives, "passives"),
            (promoters, "promoters"),
        )
    )
    same_shape(detractors=d, passives=m, promoters=p)
    if d.ndim != 1:
        raise ScoringError(f"counts must be 1-D arrays, got shape {d.shape}")
    key_array = np.arange(d.shape[0]) if keys is None else np.array(keys, copy=True)
    same_shape(keys=key_array, detractors=d)
    n = d + m + p
    empty = n == 0
    safe_n = np.where(empty, 1.0, n)
    safe_m = np.where(empty, 1.0, m)
    low, high = _nps_core.limits(method, d, safe_m, p, z)
    value = (p - d) / safe_n
    return _grouped(key_array, d, m, p, value, low, high, empty, confidence, method)


def grouped_nps(keys, scores, confidence=0.95, method=DEFAULT_METHOD) -> GroupedNps:
    """NPS with intervals per distinct key, from raw answers.

    `keys`: integer array (e.g. unit_index × n_periods + period_index); `scores`: answers 0–10 of
    the same length. Counts come from one `np.bincount` over key × 11 + answer (dense keys) or
    after `np.unique` (sparse keys); intervals as in `grouped_nps_from_counts`. The result holds
    the sorted distinct keys; every group has n ≥ 1. Empty input → an empty result.
    Extra memory: a 2 MiB buffer and the histogram (11 counts per key in the key range).
    Answers outside 0–10 or not whole, non-integer keys, unequal lengths → ScoringError.
    """
    key_array, score_array = _answer_arrays(keys, scores)
    if key_array.size == 0:
        no = np.zeros(0)
        return grouped_nps_from_counts(no, no, no, confidence, method, keys=key_array)
    present, counts = _count_categories(key_array, score_array)
    return grouped_nps_from_counts(
        counts[:, 0], counts[:, 1], counts[:, 2], confidence, method, keys=present
    )


def categorise_score_counts(score_counts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(detractors, passives, promoters) from an (m × 11) array of counts per answer 0..10.

    Columns 0–6 sum to detractors, 7–8 to passives, 9–10 to promoters. A single row of 11 counts
    gives arrays of length 1. Negative counts or a width other than 11 → ScoringError.
    """
    counts = count_array(np.atleast_2d(score_counts), "score_counts")
    if counts.ndim != 2 or counts.shape[1] != 11:
        raise ScoringError(
            f"score_counts needs 11 columns (answers 0..10), got shape {counts.shape}"
        )
    return counts[:, :7].sum(axis=1), counts[:, 7:9].sum(axis=1), counts[:, 9:].sum(axis=1)


def _answer_arrays(keys, scores) -> tuple[np.ndarray, np.ndarray]:
    """Validated (keys, scores): integer keys, whole answers 0..10, equal 1-D lengths."""
    key_array, score_array = np.asarray(keys), np.asarray(scores)
    if key_array.ndim != 1 or key_array.shape != score_array.shape:
        raise ScoringError(
            "keys and scores must be 1-D of one length, "
            f"got {key_array.shape} and {score_array.shape}"
        )
    if key_array.size and not np.issubdtype(key_array.dtype, np.integer):
        raise ScoringError(f"keys must be integers, got {key_array.dtype}")
    if not score_array.size:
        return key_array, score_array
    if not np.issubdtype(score_array.dtype, np.integer):
        if not np.issubdtype(score_array.dtype, np.floating) or not np.all(
            np.isfinite(score_array) & (score_array == np.round(score_array))
        ):
            raise ScoringError("scores must be whole answers 0..10 (leave 'don't know' out)")
        score_array = score_array.astype(np.int8)
    low, high = score_array.min(), score_array.max()
    if low < 0 or high > 10:
        raise ScoringError(f"scores must lie in 0..10, found values from {low} to {high}")
    return key_array, score_array


def _count_categories(keys: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct keys, counts (k × 3)) from a histogram over key × 11 + answer.

    Dense keys are offset by the smallest key (no sort); a key range far wider than the data goes
    through np.unique first. The histogram is built chunk by chunk through one small reused
    buffer, which keeps the work in cache and the extra memory to the histogram itself.
    """
    first, last = int(keys.min()), int(keys.max())
    distinct = None
    if last - first + 1 > _DENSE_KEY_FACTOR * keys.size + 1024:
        distinct, codes = np.unique(keys, return_inverse=True)
        keys, first, last = codes.reshape(-1), 0, distinct.size - 1
    span = last - first + 1
    histogram = np.zeros(11 * span, dtype=np.int64)
    buffer = np.empty(min(_CHUNK, keys.size), dtype=np.int64)
    for start in range(0, keys.size, _CHUNK):
        chunk = buffer[: min(_CHUNK, keys.size - start)]
        np.subtract(keys[start : start + _CHUNK], first, out=chunk, dtype=np.int64)
        chunk *= 11
        chunk += scores[start : start + _CHUNK]
        histogram += np.bincount(chunk, minlength=histogram.size)
    histogram = histogram.reshape(span, 11)
    if distinct is None:
        occupied = np.flatnonzero(histogram.any(axis=1))
        distinct, histogram = occupied + first, histogram[occupied]
    counts = np.column_stack(categorise_score_counts(histogram)).astype(np.int64)
    return distinct, counts


def _grouped(keys, d, m, p, value, low, high, empty, confidence, method) -> GroupedNps:
    """Freeze the column arrays (read-only) into a GroupedNps in points."""
    d, m, p = (a.astype(np.int64) for a in (d, m, p))
    columns = [keys, d + m + p, d, m, p]
    scaled = [masked(100.0 * a, empty) for a in (value, low, high)]
    for array in columns + scaled:
        array.flags.writeable = False
    return GroupedNps(*columns, *scaled, confidence=float(confidence), method=method)
