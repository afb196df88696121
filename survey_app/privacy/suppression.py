"""Small-group suppression with difference protection: the one implementation for every output.

HTML pages, the JSON API, CSV and XLSX exports all call :func:`suppress` and show a cell's numbers
only when its :class:`Suppression` says ``hidden=False``.

Model. A :class:`Cell` is a group of respondents with count ``n``. A :class:`Relation` says that
a total cell is the sum of its part cells (a unit = its own direct answers + its child units; a
quarter = its three months). Because every aggregate shown (counts per answer value, sums of
indices) is additive in the same way, one rule on ``n`` protects all of them. Call
:func:`suppress` once per ``n`` definition (e.g. NPS respondents and QWL respondents separately).

Rules, with threshold ``k``:

1. *Primary*: a cell with ``0 < n < k`` is hidden (``"below_threshold"``). A cell with ``n == 0``
   is shown (as "no answers"): it tells nothing about any person. Zero cells are never hidden.
2. *Not displayed*: an :class:`OwnAnswers` remainder (a unit's own direct answers, which only
   exist as a part) is never shown (``"not_displayed"``), so it is always unknown to a reader.
3. *Difference protection*, per relation, until nothing changes (hiding one cell can expose
   another relation):

   - total shown: a reader learns ``S`` = sum of the hidden parts = total − shown parts. This is
     safe only when ``S == 0``, or when ``S >= k`` and ``S`` is not exactly one *protected* cell
     (one below ``k``, or one hidden to protect another relation). A lone remainder with
     ``n >= k`` may be recovered: it is a group of at least ``k``.
   - total hidden: if every part is shown, the total is their sum, so a protected total would
     be recovered; some part must be hidden.

   The fix hides the visible part with the smallest ``n > 0`` (ties by key), reason
   ``"complementary"``; if no part can be hidden, the total is hidden instead.

Invariant after :func:`suppress` (tested with hypothesis): for every relation whose total is
shown, the hidden parts sum to 0 or to at least ``k`` and are not a single protected cell; for
every relation whose total is protected and hidden, at least one part is hidden.

Limits: the guarantee is per relation. A reader who combines several relations in arithmetic the
relations do not name (e.g. tertial 2 − quarter 2 − quarter 3) can learn sums such as
April + September. :func:`period_relations` adds the overlaps that are simple sums (tertial 1 =
quarter 1 + April, tertial 3 = September + quarter 4); callers should not show quarters and
tertials of the same year side by side without both.

Ties are broken by ``n`` and then by ``repr(key)``, so keys should have a stable ``repr``
(strings, ints, tuples, frozen dataclasses).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import get_args

from survey_app.privacy.indexed import Reason, suppress_indexed


@dataclass(frozen=True, slots=True)
class Cell:
    """A group of respondents: ``key`` identifies it, ``n`` is how many answered."""

    key: Hashable
    n: int


@dataclass(frozen=True, slots=True)
class Relation:
    """``total``'s n equals the sum of the ``parts``' n."""

    total: Hashable
    parts: tuple[Hashable, ...]


@dataclass(frozen=True, slots=True)
class OwnAnswers:
    """Key of a unit's own direct answers: a part of the unit's total that is never displayed."""

    unit: Hashable


@dataclass(frozen=True, slots=True)
class Suppression:
    """Whether a cell is hidden, and why (``None`` when shown)."""

    hidden: bool
    reason: Reason | None = None


SHOWN = Suppression(False)
_HIDDEN = {reason: Suppression(True, reason) for reason in get_args(Reason)}


def suppress(
    cells: Iterable[Cell], relations: Iterable[Relation], k: int
) -> dict[Hashable, Suppression]:
    """Decide for every cell whether it is shown; see the module docstring for the rules.

    Raises ``ValueError`` for a bad ``k``, a negative or duplicate cell, a relation naming an
    unknown cell, or a relation whose total is not the sum of its parts.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    counts = _counts(cells)
    relations = list(relations)
    _check_relations(counts, relations)
    keys = list(counts)
    position = {key: i for i, key in enumerate(keys)}
    reasons = suppress_indexed(
        list(counts.values()),
        [(position[r.total], tuple(position[p] for p in r.parts)) for r in relations],
        k,
        [i for i, key in enumerate(keys) if isinstance(key, OwnAnswers)],
        tie_key=lambda i: repr(keys[i]),
    )
    return {key: _decision(reason) for key, reason in zip(keys, reasons, strict=True)}


