"""Funnel-plot control limits: where a unit of size n may fall by chance around the organisation.

A funnel plot (Spiegelhalter 2005, Statistics in Medicine 24) draws each unit's score against its
number of answers n, with limits target ± z σ / √n around the organisation's value: 95 %
(z ≈ 1.96) and 99.8 % (z ≈ 3.09). It compares units of very different size honestly; a unit
outside the 99.8 % limits is unlikely to differ by chance alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import count_array, critical_z, masked
from .errors import ScoringError

#: The two conventional funnel levels ("warning" and "alarm").
FUNNEL_LEVELS = (0.95, 0.998)


@dataclass(frozen=True, slots=True, eq=False)
class FunnelLimits:
    """Limits per n (masked where n = 0): inner (95 %) and outer (99.8 %) pairs, in score units."""

    n: np.ndarray
    target: float
    inner_low: np.ma.MaskedArray
    inner_high: np.ma.MaskedArray
    outer_low: np.ma.MaskedArray
    outer_high: np.ma.MaskedArray
    levels: tuple[float, float]

    def position(self, values) -> np.ndarray:
        """Per unit: −2 below the outer limit, −1 below the inner, 0 inside, 1 / 2 above them.

        Units with n = 0 get 0. `values` must have the shape of `n`.
        """
        v = np.asarray(values, dtype=np.float64)
        if v.shape != self.n.shape:
            raise ScoringError(f"values have shape {v.shape}, limits have {self.n.shape}")

        def side(low, high):
            return np.where(v < low.filled(-np.inf), -1, 0) + np.where(
                v > high.filled(np.inf), 1, 0
            )

        return side(self.inner_low, self.inner_high) + side(self.outer_low, self.outer_high)


def mean_funnel_limits(n, target, sd, levels=FUNNEL_LEVELS, bounds=(0.0, 100.0)) -> FunnelLimits:
    """Funnel limits for a mean (e.g. QWL index): target ± z sd / √n, clipped to `bounds`.

    `target` and `sd` are the organisation's mean and per-person standard deviation; `n` an array
    of unit sizes. n = 0 → masked. Negative sd or n, or a level outside (0, 1) → ScoringError.
    """
    sizes = count_array(np.atleast_1d(n), "n")
    try:
        spread, centre = float(sd), float(target)
    except (TypeError, ValueError):
        raise ScoringError("target and sd must be numbers") from None
    if not (np.isfinite(spread) and np.isfinite(centre)) or spread < 0:
        raise ScoringError(
            f"sd must be a non-negative number and target finite, got {sd!r}, {target!r}"
        )
    return _limits(sizes, centre, spread, levels, bounds)


def nps_funnel_limits(n, organisation, levels=FUNNEL_LEVELS) -> FunnelLimits:
    """Funnel limits for unit NPS (points) around the organisation's NPS.

    `organisation` = (detractors, passives, promoters) of the whole organisation; target
    θ = 100 (P − D)/N and per-answer σ = 100 sqrt(p + d − (p − d)²); limits θ ± z σ / √n, clipped
    to [−100, 100]. An organisation with N = 0 → ScoringError; n = 0 → masked.
    """
    counts = count_array(np.asarray(organisation).reshape(-1), "organisation")
    if counts.shape != (3,):
        raise ScoringError("organisation must be (detractors, passives, promoters)")
    d, p, total = float(counts[0]), float(counts[2]), float(counts.sum())
    if total <= 0:
        raise ScoringError("the organisation has no answers, so it has no NPS to compare against")
    share_p, share_d = p / total, d / total
    sd = 100.0 * np.sqrt(max(share_p + share_d - (share_p - share_d) ** 2, 0.0))
    sizes = count_array(np.atleast_1d(n), "n")
    return _limits(sizes, 100.0 * (share_p - share_d), sd, levels, (-100.0, 100.0))


def _limits(sizes, target, sd, levels, bounds) -> FunnelLimits:
    """Both pairs of limits for every n at once."""
    if len(levels) != 2:
        raise ScoringError("levels must be two confidence levels, inner then outer")
    empty = sizes == 0
    spread = sd / np.sqrt(np.where(empty, 1.0, sizes))
    pairs = []
    for level in levels:
        z = critical_z(level)
        pairs += [
            masked(np.clip(target - z * spread, *bounds), empty),
            masked(np.clip(target + z * spread, *bounds), empty),
        ]
    return FunnelLimits(
        sizes.astype(np.int64), target, *pairs, levels=(float(levels[0]), float(levels[1]))
    )
