"""The reader's system split into parts: every answer equals the whole system's audit.

``survey_app.privacy.parts`` audits one part of the reader's system at a time. The split is
exact only if no constraint is lost or weakened on the way; so here random tables built like
the ledger's (a unit tree × months, with quarter and year cells, some cells hidden, zeros in
some layers, the atoms' true counts known or not) are audited both ways, by parts and as one
system with :func:`survey_app.privacy.audit.audit` (itself checked against two linear
programs per target in ``test_privacy_audit.py``), and for bisection trials that show any
subset of the open cells.
"""

from __future__ import annotations

import numpy as np
import pytest

from survey_app.privacy.audit import audit
from survey_app.privacy.parts import HIDDEN, OPEN, SHOWN, Cells, Trials, audit_parts


def _table(seed: int, units: int | None = None, months: int = 6):
    """A random tree × months: cells (month, quarter of 3 months, year per unit subtree), their
    sub-cells as publishing lists them, counts per layer, and the protected groups."""
    rng = np.random.default_rng(seed)
    units = units or int(rng.integers(4, 9))
    parent = [-1] + [int(rng.integers(0, u)) for u in range(1, units)]
    children = [[c for c in range(units) if parent[c] == u] for u in range(units)]
    members = [{u} for u in range(units)]
    for u in range(units - 1, 0, -1):
        members[parent[u]] |= members[u]
    # Some atoms are empty (not listed), as units without answers in a month.
    present = [(u, m) for u in range(units) for m in range(months) if rng.random() > 0.1]
    atom = {key: j for j, key in enumerate(present)}
    n = rng.choice([1, 2, 3, 6, 12], size=len(present), p=[.3, .2, .15, .2, .15])
    split = np.zeros((len(present), 3), dtype=int)
    for j, total in enumerate(n):
        weights = rng.dirichlet(np.ones(3)) * (rng.random(3) > 0.3)
        weights = weights / weights.sum() if weights.sum() else np.array([1.0, 0, 0])
        split[j] = rng.multinomial(total, weights)
    table = np.column_stack([n, split])
    periods = {f"m{m}": [m] for m in range(months)}
    periods |= {f"q{q}": list(range(3 * q, min(3 * q + 3, months)))
                for q in range((months + 2) // 3)}
    periods["y"] = list(range(months))
    keys, cells = [], []
    for u in range(units):
        for label, span in periods.items():
            atoms = sorted(atom[(x, m)] for x in members[u] for m in span if (x, m) in atom)
            if atoms:
                keys.append((u, label))
                cells.append(atoms)
    position = {key: i for i, key in enumerate(keys)}

    def subkeys(u, label):
        if label.startswith("m"):
            return [(c, label) for c in children[u]]
        if label == "y":
            return [(u, q) for q in periods if q.startswith("q")]
        return [(u, f"m{m}") for m in periods[label]]

    subcells = [[position[k] for k in subkeys(u, label) if k in position] for u, label in keys]
    values = np.array([table[c].sum(axis=0) for c in cells])
    targets = [[j] for j in range(len(present)) if n[j] < 5]
    targets += [c for c in cells if table[c, 0].sum() < 5 and len(c) > 1]
    # Every other table gives the audit the true counts of the atoms (in every layer, or in
    # the first only, as publishing does): they may only make it cheaper, never change it.
    truth = None
    if seed % 2 == 0:
        truth = table.astype(float)
        if seed % 4 == 0:
            truth[:, 1:] = np.nan
    return Cells(len(present), cells, values, subcells, targets, truth), rng


def _whole(cells: Cells, state: np.ndarray) -> np.ndarray:
    shown = np.flatnonzero(state == SHOWN)
    hidden = [cells.cells[i] for i in np.flatnonzero(state == HIDDEN)]
    return audit(cells.atoms, [cells.cells[i] for i in shown], cells.values[shown], hidden,
                 cells.targets).determined


@pytest.mark.parametrize("seed", range(60))
def test_an_audit_by_parts_pins_what_the_whole_system_pins(seed):
    cells, rng = _table(seed)
    for share in (0.9, 0.6):
        state = np.where(rng.random(len(cells.cells)) < share, SHOWN, HIDDEN).astype(np.int8)
        every = list(range(len(cells.targets)))
        found, audited = audit_parts(cells, state, every)
        assert audited.all()
        assert found.tolist() == _whole(cells, state).tolist(), (seed, share)


@pytest.mark.parametrize("seed", range(150))
def test_the_parts_round_a_changed_cell_hold_every_changed_answer(seed):
    # After one cell is hidden, only the parts holding a constraint it changed are audited
    # again: every target outside them must keep its answer.
    cells, rng = _table(seed)
    state = np.where(rng.random(len(cells.cells)) < 0.8, SHOWN, HIDDEN).astype(np.int8)
    before = _whole(cells, state)
    shown = np.flatnonzero(state == SHOWN)
    hide = int(rng.choice(shown))
    state[hide] = HIDDEN
    after = _whole(cells, state)
    again, audited = audit_parts(cells, state, hidden=hide)
    assert (before[:, ~audited] == after[:, ~audited]).all()
    assert (again[:, audited] == after[:, audited]).all()


@pytest.mark.parametrize("seed", range(30))
def test_every_trial_of_a_bisection_pins_what_the_whole_system_pins(seed):
    cells, rng = _table(seed)
    if not cells.targets:
        return
    state = np.where(rng.random(len(cells.cells)) < 0.75, SHOWN, HIDDEN).astype(np.int8)
    shown = np.flatnonzero(state == SHOWN)
    opened = rng.choice(shown, size=min(len(shown), 6), replace=False).tolist()
    state[opened] = OPEN
    target = int(rng.integers(len(cells.targets)))
    trials = Trials(cells, state, target)
    for _ in range(4):
        showing = [i for i in opened if rng.random() < 0.5]
        trial = state.copy()
        trial[opened] = HIDDEN
        trial[showing] = SHOWN
        got = trials.check(showing).determined[:, 0]
        assert got.tolist() == _whole(cells, trial)[:, target].tolist(), (seed, showing)


def test_a_part_stays_as_small_as_the_hidden_cells_around_it():
    # A wide table with every cell shown but one leaf's month: the leaf's part is that month's
    # own atoms and its parent's (the parent's month minus the shown siblings), whatever the
    # size of the rest of the table.
    cells, _rng = _table(3, units=40)
    state = np.full(len(cells.cells), SHOWN, dtype=np.int8)
    leaf_month = next(i for i, subs in enumerate(cells.subcells)
                      if not subs and len(cells.cells[i]) == 1)
    state[leaf_month] = HIDDEN
    atom = cells.cells[leaf_month][0]
    part = cells.split(state).part_of_atom(atom)
    assert len(part.atoms) <= 2
    assert cells.atoms > 150
