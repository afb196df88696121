"""Vectorised interval arithmetic for a net score (private).

Everything here works on proportions in [-1, 1] and on whole arrays at once: one bisection step
updates every group together, so a call costs the same few dozen numpy operations whether it
scores one group or a hundred thousand.
"""

from __future__ import annotations

import numpy as np

#: Bisection steps. Every bracket starts at most 2 wide, so 34 halvings leave at most
#: 2 / 2**34 ≈ 1.2e-10, i.e. 1.2e-8 points; the limit is then read off the final bracket by one
#: linear interpolation (never outside it), within 1e-8 points of the exact limit for any n up to
#: 10^9 (tests compare with a 60-step bisection, Brent's method and a 60-digit bisection).
BISECTION_STEPS = 34

#: Pseudo-counts added by the adjusted-Wald interval (Rocks 2016; MeasuringU): ¾, 3/2, ¾.
ADJUSTED_WALD_PSEUDO = (0.75, 1.5, 0.75)

#: Critical value at which the continuity correction has its base size (½ or 1); see
#: `continuity_correction`.
_BASE_Z = 1.959963984540054

#: Growth of the correction per unit of z above `_BASE_Z` (without / with passives), chosen by
#: exact coverage (tests/unit/test_scoring_coverage.py) so that the 99 % interval keeps ≥ 0.985.
#: Without growth the 99 % interval dips to 0.9675 where promoters (or detractors) are rare with
#: no passives (the x = 1 step of the binomial); 0.8 lifts that to 0.9864, and with passives
#: near that edge 1.6 is needed (1.2 still left 0.9847).
CORRECTION_SLOPE = 0.8
PASSIVE_SLOPE = 1.6


def continuity_correction(passives, z):
    """Half the step between possible values of P − D, scaled for the confidence level.

    P − D moves in steps of 1 when passives were observed (c = ½) and in steps of 2 when none
    were (P − D = 2P − n, c = 1). At z above 1.96 (confidence above 95 %) the correction grows by
    the factor 1 + PASSIVE_SLOPE (z − 1.96) with passives, 1 + CORRECTION_SLOPE (z − 1.96)
    without; at 95 % and below it is exactly ½ or 1.
    """
    above = np.maximum(z - _BASE_Z, 0.0)
    return np.where(passives > 0, 0.5 * (1.0 + PASSIVE_SLOPE * above),
                    1.0 + CORRECTION_SLOPE * above)


def tango_z(delta, detractors, promoters, n, correction=0.0):
    """Tango's score statistic for H0: promoters share − detractors share = `delta`.

    z = (P − D − nΔ ∓ c) / sqrt(n (2 q̃ + Δ (1 − Δ))), where q̃ is the maximum-likelihood
    detractor share restricted to Δ: the larger root of 2n q² + B q + C = 0 with
    B = −(P + D) + Δ (2n + D − P) and C = −D Δ (1 − Δ)  (Tango 1998, Statistics in Medicine 17).
    `correction` c ≥ 0 moves the numerator towards 0 by c (never past it); c = 0 is plain Tango.
    A zero variance gives ±inf by the sign of the numerator, or 0 when the numerator is 0 too.
    """
    numerator = promoters - detractors - n * delta
    shrunk = np.sign(numerator) * np.maximum(np.abs(numerator) - correction, 0.0)
    root_variance = np.sqrt(_variance_function(detractors, promoters, n)(delta))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = shrunk / root_variance
    degenerate = np.where(shrunk > 0.0, np.inf, np.where(shrunk < 0.0, -np.inf, 0.0))
    return np.where(root_variance > 0.0, z, degenerate)


