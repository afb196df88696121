"""Small-group suppression of report cells through `survey_app.privacy`, for the whole tree.

A cell is (unit, period label) for one n definition: a metric, comments, a statement or a QWL
factor. Every unit of the organisation and every month, quarter, tertial and year of the years
touched is decided together, so a cell is hidden or shown the same way on every page, for every
user, in HTML, the API and exports:

- tree relations per period: a unit = its own direct answers + its children;
- period relations per unit: quarter, tertial and year = their months, year = quarters =
  tertials, tertial 1 = quarter 1 + April, tertial 3 = September + quarter 4.

The decision depends only on the counts, so it is memoised on a digest of them: two processes
with the same data decide the same way, and a new answer changes the digest.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable

import numpy as np

from survey_app.periods import Period, parse_period
from survey_app.privacy import OwnAnswers, Suppression, period_relations, suppress_indexed

from .tree import UnitTree

_SHOWN = Suppression(False)
_CACHE: OrderedDict[bytes, dict] = OrderedDict()
_CACHE_SIZE = 32
_LOCK = threading.Lock()


class Protection:
    """Suppression decisions for one metric: ``status(unit_index, period)``."""

    def __init__(self, decisions: dict[Hashable, Suppression], threshold: int) -> None:
        self.decisions = decisions
        self.threshold = threshold

    def status(self, unit: int, period: Period) -> Suppression:
        """Whether the cell is hidden (``decisions`` holds the hidden cells only)."""
        return self.decisions.get((unit, period.label), _SHOWN)

    def reason(self, unit: int, period: Period) -> str | None:
        """``below_threshold``, ``complementary`` or None when shown."""
        decision = self.status(unit, period)
        return decision.reason if decision.hidden else None


def protect(tree: UnitTree, own_counts: np.ndarray, first_month: int, threshold: int) -> Protection:
    """Decide every (unit, period) cell from the units' own answer counts per month.

    ``own_counts[unit, month]`` covers whole years from ``first_month`` (a January ordinal).
    """
    counts = np.rint(own_counts).astype(np.int64)
    digest = hashlib.blake2b(digest_size=20)
    for part in (counts, tree.ids, tree.parent, np.array([first_month, threshold])):
        digest.update(np.ascontiguousarray(part).tobytes())
        digest.update(b"|")
    key = digest.digest()
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return Protection(_CACHE[key], threshold)
    decisions = _decide(tree, counts, first_month, threshold)
    with _LOCK:
        _CACHE[key] = decisions
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return Protection(decisions, threshold)


def _decide(tree: UnitTree, counts: np.ndarray, first_month: int, threshold: int):
    """The hidden (unit index, label) cells, numbered for `suppress_indexed`.

    Cells and relations are exactly those of ``period_relations`` for every unit with answers
    (in unit order), then ``tree_relations`` for every period label (in label order); only
    numbered instead of keyed, so the decisions are those of ``suppress`` on the keyed problem.
    """
    labels, calendar, months = _calendar(first_month, counts.shape[1])
    totals = np.rint(tree.roll_up(counts)).astype(np.int64) @ months
    live = np.flatnonzero(totals.any(axis=1))
    width = len(labels)
    cell_n = totals[live].reshape(-1).tolist()
    relations = [(base + total, tuple(base + part for part in parts))
                 for base in range(0, live.size * width, width) for total, parts in calendar]
    remainders = _tree_problem(tree, totals, counts @ months, live, cell_n, relations)
    units = live.tolist()

    def key(i: int):
        if i < len(units) * width:
            return (units[i // width], labels[i % width])
        unit, slot = remainders[i - len(units) * width]
        return OwnAnswers((unit, labels[slot]))

    reasons = suppress_indexed(cell_n, relations, threshold,
                               range(len(units) * width, len(cell_n)), lambda i: repr(key(i)))
    return {key(i): Suppression(True, reason)
            for i, reason in enumerate(reasons[: len(units) * width]) if reason is not None}


def _tree_problem(tree: UnitTree, totals, own, live, cell_n: list, relations: list) -> list:
    """Append per label: unit = own answers (a new cell, when any) + children with answers.

    Returns the (unit, label slot) of every own-answers cell appended to ``cell_n``.
    """
    width = totals.shape[1]
    position = np.full(len(tree.ids), -1, dtype=np.int64)
    position[live] = np.arange(live.size) * width
    position = position.tolist()
    children: dict[int, list[int]] = {}
    for unit, parent in enumerate(tree.parent.tolist()):
        if parent >= 0:
            children.setdefault(parent, []).append(unit)
    parents = sorted(children)
    remainders = []
    for slot in range(width):
        column, own_column = totals[:, slot].tolist(), own[:, slot].tolist()
        for unit in parents:
            kids = [child for child in children[unit] if column[child]]
            if not kids or not column[unit]:
                continue
            parts = tuple(position[child] + slot for child in kids)
            if own_column[unit]:
                parts = (len(cell_n), *parts)
                cell_n.append(own_column[unit])
                remainders.append((unit, slot))
            relations.append((position[unit] + slot, parts))
    return remainders


@functools.lru_cache(maxsize=16)
def _calendar(first_month: int, month_count: int):
    """Labels, relations between label slots, and the month × label membership matrix.

    The labels and relations are one unit's ``period_relations`` (whole years from
    ``first_month``), with keys replaced by their position in its cell list.
    """
    month_labels = [Period.from_ordinal("month", first_month + m).label
                    for m in range(month_count)]
    cells, relations = period_relations(dict.fromkeys(month_labels, 0))
    labels = tuple(cell.key for cell in cells)
    slot = {label: i for i, label in enumerate(labels)}
    calendar = tuple((slot[r.total], tuple(slot[p] for p in r.parts)) for r in relations)
    months = np.zeros((month_count, len(labels)), dtype=np.int64)
    for i, label in enumerate(labels):
        months[[m.ordinal - first_month for m in parse_period(label).parts("month")], i] = 1
    months.setflags(write=False)
    return labels, calendar, months
