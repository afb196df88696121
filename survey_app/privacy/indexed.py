"""Small-group suppression on cells numbered 0..C−1: the engine behind :func:`suppress`.

The rules are those of :mod:`survey_app.privacy.suppression`; this module only makes them cheap.
Cells are list positions and relations are ``(total, parts)`` tuples of positions, so a report
can hand over thousands of cells without building a key object for each.

The decisions equal those of a plain sweep (every relation in order, each made safe before the
next, sweeps repeated until one changes nothing) because this *is* that sweep, skipping only the
relations that cannot need a change: a relation without a hidden cell is safe, and a relation's
safety depends on its own cells alone, so a relation left safe stays safe until one of its cells
is hidden. Hiding a cell marks the relations that contain it; a marked relation later in the
order is visited in the same sweep, an earlier one in the next, as the plain sweep would find it.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

Reason = Literal["below_threshold", "complementary", "not_displayed"]
IndexedRelation = tuple[int, tuple[int, ...]]


def suppress_indexed(
    counts: Sequence[int],
    relations: Sequence[IndexedRelation],
    k: int,
    not_displayed: Iterable[int],
    tie_key: Callable[[int], object],
) -> list[Reason | None]:
    """The reason each cell is hidden (``None`` when shown), by the rules of ``suppress``.

    ``counts[i]`` is cell i's n (integers >= 0), ``relations`` say ``total = sum(parts)`` (not
    checked here), ``not_displayed`` lists the own-answer remainders, and ``tie_key(i)`` orders
    visible parts of equal n when choosing a complement (``suppress`` passes ``repr(key)``); it is
    called only on such ties.
    """
    reasons, hidden, protected = _primary(counts, k, not_displayed)
    state = (counts, hidden, protected, k, tie_key)
    containing = _containing(len(counts), relations)
    # A relation without a hidden cell is safe: the first sweep would pass it by unchanged.
    pending = sorted({r for cell in range(len(counts)) if hidden[cell] for r in containing[cell]})
    queued = bytearray(len(relations))
    for r in pending:
        queued[r] = 1
    next_sweep: list[int] = []
    while pending:
        current = heapq.heappop(pending)
        queued[current] = 0
        total, parts = relations[current]
        while (victim := _next_to_hide(total, parts, state)) is not None:
            reasons[victim] = "complementary"
            hidden[victim] = protected[victim] = 1
            for other in containing[victim]:
                if other != current and not queued[other]:
                    queued[other] = 1
                    if other > current:
                        heapq.heappush(pending, other)
                    else:
                        next_sweep.append(other)
        if not pending and next_sweep:
            pending, next_sweep = sorted(next_sweep), []
    return reasons


def _primary(counts: Sequence[int], k: int, not_displayed: Iterable[int]):
    """Rules 1 and 2: reasons, and the hidden and protected flags, before any complement."""
    reasons: list[Reason | None] = ["below_threshold" if 0 < n < k else None for n in counts]
    for i in not_displayed:
        reasons[i] = "not_displayed"
    hidden = bytearray(reason is not None for reason in reasons)
    # Protected: hidden and its exact value must stay unknown (a remainder only when small).
    protected = bytearray(
        reason is not None and (reason != "not_displayed" or 0 < n < k)
        for reason, n in zip(reasons, counts, strict=True)
    )
    return reasons, hidden, protected


def _containing(size: int, relations: Sequence[IndexedRelation]) -> list[list[int]]:
    """For every cell, the relations it is the total or a part of (ascending, no repeats)."""
    containing: list[list[int]] = [[] for _ in range(size)]
    for position, (total, parts) in enumerate(relations):
        for cell in (total, *parts):
            listed = containing[cell]
            if not listed or listed[-1] != position:
                listed.append(position)
    return containing


def _next_to_hide(total: int, parts: tuple[int, ...], state) -> int | None:
    """The cell to hide so that the relation becomes safe, or ``None`` if it already is."""
    counts, hidden, protected, k, tie_key = state
    hidden_parts = [p for p in parts if hidden[p] and counts[p] > 0]
    if hidden[total]:
        if hidden_parts or not protected[total]:
            return None
    else:
        hidden_sum = sum(counts[p] for p in hidden_parts)
        if hidden_sum == 0:
            return None
        if hidden_sum >= k and not (len(hidden_parts) == 1 and protected[hidden_parts[0]]):
            return None
    candidates = [p for p in parts if not hidden[p] and counts[p] > 0]
    if candidates:
        smallest = min(counts[p] for p in candidates)
        tied = [p for p in candidates if counts[p] == smallest]
        return tied[0] if len(tied) == 1 else min(tied, key=tie_key)
    if not hidden[total]:
        return total
    # Unreachable with consistent counts: a hidden total with every part shown always has a
    # part with n > 0 (else the total would be 0 and shown).
    raise AssertionError(f"cannot make relation {total} = {parts} safe")  # pragma: no cover