def _decision(reason: Reason | None) -> Suppression:
    """The (shared, frozen) decision for a reason; ``None`` means shown."""
    return SHOWN if reason is None else _HIDDEN[reason]


def violations(
    relations: Iterable[Relation],
    counts: Mapping[Hashable, int],
    result: Mapping[Hashable, Suppression],
    k: int,
) -> list[Relation]:
    """Return the relations from which a protected value could be recovered (empty when safe)."""
    return [r for r in relations if not _is_safe(r, counts, result, k)]


def _counts(cells: Iterable[Cell]) -> dict[Hashable, int]:
    """Map key to n, refusing duplicates and counts that are not non-negative integers."""
    counts: dict[Hashable, int] = {}
    for cell in cells:
        if isinstance(cell.n, bool) or not isinstance(cell.n, int) or cell.n < 0:
            raise ValueError(f"cell {cell.key!r} has n={cell.n!r}; need an integer >= 0")
        if cell.key in counts:
            raise ValueError(f"duplicate cell {cell.key!r}")
        counts[cell.key] = cell.n
    return counts


def _check_relations(counts: Mapping[Hashable, int], relations: list[Relation]) -> None:
    """Every key must be a known cell and every total the sum of its parts."""
    for relation in relations:
        for key in (relation.total, *relation.parts):
            if key not in counts:
                raise ValueError(f"relation {relation!r} names unknown cell {key!r}")
        parts_sum = sum(counts[part] for part in relation.parts)
        if counts[relation.total] != parts_sum:
            raise ValueError(
                f"relation total {relation.total!r} has n={counts[relation.total]} "
                f"but its parts sum to {parts_sum}"
            )


def _is_protected(key: Hashable, counts: Mapping[Hashable, int], result, k: int) -> bool:
    """A hidden cell whose exact value must stay unknown."""
    status = result[key]
    if not status.hidden:
        return False
    if status.reason == "not_displayed":
        return 0 < counts[key] < k
    return True


def _is_safe(relation: Relation, counts, result, k: int) -> bool:
    """Apply the per-relation rule of the module docstring."""
    # A hidden part with n == 0 hides nothing: a reader may well know that it is empty.
    hidden = [part for part in relation.parts if result[part].hidden and counts[part] > 0]
    if result[relation.total].hidden:
        return bool(hidden) or not _is_protected(relation.total, counts, result, k)
    hidden_sum = sum(counts[part] for part in hidden)
    if hidden_sum == 0:
        return True
    if hidden_sum < k:
        return False
    return not (len(hidden) == 1 and _is_protected(hidden[0], counts, result, k))


