"""Funnel-plot control limits: where a unit of size n may fall by chance around the organisation.

A funnel plot (Spiegelhalter 2005, Statistics in Medicine 24) draws each unit's score against its
number of answers n, with limits target ± z σ / √n around the organisation's value: 95 %
(z ≈ 1.96) and 99.8 % (z ≈ 3.09). It compares units of very different size honestly; a unit
outside the 99.8 % limits is unlikely to differ by chance alone.

Real units differ by more than sampling alone (case mix, region, service type): with those plain
limits nearly every large unit falls outside, which tells an analyst nothing. So the limits allow
for overdispersion in the manner of Spiegelhalter (2005, "Handling over-dispersion of performance
indicators", Quality and Safety in Health Care 14): from the units' z-scores
z_i = (y_i − θ) / s_i, s_i = σ / √n_i, winsorised at their 10th and 90th percentiles (so that a
real outlier does not widen everyone's limits):

- ``"additive"`` (the default, a random-effects model): limits θ ± z sqrt(s² + τ̂²). Large units
  get limits that no longer shrink to the target, which is what between-unit variation means.
- ``"multiplicative"``: limits θ ± z sqrt(φ̂) s.
- ``"none"``: the plain limits.

Winsorising also shrinks the mean square of well-behaved z-scores: a standard normal sample
winsorised at 10 % / 90 % keeps E = 0.8 − 2aφ(a) + 0.2a² = 0.6786 (a = Φ⁻¹(0.9)) of its
variance. Spiegelhalter's moment estimates (φ̂ = mean winsorised z², τ̂² from φ̂ as in
DerSimonian–Laird) ignore that, and with units of very different size their limits are far too
narrow: on simulated counties of 40 units of 20–5,000 answers with real between-unit variation
and no outlier, 19 % of the units fell outside the 95 % limits. Here the estimates are made
consistent instead: φ̂ = (mean winsorised z²) / 0.6786, and τ̂² is the value at which the
z-scores standardised by the widened limits, (y_i − θ) / sqrt(s_i² + τ²), winsorised the same
way, have mean square 0.6786 (0 when they already have less; found by bisection). On the same
simulations 4–6 % fall outside (tests/unit/test_scoring_funnel.py).

Fewer than `MIN_UNITS` units → no adjustment (the estimate would be noise). The plain limits are
kept beside the adjusted ones (`FunnelLimits.unadjusted`) for a thin reference line, and
`FunnelLimits.adjustment` says which adjustment was used.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.special import ndtri

from ._checks import count_array, critical_z, masked
from .errors import ScoringError

#: The two conventional funnel levels ("warning" and "alarm").
FUNNEL_LEVELS = (0.95, 0.998)

#: Overdispersion adjustments, the default first.
ADJUSTMENTS = ("additive", "multiplicative", "none")

#: Fewest units from which φ̂ and τ̂² are estimated.
MIN_UNITS = 5

#: Winsorising percentiles of the z-scores (Spiegelhalter 2005 uses 10 % at each end) and the
#: mean square of a standard normal sample winsorised there: 0.8 − 2aφ(a) + 0.2a², a = Φ⁻¹(0.9).
_WINSOR = (10.0, 90.0)
_A = float(ndtri(0.9))
WINSORISED_SQUARE = 0.8 - 2.0 * _A * float(np.exp(-_A * _A / 2) / np.sqrt(2 * np.pi)) \
    + 0.2 * _A * _A
_TAU_STEPS = 80


@dataclass(frozen=True, slots=True)
class Overdispersion:
    """What the funnel limits allow for: `adjustment` used ("additive", "multiplicative" or
    "none"), φ̂ (winsorised mean squared z, None when not estimated), τ̂ in score units (additive
    only) and the number of units the estimate rests on."""

    adjustment: str
    phi: float | None
    tau: float | None
    units: int


NO_ADJUSTMENT = Overdispersion("none", None, None, 0)


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
    overdispersion: Overdispersion = NO_ADJUSTMENT
    unadjusted: FunnelLimits | None = None

    @property
    def adjustment(self) -> str:
        """Which overdispersion adjustment the limits carry: additive, multiplicative or none."""
        return self.overdispersion.adjustment

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


def mean_funnel_limits(n, target, sd, levels=FUNNEL_LEVELS, bounds=(0.0, 100.0), *,
                       units=None, adjustment="additive") -> FunnelLimits:
    """Funnel limits for a mean (e.g. QWL index): target ± z sd / √n, clipped to `bounds`.

    `target` and `sd` are the organisation's mean and per-person standard deviation; `n` an array
    of unit sizes. `units` = (sizes, values) of the units on the plot: with it the limits allow for
    overdispersion by `adjustment` (module docstring); without it they are the plain limits.
    n = 0 → masked. Negative sd or n, a level outside (0, 1) or an unknown adjustment →
    ScoringError.
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
    return _adjusted(sizes, centre, spread, levels, bounds, units, adjustment)


