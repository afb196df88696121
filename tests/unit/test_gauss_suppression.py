"""GaussSuppression-style check, against an independent rank computation and an LP."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from survey_app.privacy.gauss import gauss_suppress


def _matrix(cells, atoms):
    matrix = np.zeros((len(cells), atoms))
    for i, cell in enumerate(cells):
        matrix[i, list(cell)] = 1.0
    return matrix


def _determined(published, target, atoms) -> bool:
    """True when ``target`` is a linear combination of ``published`` (rank over the reals)."""
    if not published:
        return False
    base = _matrix(published, atoms)
    both = np.vstack([base, _matrix([target], atoms)])
    return np.linalg.matrix_rank(both) == np.linalg.matrix_rank(base)


def test_a_parent_with_one_small_child_hides_a_sibling():
    # atoms: A1 = 0 (3 answers, primary), A2 = 1, A3 = 2; the parent is all three
    assert gauss_suppress(3, [], [[0]], [[0, 1, 2], [1], [2]]) == [True, True, False]


def test_an_unshown_own_answer_atom_keeps_every_child_publishable():
    assert gauss_suppress(4, [], [[0]], [[0, 1, 2, 3], [1], [2]]) == [True, True, True]


def test_earlier_releases_are_fixed_so_the_new_total_gives_way():
    # January (atom 0) and February (atom 1) were published; March (2) is small.
    assert gauss_suppress(3, [[0], [1]], [[2]], [[0, 1, 2]]) == [False]


def test_quarter_minus_tertial_plus_months_cannot_give_april():
    # atoms: Apr..Sep = 0..5 of one unit; April (0) is small.
    q2, t2, q3 = [0, 1, 2], [1, 2, 3, 4], [3, 4, 5]
    months = [[1], [2], [3], [4], [5]]
    decisions = gauss_suppress(6, [], [[0]], [q2, t2, q3, *months])
    shown = [c for c, ok in zip([q2, t2, q3, *months], decisions, strict=True) if ok]
    assert not _determined(shown, [0], 6)


def test_a_published_zero_in_a_category_pins_nothing_small():
    # passives: T2 (May–Aug) has none; Q2 − June − May would be April's passives.
    values = [(0,), (1,), (0,), (0,), (0,), (0,)]
    cells = [[1, 2, 3, 4], [0, 1, 2], [2], [3], [4], [1]]
    decisions = gauss_suppress(5, [], [[0]], cells, candidate_values=values)
    assert decisions[1] is False  # Q2 hidden


def _lp_pinned(published, values, target, atoms) -> bool:
    a_eq = _matrix(published, atoms)
    objective = _matrix([target], atoms)[0]
    low = linprog(objective, A_eq=a_eq, b_eq=values, bounds=(0, None), method="highs")
    high = linprog(-objective, A_eq=a_eq, b_eq=values, bounds=(0, None), method="highs")
    if low.status != 0 or high.status != 0:  # unbounded: nothing pins it
        return False
    return abs(low.fun + high.fun) < 1e-6


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_no_primary_is_ever_a_combination_of_what_is_shown(data):
    atoms = data.draw(st.integers(2, 7))
    counts = data.draw(st.lists(st.integers(1, 12), min_size=atoms, max_size=atoms))
    cells = data.draw(st.lists(st.sets(st.integers(0, atoms - 1), min_size=1),
                               min_size=1, max_size=10))
    k = 5
    primaries = [sorted(c) for c in cells if sum(counts[a] for a in c) < k]
    primaries += [[a] for a in range(atoms) if counts[a] < k]
    candidates = sorted((sorted(c) for c in cells if sum(counts[a] for a in c) >= k),
                        key=lambda c: -sum(counts[a] for a in c))
    decisions = gauss_suppress(atoms, [], primaries, candidates)
    shown = [c for c, ok in zip(candidates, decisions, strict=True) if ok]
    for primary in primaries:
        assert not _determined(shown, primary, atoms)
        if shown:  # and the LP with non-negativity cannot pin its count either
            values = [sum(counts[a] for a in c) for c in shown]
            assert not _lp_pinned(shown, values, primary, atoms)