def _variance_function(detractors, promoters, n):
    """V(Δ) = n (2 q̃ + Δ(1 − Δ)), Tango's variance, accurate to the last digits near Δ = ±1.

    Written naively, B² − 8nC cancels catastrophically near Δ = −1 (two terms of about 9n² leave
    4(n − D)²) and B = Δ(2n + D − P) − (P + D) cancels near Δ = 1, which cost 1e-5 points at
    n = 10^7. Here, with u = 1 + Δ and w = 1 − Δ (each exact near its own end):

    - B = (n − P) u − (n + D) w, the same line through B(−1) = −2(n + D) and B(1) = 2(n − P);
    - for Δ < −½ the discriminant is expanded around −1 with coefficients that are exact
      products of whole counts: 4(n − D)² + u [4P(n + D) − 4(2n − D)(n − D)] + u² k,
      k = (n + M)² − 4DP; elsewhere B² − 8nC = B² + 8nDΔ(1 − Δ), whose two terms do not cancel
      for Δ ≥ 0;
    - 4n q̃ = √disc − B when B ≤ 0 and −8nC / (√disc + B) when B > 0, so the root never
      subtracts near-equal numbers either; then V = ½ (4n q̃) + n Δ(1 − Δ).
    """
    d, p = detractors, promoters
    rising, falling = n - p, -(n + d)
    c0 = 4.0 * (n - d) ** 2
    c1 = 4.0 * p * (n + d) - 4.0 * (2.0 * n - d) * (n - d)
    k = (2.0 * n - d - p) ** 2 - 4.0 * d * p
    d8n = 8.0 * n * d

    def variance(delta):
        u, w = 1.0 + delta, 1.0 - delta
        spread = delta * w
        product = d8n * spread
        b = rising * u + falling * w
        disc = np.where(delta < -0.5, c0 + u * (c1 + u * k), b * b + product)
        root = np.sqrt(np.maximum(disc, 0.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            four_n_q = np.where(b > 0.0, product / (root + b), root - b)
        return np.maximum(0.5 * four_n_q + n * spread, 0.0)

    return variance


def score_limits(detractors, promoters, n, z, correction=0.0, steps=BISECTION_STEPS):
    """Lower and upper score limits for all groups at once: where the (corrected) score statistic
    equals +z and −z.

    The lower limit solves (P − D − c − nΔ) = z sqrt(V(Δ)) in [−1, Δ̂], the upper
    (P − D + c − nΔ) = −z sqrt(V(Δ)) in [Δ̂, 1]; c = `correction` (0 for plain Tango).
    L = −1 when every answer is a detractor, U = 1 when every answer is a promoter.
    """
    size = np.shape(detractors)
    stacked = [np.concatenate([a, a]) for a in (detractors, promoters, n)]
    upper = np.concatenate([np.zeros(size, dtype=bool), np.ones(size, dtype=bool)])
    both = [np.concatenate([np.broadcast_to(x, size)] * 2) for x in (z, correction)]
    limits = score_limit(*stacked, both[0], upper, both[1], steps)
    half = limits.size // 2
    return limits[:half].reshape(size), limits[half:].reshape(size)


def score_limit(detractors, promoters, n, z, upper, correction=0.0, steps=BISECTION_STEPS):
    """One score limit per group: the upper one where `upper` is true, else the lower one.

    g(Δ) = (P − D ± c − nΔ) ∓ z sqrt(V(Δ)) changes sign once on the bracket ([−1, Δ̂] for the
    lower limit, [Δ̂, 1] for the upper); every bracket is halved `steps` times together, then the
    limit is read off the final bracket by linear interpolation between its two ends (the final
    bracket is at most 1.2e-10 wide, so this only smooths the result in z; it never leaves it).
    Groups are solved in blocks of `BLOCK`: every step then works on arrays that stay in cache
    (whole-array temporaries of 10^4+ groups cost more in allocation than in arithmetic).
    """
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in
                                   (detractors, promoters, n, z, correction)),
                                 np.asarray(upper, dtype=bool))
    shape = arrays[0].shape
    flat = [a.reshape(-1) for a in arrays]
    result = np.empty(flat[0].size)
    for start in range(0, result.size, BLOCK):
        block = slice(start, start + BLOCK)
        result[block] = _solve_block(*(a[block] for a in flat), steps)
    return result.reshape(shape)


#: Groups per block of the bisection (4,096 float64 = 32 KiB per array).
BLOCK = 4096


def _solve_block(detractors, promoters, n, z, correction, upper, steps):
    """`score_limit` for one block of groups."""
    estimate = (promoters - detractors) / n
    lo = np.where(upper, estimate, -1.0)
    hi = np.where(upper, 1.0, estimate)
    sign = np.where(upper, 1.0, -1.0)
    g = _score_sign_function(detractors, promoters, n, -sign * z, sign * correction)
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        right = g(mid) > 0.0
        lo, hi = np.where(right, mid, lo), np.where(right, hi, mid)
    g_lo, g_hi = g(lo), g(hi)
    drop = g_lo - g_hi
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = lo + g_lo * (hi - lo) / drop
    limit = np.where((g_lo > 0.0) & (g_hi <= 0.0) & (drop > 0.0), np.clip(inside, lo, hi),
                     0.5 * (lo + hi))
    limit = np.where(upper, np.maximum(limit, estimate), np.minimum(limit, estimate))
    limit = np.where(upper & (promoters >= n), 1.0, limit)
    return np.where(~upper & (detractors >= n), -1.0, limit)


def _score_sign_function(detractors, promoters, n, target, shift):
    """g(Δ) = (P − D + shift − nΔ) − target sqrt(V(Δ)), constants hoisted out of the loop."""
    variance = _variance_function(detractors, promoters, n)
    net = promoters - detractors + shift

    def g(delta):
        return (net - n * delta) - target * np.sqrt(variance(delta))

    return g


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
    if method == "score-cc":
        return score_limits(detractors, promoters, n, z, continuity_correction(passives, z))
    if method == "score":
        return score_limits(detractors, promoters, n, z)
    if method == "adjusted-wald":
        return adjusted_wald_limits(detractors, passives, promoters, z)
    return wald_limits(detractors, promoters, n, z)
