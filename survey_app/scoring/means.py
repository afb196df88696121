"""Means with t-intervals, from raw values or from stored sums (n, Σx, Σx²), vectorised."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import stdtrit

from ._checks import critical_z, masked, optional_float
from .errors import ScoringError


@dataclass(frozen=True, slots=True, eq=False)
class MomentSums:
    """Sufficient statistics per group, as shifted sums: `n`, `total` = Σ(x − K) and
    `total_squares` = Σ(x − K)², with the shift K per group in `shift` (default 0).

    With K = 0 these are the plain Σx and Σx² the app aggregates per unit × day or round (on the
    0–100 QWL scale they lose nothing); sums over a period are sums of these. A one-pass Σx² loses
    every digit when the values sit far from 0 relative to their spread (1e9 + small noise), so
    sums built from raw values shift by a value of the group itself (its first value: the
    shifted-data algorithm, Chan, Golub & LeVeque 1983), and `merge` combines groups with
    different shifts by Chan's pairwise update. Constant data then give exactly zero spread.
    """

    n: np.ndarray
    total: np.ndarray
    total_squares: np.ndarray
    shift: np.ndarray | None = None

    def __post_init__(self) -> None:
        shift = np.zeros_like(np.atleast_1d(np.asarray(self.n, dtype=np.float64))) \
            if self.shift is None else self.shift
        arrays = [
            np.atleast_1d(np.asarray(a, dtype=np.float64))
            for a in (self.n, self.total, self.total_squares, shift)
        ]
        if len({a.shape for a in arrays}) != 1 or arrays[0].ndim != 1:
            raise ScoringError(
                "n, total, total_squares and shift must be 1-D arrays of one length"
            )
        if not all(np.all(np.isfinite(a)) for a in arrays):
            raise ScoringError("n, total, total_squares and shift must be finite")
        if arrays[0].size and (arrays[0].min() < 0 or np.any(arrays[0] != np.round(arrays[0]))):
            raise ScoringError("n must be a whole, non-negative number of answers")
        for name, array in zip(("n", "total", "total_squares", "shift"), arrays, strict=True):
            object.__setattr__(self, name, array)

    @classmethod
    def from_values(cls, values) -> MomentSums:
        """Sums of one group of raw values, skipping NaN (missing) values."""
        data = np.asarray(values, dtype=np.float64).reshape(-1)
        return cls.per_code(np.zeros(data.shape, dtype=np.int64), data, 1)

    @classmethod
    def per_code(cls, codes: np.ndarray, values: np.ndarray, size: int) -> MomentSums:
        """Sums per code 0..size−1, shifted by each code's first value (one bincount each);
        NaN values skipped, empty codes get 0."""
        answered = np.isfinite(values)
        codes, values = codes[answered], values[answered]
        shift = np.zeros(size)
        present, first = np.unique(codes, return_index=True)
        shift[present] = values[first]
        centred = values - shift[codes]
        return cls(
            np.bincount(codes, minlength=size).astype(np.float64),
            np.bincount(codes, weights=centred, minlength=size),
            np.bincount(codes, weights=centred * centred, minlength=size),
            shift,
        )

    def means(self) -> np.ndarray:
        """K + Σ(x − K)/n per group (0 where n = 0)."""
        return self.shift + self.total / np.where(self.n > 0, self.n, 1.0)

    def centred_squares(self) -> np.ndarray:
        """Σ(x − mean)² per group = Σ(x − K)² − (Σ(x − K))²/n, never below 0."""
        safe = np.where(self.n > 0, self.n, 1.0)
        return np.maximum(self.total_squares - self.total * (self.total / safe), 0.0)

    def merge(self, other: MomentSums) -> MomentSums:
        """Group by group sums of both, by Chan's pairwise update (Chan, Golub & LeVeque 1983,
        The American Statistician 37): n = n_a + n_b, M2 = M2_a + M2_b + δ² n_a n_b / n with
        δ = mean_b − mean_a; the result is shifted by its own mean, so no digits are lost however
        far apart the shifts are."""
        if self.n.shape != other.n.shape:
            raise ScoringError(f"cannot merge {self.n.shape} groups with {other.n.shape}")
        n = self.n + other.n
        safe = np.where(n > 0, n, 1.0)
        mean_a, mean_b = self.means(), other.means()
        gap = mean_b - mean_a
        mean = np.where(n > 0, mean_a + gap * other.n / safe, 0.0)
        squares = (self.centred_squares() + other.centred_squares()
                   + gap**2 * self.n * other.n / safe)
        return MomentSums(n, np.zeros_like(n), squares, mean)

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
    s² is computed from the shifted sums (see `MomentSums`): Σ(x − K)² − (Σ(x − K))²/n.
    Edge cases: n = 0 → mean, sd, low, high masked; n = 1 → mean only (no spread to estimate);
    all values equal → sd exactly 0 and low = high = mean (sums built from values).
    `bounds` = (lowest, highest) clips the limits to the scale (a mean of 0–100 indices cannot
    leave 0–100).
    Confidence outside (0, 1) → ScoringError.
    """
    critical_z(confidence)
    n = sums.n
    no_mean, no_spread = n < 1, n < 2
    safe_n = np.where(no_mean, 1.0, n)
    mean = sums.means()
    sd = np.sqrt(sums.centred_squares() / np.where(no_spread, 1.0, n - 1.0))
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
