"""Vectorised interval arithmetic for a net score (private).

Everything here works on proportions in [-1, 1] and on whole arrays at once: one bisection step
updates every group together, so a call costs the same few dozen numpy operations whether it
scores one group or a hundred thousand.
"""

from __future__ import annotations

import numpy as np

#: Bisection steps: the bracket [-1, 1] shrinks to 2 / 2**52, below float64 resolution of the result.
BISECTION_STEPS = 52

#: Pseudo-counts added by the adjusted-Wald interval (Rocks 2016; MeasuringU): ¾, 3/2, ¾.
ADJUSTED_WALD_PSEUDO = (0.75, 1.5, 0.75)


def tango_z(delta, detractors, promoters, n):
    """Tango's score statistic for H0: promoters share − detractors share = `delta`.

    z = (P − D − nΔ) / sqrt(n (2 q̃ + Δ (1 − Δ))), where q̃ is the maximum-likelihood detractor
    share restricted to Δ: the larger root of 2n q² + B q + C = 0 with
    B = −(P + D) + Δ (2n + D − P) and C = −D Δ (1 − Δ)  (Tango 1998, Statistics in Medicine 17).
    A zero variance gives ±inf by the sign of the numerator, or 0 when the numerator is 0 too.
    """
    b = -(promoters + detractors) + delta * (2.0 * n + detractors - promoters)
    c = -detractors * delta * (1.0 - delta)
    root = np.sqrt(np.maximum(b * b - 8.0 * n * c, 0.0))
    restricted = (root - b) / (4.0 * n)
    variance = np.maximum(n * (2.0 * restricted + delta * (1.0 - delta)), 0.0)
    numerator = promoters - detractors - n * delta
    with np.errstate(divide="ignore", invalid="ignore"):
        z = numerator / np.sqrt(variance)
    degenerate = np.where(numerator > 0.0, np.inf, np.where(numerator < 0.0, -np.inf, 0.0))
    return np.where(variance > 0.0, z, degenerate)


def score_limits(detractors, promoters, n, z, steps=BISECTION_STEPS):
    """Lower and upper score limits: the Δ where Tango's z equals +z and −z, by joint bisection.

    z(Δ) decreases in Δ, so the lower limit lies in [−1, Δ̂] and the upper in [Δ̂, 1]; both are
    bracketed and halved together for every group. Δ̂ = −1 or 1 keeps that end at the bound.
    """
    estimate = (promoters - detractors) / n
    size = estimate.shape
    lo = np.concatenate([np.full(size, -1.0), estimate])
    hi = np.concatenate([estimate, np.ones(size)])
    target = np.concatenate([np.broadcast_to(z, size), -np.broadcast_to(z, size)])
    d2, p2, n2 = (np.concatenate([a, a]) for a in (detractors, promoters, n))
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        right = tango_z(mid, d2, p2, n2) > target
        lo = np.where(right, mid, lo)
        hi = np.where(right, hi, mid)
    limits = 0.5 * (lo + hi)
    return np.minimum(limits[: estimate.size].reshape(size), estimate), np.maximum(
        limits[estimate.size :].reshape(size), estimate
    )


def wald_limits(detractors, promoters, n, z):
    """Wald: Δ̂ ± z sqrt((p̂ + d̂ − Δ̂²) / n), truncated to [−1, 1]."""
    share_p, share_d = promoters / n, detractors / n
    estimate = share_p - share_d
    half = z * np.sqrt(np.maximum(share_p + share_d - estimate**2, 0.0) / n)
    return np.clip(estimate - half, -1.0, 1.0), np.clip(estimate + half, -1.0, 1.0)


def adjusted_wald_limits(detractors, passives, promoters, z):
    """Wald on counts with ¾, 3/2, ¾ added (n + 3 answers), truncated to [−1, 1]."""
    add_d, add_m, add_p = ADJUSTED_WALD_PSEUDO
    n = detractors + passives + promoters + add_d + add_m + add_p
    return wald_limits(detractors + add_d, promoters + add_p, n, z)


def limits(method, detractors, passives, promoters, z):
    """(low, high) as proportions for `method`; groups must have n ≥ 1."""
    n = detractors + passives + promoters
    if method == "score":
        return score_limits(detractors, promoters, n, z)
    if method == "adjusted-wald":
        return adjusted_wald_limits(detractors, passives, promoters, z)
    return wald_limits(detractors, promoters, n, z)
