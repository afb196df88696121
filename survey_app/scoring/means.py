"""Means with t-intervals, from raw values or from stored sums (n, Σx, Σx²), vectorised."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import stdtrit

from ._checks import critical_z, masked, optional_float
from .errors import ScoringError


@dataclass(frozen=True, slots=True, eq=False)
class MomentSums:
    """Sufficient statistics per group: `n`, `total` (Σx) and `total_squares` (Σx²) as arrays.

    This is what the app aggregates per unit × day or round; sums over a period are sums of these.
    """

    n: np.ndarray
    total: np.ndarray
    total_squares: np.ndarray

    def __post_init__(self) -> None:
        arrays = [
            np.atleast_1d(np.asarray(a, dtype=np.float64))
            for a in (self.n, self.total, self.total_squares)
        ]
        if len({a.shape for a in arrays}) != 1 or arrays[0].ndim != 1:
            raise ScoringError("n, total and total_squares must be 1-D arrays of one length")
        if not all(np.all(np.isfinite(a)) for a in arrays):
            raise ScoringError("n, total and total_squares must be finite")
        if arrays[0].size and (arrays[0].min() < 0 or np.any(arrays[0] != np.round(arrays[0]))):
            raise ScoringError("n must be a whole, non-negative number of answers")
        for name, array in zip(("n", "total", "total_squares"), arrays, strict=True):
            object.__setattr__(self, name, array)

    @classmethod
    def from_values(cls, values) -> MomentSums:
        """Sums of one group of raw values, skipping NaN (missing) values."""
        data = np.asarray(values, dtype=np.float64).reshape(-1)
        return cls.per_code(np.zeros(data.shape, dtype=np.int64), data, 1)

    @classmethod
    def per_code(cls, codes: np.ndarray, values: np.ndarray, size: int) -> MomentSums:
        """Sums per code 0..size−1 (one bincount each); NaN values skipped, empty codes get 0."""
        answered = np.isfinite(values)
        codes, values = codes[answered], values[answered]
        return cls(
            np.bincount(codes, minlength=size).astype(np.float64),
            np.bincount(codes, weights=values, minlength=size),
            np.bincount(codes, weights=values * values, minlength=size),
        )

    def __len__(self) -> int:
        return int(self.n.shape[0])


@dataclass(frozen=True, slots=True)
class MeanInterval:
    """One mean with its t-interval; `low`/`high` None when n < 2, everything None when n = 0."""

    mean: float | None
    low: float | None
    high: float | None
    n: int
    sd: float | None
    confidence: float


@dataclass(frozen=True, slots=True, eq=False)
class GroupedMeans:
    """Means with t-intervals per group; masked where undefined (n = 0 for mean, n < 2 for CI)."""

    keys: np.ndarray
    n: np.ndarray
    mean: np.ma.MaskedArray
    low: np.ma.MaskedArray
    high: np.ma.MaskedArray
    sd: np.ma.MaskedArray
    confidence: float

    def __len__(self) -> int:
        return int(self.keys.shape[0])

    def rows(self) -> list[dict]:
        """One plain dict per group, None where undefined."""
        names = ("keys", "n", "mean", "low", "high", "sd")
        columns = [getattr(self, name).tolist() for name in names]
        labels = ("key",) + names[1:]
        return [dict(zip(labels, values, strict=True)) for values in zip(*columns, strict=True)]


def grouped_mean_from_sums(
    sums: MomentSums, confidence=0.95, keys=None, bounds=None
) -> GroupedMeans:
    """Mean ± t_{1−α/2, n−1} s / √n per group from (n, Σx, Σx²), all groups at once.

    s² = (Σx² − (Σx)²/n) / (n − 1), clamped at 0 against rounding (Student 1908; any textbook).
    Edge cases: n = 0 → mean, sd, low, high masked; n = 1 → mean only (no spread to estimate);
    all values equal → sd 0 and low = high = mean. `bounds` = (lowest, highest) clips the limits to
    the scale (a mean of 0–100 indices cannot leave 0–100).
    Confidence outside (0, 1) → ScoringError.
    """
    critical_z(confidence)
    n = sums.n
    no_mean, no_spread = n < 1, n < 2
    safe_n = np.where(no_mean, 1.0, n)
    mean = sums.total / safe_n
    variance = (sums.total_squares - sums.total * mean) / np.where(no_spread, 1.0, n - 1.0)
    sd = np.sqrt(np.maximum(variance, 0.0))
    t = stdtrit(np.where(no_spread, 1.0, n - 1.0), 0.5 + float(confidence) / 2.0)
    half = t * sd / np.sqrt(safe_n)
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = np.clip(low, *bounds), np.clip(high, *bounds)
    key_array = np.arange(n.size) if keys is None else np.array(keys, copy=True)
    if key_array.shape != n.shape:
        raise ScoringError(f"keys have shape {key_array.shape}, sums have {n.shape}")
    return GroupedMeans(
        keys=key_array,
        n=n.astype(np.int64),
        mean=masked(mean, no_mean),
        low=masked(low, no_spread),
        high=masked(high, no_spread),
        sd=masked(sd, no_spread),
        confidence=float(confidence),
    )


def grouped_mean(keys, values, confidence=0.95) -> GroupedMeans:
    """Mean and t-interval per sorted distinct integer key from raw values (NaN values skipped;
    a key whose values are all NaN has n = 0 and is masked).

    Same formula and edge cases as `grouped_mean_from_sums`; keys and values of unequal length,
    or non-integer keys → ScoringError.
    """
    key_array, data = np.asarray(keys), np.asarray(values, dtype=np.float64)
    if key_array.ndim != 1 or key_array.shape != data.shape:
        raise ScoringError("keys and values must be 1-D arrays of one length")
    if key_array.size and not np.issubdtype(key_array.dtype, np.integer):
        raise ScoringError(f"keys must be integers, got {key_array.dtype}")
    distinct, codes = np.unique(key_array, return_inverse=True)
    sums = MomentSums.per_code(codes.reshape(-1), data, distinct.size)
    return grouped_mean_from_sums(sums, confidence, keys=distinct)


def mean_interval(values, confidence=0.95) -> MeanInterval:
    """Mean of `values` (NaN skipped) with its t-interval; see `grouped_mean_from_sums`."""
    return mean_interval_from_sums(MomentSums.from_values(values), confidence)


def mean_interval_from_sums(sums: MomentSums, confidence=0.95) -> MeanInterval:
    """The first (usually only) group of `sums` as a scalar MeanInterval with its t-interval."""
    grouped = grouped_mean_from_sums(sums, confidence)
    if len(grouped) == 0:
        raise ScoringError("no group in the sums")
    return MeanInterval(
        mean=optional_float(grouped.mean[0]),
        low=optional_float(grouped.low[0]),
        high=optional_float(grouped.high[0]),
        n=int(grouped.n[0]),
        sd=optional_float(grouped.sd[0]),
        confidence=float(confidence),
    )
