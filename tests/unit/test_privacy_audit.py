"""The exact audit against brute force: two linear programs per protected cell and layer.

The audit finds pinned cells from the affine hull of what a reader knows (one LP per layer and
an elimination). Here every answer is checked against the attacker's own method, a minimum and
a maximum by ``linprog`` for each target, on random systems built like the ledger's: nested
cells (a tree over units × months), zeros in some layers, hidden cells with their "at least one"
label.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from survey_app.privacy.audit import Auditor, audit


def _brute(atoms, published, values, hidden, target, layer) -> bool:
    a_eq = np.zeros((len(published), atoms))
    for i, cell in enumerate(published):
        a_eq[i, cell] = 1.0
    a_ub = np.zeros((len(hidden), atoms))
    for i, cell in enumerate(hidden):
        a_ub[i, cell] = -1.0
    objective = np.zeros(atoms)
    objective[target] = 1.0
    labels = layer == 0 and len(hidden)
    ends = []
    for sign in (1.0, -1.0):
        solved = linprog(sign * objective, A_eq=a_eq if len(published) else None,
                         b_eq=values[:, layer] if len(published) else None,
                         A_ub=a_ub if labels else None,
                         b_ub=-np.ones(len(hidden)) if labels else None,
                         bounds=(0, None), method="highs")
        assert solved.status in (0, 3)
        ends.append(sign * solved.fun if solved.status == 0 else np.inf)
    return abs(ends[1] - ends[0]) < 1e-7


def _system(seed: int):
    """A random tree over units × months, its subtree × month/quarter cells, and counts."""
    rng = np.random.default_rng(seed)
    units = int(rng.integers(3, 7))
    months = int(rng.integers(2, 4))
    parent = [-1] + [int(rng.integers(0, u)) for u in range(1, units)]
    members = [{u} for u in range(units)]
    for u in range(units - 1, 0, -1):
        members[parent[u]] |= members[u]
    atom = {(u, m): u * months + m for u in range(units) for m in range(months)}
    n = rng.choice([1, 2, 3, 6, 12], size=units * months, p=[.3, .2, .15, .2, .15])
    # Category layers: a random split of each atom's respondents, with some layers empty.
    split = np.zeros((units * months, 3), dtype=int)
    for j, total in enumerate(n):
        weights = rng.dirichlet(np.ones(3)) * (rng.random(3) > 0.3)
        weights = weights / weights.sum() if weights.sum() else np.array([1.0, 0, 0])
        split[j] = rng.multinomial(total, weights)
    table = np.column_stack([n, split])
    cells = [sorted(atom[(u, m)] for u in members[x] for m in period)
             for x in range(units) for period in ([[m] for m in range(months)]
                                                  + [list(range(months))])]
    shown = rng.random(len(cells)) < 0.6
    published = [c for c, s in zip(cells, shown, strict=True) if s]
    hidden = [c for c, s in zip(cells, shown, strict=True) if not s]
    values = np.array([table[c].sum(axis=0) for c in published]).reshape(-1, 4)
    targets = [c for c in cells if 0 < table[c, 0].sum() < 5] + [[j] for j in range(len(n))]
    return units * months, published, values, hidden, targets


@pytest.mark.parametrize("seed", range(60))
def test_the_audit_pins_exactly_what_two_linear_programs_pin(seed):
    atoms, published, values, hidden, targets = _system(seed)
    found = audit(atoms, published, values, hidden, targets).determined
    for layer in range(4):
        expected = [_brute(atoms, published, values, hidden, t, layer) for t in targets]
        assert found[layer].tolist() == expected, (seed, layer)


def test_a_zero_in_a_shown_total_pins_every_part_of_it():
    # Parent (atoms 0, 1) shown with no promoters: the hidden child's promoters are 0.
    result = audit(2, [[0, 1]], np.array([[7, 3, 4, 0]]), [[0]], [[0]])
    assert result.determined[:, 0].tolist() == [False, False, False, True]


def test_the_hidden_label_pins_a_single_answer_left_over():
    # Total 6 shown, the big part 5 shown: the hidden rest holds at least one, so exactly one.
    result = audit(3, [[0, 1, 2], [0]], np.array([[6], [5]]), [[1, 2]], [[1, 2], [1]])
    assert result.determined[0].tolist() == [True, False]
    # Without the label the rest is pinned anyway (6 − 5); with two hidden parts and a rest of
    # 2 each part holds exactly one.
    result = audit(3, [[0, 1, 2], [0]], np.array([[7], [5]]), [[1], [2]], [[1], [2]])
    assert result.determined[0].tolist() == [True, True]


def test_nothing_pinned_when_the_rest_has_room():
    result = audit(3, [[0, 1, 2], [0]], np.array([[9], [5]]), [[1], [2]], [[1], [2]])
    assert not result.any


@pytest.mark.parametrize("seed", range(12))
def test_repeated_checks_on_one_auditor_equal_fresh_audits(seed):
    # The auditor eliminates the fixed cells once and undoes each check: checks in any order
    # must give what a fresh audit gives.
    atoms, published, values, hidden, targets = _system(seed)
    half = len(published) // 2
    auditor = Auditor(atoms, published[:half], values[:half], targets)
    rng = np.random.default_rng(seed)
    for _ in range(3):
        keep = sorted(rng.choice(np.arange(half, len(published)),
                                 size=rng.integers(0, len(published) - half + 1),
                                 replace=False).tolist())
        dropped = [published[i] for i in range(half, len(published)) if i not in keep]
        got = auditor.check([published[i] for i in keep], values[keep], [*hidden, *dropped])
        fresh = audit(atoms, published[:half] + [published[i] for i in keep],
                      np.vstack([values[:half], values[keep]]), [*hidden, *dropped], targets)
        assert got.determined.tolist() == fresh.determined.tolist()


@pytest.mark.parametrize("seed", range(40))
def test_nested_checks_with_bounds_and_kept_eliminations_equal_fresh_audits(seed):
    # A chain of readers, each knowing more than the one before (cells moved from hidden to
    # shown one at a time, in a random order), checked out of order on one auditor with the
    # neighbours as ``inner``/``outer`` bounds and a subset of targets: every answer must be a
    # fresh audit's.
    atoms, published, values, hidden, targets = _system(seed)
    rng = np.random.default_rng(100 + seed)
    cells = [*published, *hidden]
    table = np.vstack([values, np.zeros((len(hidden), 4))])
    auditor = Auditor(atoms, [], np.zeros((0, 4)), targets)
    order = rng.permutation(len(published))
    steps = list(range(len(published) + 1))
    shown_at = {s: sorted(order[:s].tolist()) for s in steps}
    results = {}
    pinned_any = 0
    for s in [steps[-1], steps[0], *rng.permutation(steps[1:-1]).tolist()]:
        shown = shown_at[s]
        rest = [cells[i] for i in range(len(cells)) if i not in shown]
        inner = [results[t] for t in results if t < s]
        outer = [results[t] for t in results if t > s]
        chosen = sorted(rng.choice(len(targets), size=max(1, len(targets) // 2),
                                   replace=False).tolist())
        got = auditor.check([cells[i] for i in shown], table[shown], rest, targets=chosen,
                            inner=inner, outer=outer)
        results[s] = got
        fresh = audit(atoms, [cells[i] for i in shown], table[shown], rest, targets)
        expected = np.zeros_like(fresh.determined)
        expected[:, chosen] = fresh.determined[:, chosen]
        assert got.determined.tolist() == expected.tolist(), (seed, s)
        pinned_any += int(expected.sum())
    # The systems are built so that something is pinned somewhere (not a vacuous comparison).
    assert pinned_any


@pytest.mark.parametrize("seed", range(30))
def test_elimination_modulo_the_fixed_cells_equals_elimination_of_everything(seed):
    # The auditor reduces every vector by the fixed cells once and eliminates the rest in the
    # free columns (_Quotient). Membership of each group in the span must be what a single
    # elimination of fixed and new cells gives, also after undoing part of the new ones.
    from survey_app.privacy.audit import _Quotient
    from survey_app.privacy.gauss import GaussSystem

    rng = np.random.default_rng(seed)
    atoms = int(rng.integers(4, 14))

    def cells(count):
        return [sorted(rng.choice(atoms, size=int(rng.integers(1, atoms)),
                                  replace=False).tolist()) for _ in range(count)]

    fixed, new, groups = cells(int(rng.integers(0, atoms))), cells(atoms), cells(12)
    auditor = Auditor(atoms, fixed, np.zeros((len(fixed), 1)), groups)
    quotient = _Quotient(len(auditor.free))
    cut = int(rng.integers(0, len(new) + 1))
    marks = []
    for cell in new:
        marks.append(quotient.snapshot())
        quotient.publish(auditor._reduced(tuple(cell)))
    quotient.restore(marks[cut] if cut < len(new) else quotient.snapshot())
    whole = GaussSystem(atoms)
    for cell in [*fixed, *new[:cut]]:
        whole.publish(cell, force=True)
    expected = [not whole.reduce(g).any() for g in groups]
    got = [not quotient.reduce(auditor._reduced(tuple(g))).any() for g in groups]
    assert got == expected
    if seed == 0:
        assert any(expected) and not all(expected)
