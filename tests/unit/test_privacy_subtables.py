"""The Gaussian check by sub-tables: the same answer where the table is one sub-table, and in
every sub-table of a deep tree no protected quantity left in the span of what it shows."""

from __future__ import annotations

import numpy as np
import pytest

from survey_app.privacy.gauss import GaussSystem, gauss_suppress
from survey_app.privacy.subtables import Cell, suppress_by_subtables


def _county(seed: int, depth: int):
    """A random tree (``depth`` 2: a root and leaves), 4 months with one quarter-like period,
    each unit's subtree cells, counts in 4 layers; the primaries are the small atoms."""
    rng = np.random.default_rng(seed)
    units = int(rng.integers(4, 10))
    if depth == 2:
        parent = [-1] + [0] * (units - 1)
    else:
        parent = [-1] + [int(rng.integers(0, u)) for u in range(1, units)]
    members = [{u} for u in range(units)]
    for u in range(units - 1, 0, -1):
        members[parent[u]] |= members[u]
    months = 4
    slots = [(u, m) for u in range(units) for m in range(months) if rng.random() > 0.1]
    atom = {key: j for j, key in enumerate(slots)}
    n = rng.choice([1, 2, 3, 7, 15], size=len(slots), p=[.25, .15, .1, .25, .25])
    layers = np.column_stack([n, rng.binomial(n, 0.3), np.zeros(len(n), int),
                              np.zeros(len(n), int)])
    layers[:, 2] = rng.binomial(n - layers[:, 1], 0.5)
    layers[:, 3] = n - layers[:, 1] - layers[:, 2]
    cells = []
    for u in range(units):
        for span in ([0], [1], [2], [3], [0, 1, 2], [0, 1, 2, 3]):
            atoms = sorted(atom[(x, m)] for x in members[u] for m in span if (x, m) in atom)
            if atoms:
                total = layers[atoms].sum(axis=0)
                cells.append(Cell(u, atoms, tuple(int(v) for v in total[1:]), int(total[0])))
    primaries = [[j] for j in range(len(slots)) if n[j] < 5]
    order = sorted(range(len(cells)), key=lambda i: (-cells[i].n, i))
    candidates = [cells[i] for i in order if not 0 < cells[i].n < 5]
    primaries += [list(c.atoms) for c in cells if 0 < c.n < 5]
    return parent, [u for u, _m in slots], [m for _u, m in slots], candidates, primaries


@pytest.mark.parametrize("seed", range(25))
def test_one_sub_table_decides_as_the_whole_table_does(seed):
    # A root with leaves is a single sub-table: the answer must be gauss_suppress's own.
    parent, units, slots, candidates, primaries = _county(seed, depth=2)
    got = suppress_by_subtables(parent, units, slots, [], primaries, candidates)
    expected = gauss_suppress(len(units), [], primaries, [c.atoms for c in candidates],
                              candidate_values=[c.values for c in candidates],
                              candidate_counts=[c.n for c in candidates])
    assert got == expected


@pytest.mark.parametrize("seed", range(25))
def test_in_every_family_nothing_protected_is_a_sum_of_shown_cells(seed):
    # A family is a unit, its children and its own answers. What a family's shown cells
    # determine must leave every small atom and every hidden cell of it undetermined.
    parent, units, slots, candidates, primaries = _county(seed, depth=3)
    shown = suppress_by_subtables(parent, units, slots, [], primaries, candidates)
    small = [set(g) for g in primaries]
    for v in sorted(set(parent) - {-1}):
        family = {v, *(u for u, p in enumerate(parent) if p == v)}
        # The family's quantities in atoms: each child's subtree and v's own atoms.
        system = GaussSystem(len(units))
        for c, ok in zip(candidates, shown, strict=True):
            if ok and c.unit in family:
                system.publish(list(c.atoms), force=True)
        # In atoms, the family's shown cells determine sums over a child's subtree at most,
        # and never a protected group that is one of the family's quantities: a small atom of
        # its own, or a small subtree cell of it or of a child.
        own = {j for j, u in enumerate(units) if u == v}
        quantities = [g for g in small if g <= own]
        quantities += [set(c.atoms) for c in _cells_of(parent, units, slots, family)
                       if set(c.atoms) in small]
        assert quantities or not any(g <= own for g in small)
        for group in quantities:
            assert system.reduce(sorted(group)).any(), (seed, v, sorted(group))


def _cells_of(parent, units, slots, family):
    """The subtree × period cells of the units in ``family`` (atoms only)."""
    members = {u: {u} for u in range(len(parent))}
    for u in range(len(parent) - 1, 0, -1):
        members[parent[u]] |= members[u]
    result = []
    for u in family:
        for span in ([0], [1], [2], [3], [0, 1, 2], [0, 1, 2, 3]):
            atoms = [j for j, (x, m) in enumerate(zip(units, slots, strict=True))
                     if x in members[u] and m in span]
            if atoms:
                result.append(Cell(u, atoms, (), 0))
    return result
