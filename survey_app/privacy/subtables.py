"""The Gaussian check run sub-table by sub-table down the unit tree (HiTaS-style).

:func:`survey_app.privacy.gauss.gauss_suppress` over a whole year works on every atom of the
county at once: each step costs the size of the table, and a year of a large county costs its
square. Statistics Netherlands' HiTaS (τ-ARGUS; de Wolf, *HiTaS: a heuristic approach to cell
suppression in hierarchical tables*, 2002) splits a hierarchical table into sub-tables instead:

- one sub-table per unit ``v`` with children: ``v``'s own answers and each child's subtree
  total, over every period of the year (a child's subtree is one *super-atom* per month and
  release segment, so a child's cell and ``v``'s cell are sums of them);
- the sub-tables are protected top-down. A cell of ``v`` is decided in the sub-table of ``v``'s
  parent, as one of its children; in ``v``'s own sub-table it is the total, already decided:
  shown, or hidden and then protected like a primary cell, so that ``v``'s children cannot
  give it away.

Each sub-table is the size of a family (a unit and its children), so the whole check grows
with the number of units, not with its square. It sees less than a reader who combines
sub-tables, which is why the exact audit (:mod:`survey_app.privacy.audit`, by parts) checks
its result and hides more where it must; here it only has to leave the audit little to do.

Pure numpy: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from survey_app.privacy.gauss import gauss_suppress


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell of the year: its unit (tree position), atoms, layer counts and respondents."""

    unit: int
    atoms: Sequence[int]
    values: Sequence[int]
    n: int


def suppress_by_subtables(parent: Sequence[int], atom_unit: Sequence[int],
                          atom_slot: Sequence[Hashable], published: Sequence[Cell],
                          primaries: Sequence[Sequence[int]],
                          candidates: Sequence[Cell]) -> list[bool]:
    """Which ``candidates`` (in priority order) may be published, sub-table by sub-table.

    ``parent``: each unit's parent position (−1 for a root); ``atom_unit`` / ``atom_slot``:
    each atom's unit (−1: not in the tree) and its slot (month and release segment: atoms of
    one slot add up across units). ``published``: the cells of earlier releases;
    ``primaries``: the protected groups (atom lists); ``candidates``: this release's cells,
    most wanted first.
    """
    units = len(parent)
    children: list[list[int]] = [[] for _ in range(units)]
    for u, p in enumerate(parent):
        if p >= 0:
            children[int(p)].append(u)
    # Which sub-tables an atom is in, and as what: for every ancestor v of the atom's unit,
    # as part of the subtree of v's child on the way (its branch); in its own unit's
    # sub-table as itself.
    tables: dict[int, _Table] = {}

    def table(v: int) -> _Table:
        if v not in tables:
            tables[v] = _Table()
        return tables[v]

    for a, (u, slot) in enumerate(zip(atom_unit, atom_slot, strict=True)):
        u = int(u)
        if u < 0:  # a unit no longer in the tree: in no sub-table (the audit still counts it)
            continue
        if children[u] or parent[u] < 0:
            table(u).add(a, u, slot)
        branch, v = u, int(parent[u])
        while v >= 0:
            table(v).add(a, branch, slot)
            branch, v = v, int(parent[v])
    decided: dict[int, bool] = {}
    by_unit: dict[int, list[int]] = {}
    for i, cell in enumerate(candidates):
        by_unit.setdefault(cell.unit, []).append(i)
    fixed_by_unit: dict[int, list[Cell]] = {}
    for cell in published:
        fixed_by_unit.setdefault(cell.unit, []).append(cell)
    order = [u for u in range(units) if parent[u] < 0]
    for v in order:  # top-down: order grows as it is walked
        order += children[v]
    groups = [list(g) for g in primaries if len(g)]
    for v in order:
        if v not in tables:
            continue
        sub = tables[v]
        family = [v, *children[v]]
        fixed = [c for u in family for c in fixed_by_unit.get(u, ())]
        own = by_unit.get(v, [])
        # The total's cells were decided above (a root's are decided here).
        above = [i for i in own if i in decided]
        fixed += [candidates[i] for i in above if decided[i]]
        protect = [sub.map(candidates[i].atoms) for i in above if not decided[i]]
        protect += [mapped for g in groups if (mapped := sub.exact(g)) is not None]
        asked = [i for u in family for i in by_unit.get(u, ()) if i not in decided]
        asked.sort()
        if not protect:
            # Nothing to protect here: gauss_suppress would show every cell.
            decided.update((i, True) for i in asked)
            continue
        # A cell of an earlier release whose atoms are not this sub-table's quantities (a unit
        # moved since) is left out: the audit still counts it.
        fixed = [c for c in fixed if sub.exact(c.atoms) is not None]
        mapped_fixed = [sub.map(c.atoms) for c in fixed]
        answers = gauss_suppress(
            sub.size, mapped_fixed, protect, [sub.map(candidates[i].atoms) for i in asked],
            published_values=[c.values for c in fixed],
            candidate_values=[candidates[i].values for i in asked],
            published_counts=[c.n for c in fixed],
            candidate_counts=[candidates[i].n for i in asked])
        decided.update(zip(asked, answers, strict=True))
    # Every candidate is in its parent's sub-table (or a root's own); one that is not would be
    # hidden rather than shown unchecked.
    return [decided.get(i, False) for i in range(len(candidates))]


class _Table:
    """One sub-table's super-atoms: (branch unit, slot) → local position."""

    def __init__(self) -> None:
        self.local: dict[tuple[int, Hashable], int] = {}
        self.of_atom: dict[int, int] = {}
        self.sizes: list[int] = []

    @property
    def size(self) -> int:
        return max(len(self.sizes), 1)

    def add(self, atom: int, branch: int, slot: Hashable) -> None:
        key = (branch, slot)
        position = self.local.get(key)
        if position is None:
            position = self.local[key] = len(self.sizes)
            self.sizes.append(0)
        self.sizes[position] += 1
        self.of_atom[atom] = position

    def map(self, atoms: Sequence[int]) -> list[int]:
        """The cell's super-atoms here (its atoms must all be in this sub-table)."""
        return sorted({self.of_atom[int(a)] for a in atoms})

    def exact(self, atoms: Sequence[int]) -> list[int] | None:
        """The group's super-atoms, when they hold exactly its atoms (else None: the group is
        not a quantity of this sub-table)."""
        if not all(int(a) in self.of_atom for a in atoms):
            return None
        mapped = self.map(atoms)
        return mapped if sum(self.sizes[p] for p in mapped) == len(set(atoms)) else None
