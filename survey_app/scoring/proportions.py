"""Shares (e.g. the % agreeing with a statement) with Wilson score intervals, vectorised."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import count_array, critical_z, masked, same_shape
from .errors import ScoringError


@dataclass(frozen=True, slots=True, eq=False)
class GroupedShares:
    """Share of `hits` in `n` per group, in percent, with Wilson limits; masked where n = 0."""

    n: np.ndarray
    hits: np.ndarray
    value: np.ma.MaskedArray
    low: np.ma.MaskedArray
    high: np.ma.MaskedArray
    confidence: float

    def __len__(self) -> int:
        return int(self.n.shape[0])


def grouped_wilson(hits, n, confidence=0.95) -> GroupedShares:
    """100 × hits / n with the Wilson score interval, for many groups at once.

    Wilson (1927, JASA 22): centre (p̂ + z²/2n) / (1 + z²/n), half-width
    z sqrt(p̂(1 − p̂)/n + z²/4n²) / (1 + z²/n). Stays inside 0–100 and never collapses to a point,
    also when hits = 0 or hits = n. n = 0 → masked. Counts that are negative, fractional, of
    unequal shape, or hits > n, and a confidence outside (0, 1) → ScoringError.
    """
    z = critical_z(confidence)
    hit_array = count_array(np.atleast_1d(hits), "hits")
    n_array = count_array(np.atleast_1d(n), "n")
    same_shape(hits=hit_array, n=n_array)
    if np.any(hit_array > n_array):
        raise ScoringError("hits must not exceed n")
    empty = n_array == 0
    size = np.where(empty, 1.0, n_array)
    share = hit_array / size
    z2 = z * z
    denominator = 1.0 + z2 / size
    centre = (share + z2 / (2.0 * size)) / denominator
    half = z * np.sqrt(share * (1.0 - share) / size + z2 / (4.0 * size * size)) / denominator
    low, high = np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)
    return GroupedShares(n_array.astype(np.int64), hit_array.astype(np.int64),
                         *(masked(100.0 * a, empty) for a in (share, low, high)),
                         confidence=float(confidence))