def nps_funnel_limits(n, organisation, levels=FUNNEL_LEVELS, *, units=None,
                      adjustment="additive") -> FunnelLimits:
    """Funnel limits for unit NPS (points) around the organisation's NPS.

    `organisation` = (detractors, passives, promoters) of the whole organisation; target
    θ = 100 (P − D)/N and per-answer σ = 100 sqrt(p + d − (p − d)²); limits θ ± z σ / √n, clipped
    to [−100, 100]. `units` = (sizes, NPS values) of the units on the plot: with it the limits
    allow for overdispersion by `adjustment` (module docstring).
    An organisation with N = 0 → ScoringError; n = 0 → masked.
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
    return _adjusted(sizes, 100.0 * (share_p - share_d), sd, levels, (-100.0, 100.0), units,
                     adjustment)


def estimate_overdispersion(n, values, target, sd, adjustment="additive") -> Overdispersion:
    """φ̂ and τ̂ of units of sizes `n` with scores `values` around `target` (module docstring).

    Units with n = 0 or an undefined value are left out. Fewer than MIN_UNITS units, sd = 0 or
    ``adjustment="none"`` → no adjustment. Unknown adjustment or unequal shapes → ScoringError.
    """
    if adjustment not in ADJUSTMENTS:
        raise ScoringError(f"unknown adjustment {adjustment!r}; choose one of "
                           f"{', '.join(ADJUSTMENTS)}")
    sizes = count_array(np.atleast_1d(n), "n")
    scores = np.ma.filled(np.ma.masked_invalid(np.ma.asarray(values, dtype=np.float64)), np.nan)
    scores = np.atleast_1d(scores)
    if scores.shape != sizes.shape:
        raise ScoringError(f"unit values have shape {scores.shape}, sizes {sizes.shape}")
    used = (sizes > 0) & np.isfinite(scores)
    units = int(used.sum())
    if adjustment == "none" or units < MIN_UNITS or not sd > 0:
        return Overdispersion("none", None, None, units)
    deviation, variance = scores[used] - target, sd**2 / sizes[used]
    phi = _winsorised_square(deviation / np.sqrt(variance)) / WINSORISED_SQUARE
    if adjustment == "multiplicative":
        return Overdispersion(adjustment, phi, None, units)
    return Overdispersion(adjustment, phi, _tau(deviation, variance), units)


def _winsorised_square(z: np.ndarray) -> float:
    """Mean square of z after winsorising at the _WINSOR percentiles."""
    return float(np.mean(np.clip(z, *np.percentile(z, _WINSOR)) ** 2))


def _tau(deviation: np.ndarray, variance: np.ndarray) -> float:
    """τ̂: the τ at which deviation / sqrt(variance + τ²), winsorised, has mean square
    WINSORISED_SQUARE (0 when it is below that at τ = 0), by bisection on τ²."""
    if _winsorised_square(deviation / np.sqrt(variance)) <= WINSORISED_SQUARE:
        return 0.0
    lo, hi = 0.0, float(np.max(deviation**2)) / WINSORISED_SQUARE + 1.0
    for _ in range(_TAU_STEPS):
        mid = 0.5 * (lo + hi)
        wide = _winsorised_square(deviation / np.sqrt(variance + mid)) > WINSORISED_SQUARE
        lo, hi = (mid, hi) if wide else (lo, mid)
    return float(np.sqrt(0.5 * (lo + hi)))


def _adjusted(sizes, target, sd, levels, bounds, units, adjustment) -> FunnelLimits:
    """The limits with the overdispersion `units` show, and the plain ones beside them."""
    plain = _limits(sizes, target, sd, levels, bounds, NO_ADJUSTMENT)
    if units is None:
        if adjustment not in ADJUSTMENTS:
            raise ScoringError(f"unknown adjustment {adjustment!r}")
        return plain
    unit_sizes, unit_values = units
    spread = estimate_overdispersion(unit_sizes, unit_values, target, sd, adjustment)
    if spread.adjustment == "none":
        return replace(plain, overdispersion=spread)
    return replace(_limits(sizes, target, sd, levels, bounds, spread), unadjusted=plain)


def _limits(sizes, target, sd, levels, bounds, spread: Overdispersion) -> FunnelLimits:
    """Both pairs of limits for every n at once, widened as `spread` says."""
    if len(levels) != 2:
        raise ScoringError("levels must be two confidence levels, inner then outer")
    empty = sizes == 0
    variance = sd**2 / np.where(empty, 1.0, sizes)
    if spread.adjustment == "multiplicative":
        variance = variance * max(spread.phi, 1.0)
    elif spread.adjustment == "additive":
        variance = variance + spread.tau**2
    spread_sd = np.sqrt(variance)
    pairs = []
    for level in levels:
        z = critical_z(level)
        pairs += [
            masked(np.clip(target - z * spread_sd, *bounds), empty),
            masked(np.clip(target + z * spread_sd, *bounds), empty),
        ]
    return FunnelLimits(
        sizes.astype(np.int64), target, *pairs, levels=(float(levels[0]), float(levels[1])),
        overdispersion=spread,
    )
