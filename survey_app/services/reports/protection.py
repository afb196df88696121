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

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable

import numpy as np

from survey_app.periods import Period, parse_period
from survey_app.privacy import (
    Cell,
    OwnAnswers,
    Relation,
    Suppression,
    period_relations,
    suppress,
    tree_relations,
)

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
        """Whether the cell is hidden (cells not in the problem have n = 0 and are shown)."""
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
    cells, relations = _problem(tree, counts, first_month)
    decisions = suppress(cells, relations, threshold)
    with _LOCK:
        _CACHE[key] = decisions
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return Protection(decisions, threshold)


def _problem(tree: UnitTree, counts: np.ndarray, first_month: int):
    """Cells and relations for every unit and period with answers (zeros are always safe)."""
    totals = tree.roll_up(counts)
    month_labels = [Period.from_ordinal("month", first_month + m).label
                    for m in range(counts.shape[1])]
    cells: list[Cell] = []
    relations: list[Relation] = []
    labels: dict[str, list[int]] = {}
    for unit in np.flatnonzero(totals.any(axis=1)):
        unit = int(unit)
        unit_cells, unit_relations = period_relations(
            {label: int(totals[unit, m]) for m, label in enumerate(month_labels)})
        cells += [Cell((unit, c.key), c.n) for c in unit_cells]
        relations += [Relation((unit, r.total), tuple((unit, p) for p in r.parts))
                      for r in unit_relations]
    # Own answers per label: the same month weights as the periods above.
    for cell in cells:
        labels.setdefault(cell.key[1], [])
    for label in labels:
        months = [m.ordinal - first_month for m in parse_period(label).parts("month")]
        own = counts[:, months].sum(axis=1)
        total = totals[:, months].sum(axis=1)
        live = np.flatnonzero(total)
        if live.size == 0:
            continue
        parent_of = {int(u): (int(tree.parent[u]) if tree.parent[u] >= 0
                              and total[tree.parent[u]] else None) for u in live}
        own_counts = {int(u): int(own[u]) for u in live if own[u]}
        tree_cells, tree_relations_ = tree_relations(parent_of, own_counts)
        cells += [Cell((OwnAnswers((c.key.unit, label))), c.n) for c in tree_cells
                  if isinstance(c.key, OwnAnswers)]
        relations += [Relation((r.total, label), tuple(_rekey(p, label) for p in r.parts))
                      for r in tree_relations_]
    return cells, relations


def _rekey(part, label: str):
    """A tree part keyed by unit → the same part keyed by (unit, label)."""
    if isinstance(part, OwnAnswers):
        return OwnAnswers((part.unit, label))
    return (part, label)