def tree_relations(
    parent_of: Mapping[Hashable, Hashable | None], own_counts: Mapping[Hashable, int]
) -> tuple[list[Cell], list[Relation]]:
    """Cells and relations for a unit tree.

    ``parent_of`` maps every unit to its parent (``None`` for a root); ``own_counts`` gives each
    unit's own direct answers (missing means 0). Each unit's cell counts its whole subtree. A unit
    with children gets the relation unit = ``OwnAnswers(unit)`` (only when it has own answers) +
    its children. Raises ``ValueError`` for an unknown parent or a cycle.
    """
    children: dict[Hashable, list[Hashable]] = {unit: [] for unit in parent_of}
    for unit, parent in parent_of.items():
        if parent is not None:
            if parent not in children:
                raise ValueError(f"unit {unit!r} has unknown parent {parent!r}")
            children[parent].append(unit)
    for unit in own_counts:
        if unit not in children:
            raise ValueError(f"own answers given for unknown unit {unit!r}")
    totals: dict[Hashable, int] = {}
    for unit in _post_order(parent_of, children):
        totals[unit] = own_counts.get(unit, 0) + sum(totals[child] for child in children[unit])
    cells = [Cell(unit, totals[unit]) for unit in parent_of]
    relations = []
    for unit in parent_of:
        if not children[unit]:
            continue
        parts = tuple(children[unit])
        if own_counts.get(unit, 0):
            cells.append(Cell(OwnAnswers(unit), own_counts[unit]))
            parts = (OwnAnswers(unit), *parts)
        relations.append(Relation(unit, parts))
    return cells, relations


def _post_order(parent_of, children) -> list[Hashable]:
    """Units with every child before its parent; ``ValueError`` on a cycle."""
    order: list[Hashable] = []
    roots = [unit for unit, parent in parent_of.items() if parent is None]
    stack = [(root, False) for root in roots]
    while stack:
        unit, expanded = stack.pop()
        if expanded:
            order.append(unit)
            continue
        stack.append((unit, True))
        stack.extend((child, False) for child in children[unit])
    if len(order) != len(parent_of):
        raise ValueError("the unit tree has a cycle")
    return order


_QUARTERS = {f"Q{q}": tuple(range(3 * q - 2, 3 * q + 1)) for q in range(1, 5)}
_TERTIALS = {f"T{t}": tuple(range(4 * t - 3, 4 * t + 1)) for t in range(1, 4)}


def period_relations(month_counts: Mapping[str, int]) -> tuple[list[Cell], list[Relation]]:
    """Cells and relations for months, quarters, tertials and years.

    ``month_counts`` maps ``"YYYY-MM"`` to n; months of a touched year that are missing count as
    0. Keys follow DESIGN §3: ``"2026-03"``, ``"2026-Q1"``, ``"2026-T1"`` (Jan–Apr), ``"2026"``.
    Relations: quarter = its months, tertial = its months, year = its months, year = its
    quarters, year = its tertials, tertial 1 = quarter 1 + April, tertial 3 = September +
    quarter 4.
    """
    years = sorted({_parse_month(key)[0] for key in month_counts})
    cells: list[Cell] = []
    relations: list[Relation] = []
    for year in years:
        month = {m: f"{year}-{m:02d}" for m in range(1, 13)}
        n = {key: month_counts.get(key, 0) for key in month.values()}
        cells.extend(Cell(key, count) for key, count in n.items())
        groups = {f"{year}-{name}": ms for name, ms in (_QUARTERS | _TERTIALS).items()}
        for key, months in groups.items():
            cells.append(Cell(key, sum(n[month[m]] for m in months)))
            relations.append(Relation(key, tuple(month[m] for m in months)))
        year_key = str(year)
        cells.append(Cell(year_key, sum(n.values())))
        relations += [
            Relation(year_key, tuple(month.values())),
            Relation(year_key, tuple(f"{year}-{q}" for q in _QUARTERS)),
            Relation(year_key, tuple(f"{year}-{t}" for t in _TERTIALS)),
            Relation(f"{year}-T1", (f"{year}-Q1", month[4])),
            Relation(f"{year}-T3", (month[9], f"{year}-Q4")),
        ]
    return cells, relations


def _parse_month(key: str) -> tuple[int, int]:
    """``"2026-03"`` → (2026, 3); ``ValueError`` for anything else."""
    year, sep, month = key.partition("-")
    if not (sep and year.isdigit() and len(year) == 4 and month.isdigit() and len(month) == 2):
        raise ValueError(f"month key must look like '2026-03', got {key!r}")
    if not 1 <= int(month) <= 12:
        raise ValueError(f"month out of range in {key!r}")
    return int(year), int(month)
