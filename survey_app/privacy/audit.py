"""Exact audit of a release against a reader who solves linear programs.

The Gaussian check (:mod:`survey_app.privacy.gauss`) keeps every protected cell outside the
linear span of the published cells, and follows the zeros that non-negativity gives away with
heuristics. This module decides the question itself, exactly, for the strongest reader of the
release model: one who knows every published cell of every release (per layer: respondents,
detractors, passives, promoters), knows which atoms are empty, knows that every atom is
non-negative and that a cell shown as hidden holds at least one respondent.

What that reader knows about the atoms ``x`` is a polyhedron

    P = {x : A x = b, x ≥ 0, H x ≥ 1}         (H: the hidden cells, respondent layer only).

A protected cell ``c`` (a 0/1 vector over atoms) is *exactly determined* when ``c·x`` takes one
value on all of ``P``, i.e. when a linear program's minimum and maximum of ``c·x`` meet. Instead
of two linear programs per protected cell and layer, the audit uses the affine hull of ``P``:

- The *implicit equalities* of ``P`` are the inequalities that hold with equality at every
  point of ``P`` (an atom that must be 0, a hidden cell that must hold exactly one respondent).
  Then ``aff(P) = {x : A x = b, x_Z = 0, H_I x = 1}`` for the implicit zero atoms ``Z`` and the
  implicitly tight hidden cells ``I`` (Schrijver, *Theory of Linear and Integer Programming*,
  1986, §8.2).
- A linear function is constant on ``P`` if and only if it is constant on ``aff(P)``, i.e. if
  and only if ``c`` lies in the row space of ``[A; E_Z; H_I]``: a Gaussian test, done with
  :class:`~survey_app.privacy.gauss.GaussSystem` (exact arithmetic modulo a prime).
- ``Z`` and ``I`` come from one linear program per layer (HiGHS through
  ``scipy.optimize.linprog``) over the homogenised cone ``A y = λ b, y ≥ 0, H y ≥ λ, λ ≥ 1``:
  maximise ``Σ z`` with ``0 ≤ z ≤ 1`` below every slack. A slack that is positive somewhere
  on ``P`` is positive at a relative interior point, and scaling by ``λ`` lifts it to 1; a slack
  that is zero on all of ``P`` stays 0. So at the optimum ``z = 1`` exactly off ``Z ∪ I``.

So the audit costs one linear program per layer and one elimination, whatever the number of
protected cells, and its answer is the one an LP attacker would reach cell by cell.

Pure numpy/scipy: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from survey_app.privacy.gauss import GaussSystem

#: A slack is taken as positive somewhere on P when the LP lifts it above this (it is 0 or 1
#: at the optimum; HiGHS works to about 1e-7).
LIFTED = 0.5


class AuditError(RuntimeError):
    """The published cells contradict each other (the LP is infeasible): a bug, not a reader."""


@dataclass(frozen=True, slots=True)
class AuditResult:
    """Which protected cells a reader can pin, per layer (rows: layers, columns: targets)."""

    determined: np.ndarray

    @property
    def any(self) -> bool:
        """True when some protected cell is pinned in some layer."""
        return bool(self.determined.any())


def _incidence(cells: Sequence[Sequence[int]], atoms: int) -> sparse.csr_matrix:
    """The 0/1 matrix of ``cells`` (one row per cell) over ``atoms`` columns."""
    rows = np.repeat(np.arange(len(cells)), [len(c) for c in cells])
    columns = np.fromiter((a for c in cells for a in c), dtype=np.int64, count=len(rows))
    data = np.ones(len(rows))
    matrix = sparse.csr_matrix((data, (rows, columns)), shape=(len(cells), atoms))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def implicit_equalities(a: sparse.csr_matrix, b: np.ndarray,
                        h: sparse.csr_matrix | None) -> tuple[np.ndarray, np.ndarray]:
    """Atoms that are 0 and hidden cells that hold exactly 1 on all of ``P`` (boolean masks).

    ``P = {x : a x = b, x ≥ 0, h x ≥ 1}``; ``h`` may be None (no labels in this layer).
    """
    m = a.shape[1]
    hidden = 0 if h is None else h.shape[0]
    # Variables: y (m), λ (1), z_atoms (m), z_hidden (hidden).
    size = 2 * m + 1 + hidden
    eye = sparse.identity(m, format="csr")
    zero_col = sparse.csr_matrix((m, 1))
    blocks_eq = [a, sparse.csr_matrix(-b.reshape(-1, 1)),
                 sparse.csr_matrix((a.shape[0], m + hidden))]
    a_eq = sparse.hstack(blocks_eq, format="csr")
    # z_atom − y ≤ 0
    upper = [sparse.hstack([-eye, zero_col, eye, sparse.csr_matrix((m, hidden))], format="csr")]
    if hidden:
        # z_hidden − h y + λ ≤ 0
        upper.append(sparse.hstack([-h, sparse.csr_matrix(np.ones((hidden, 1))),
                                    sparse.csr_matrix((hidden, m)),
                                    sparse.identity(hidden, format="csr")], format="csr"))
    a_ub = sparse.vstack(upper, format="csr")
    objective = np.zeros(size)
    objective[m + 1:] = -1.0
    bounds = [(0, None)] * m + [(1, None)] + [(0, 1)] * (m + hidden)
    solved = linprog(objective, A_ub=a_ub, b_ub=np.zeros(a_ub.shape[0]), A_eq=a_eq,
                     b_eq=np.zeros(a_eq.shape[0]), bounds=bounds, method="highs")
    if solved.status != 0:
        raise AuditError(f"the published cells admit no reading ({solved.message})")
    z = solved.x[m + 1:]
    return z[:m] < LIFTED, z[m:] < LIFTED


def audit(atoms: int, published: Sequence[Sequence[int]], values: np.ndarray,
          hidden: Sequence[Sequence[int]], targets: Sequence[Sequence[int]]) -> AuditResult:
    """Which ``targets`` a reader pins exactly, in each layer.

    ``atoms``: the number of atoms (all non-empty: a reader is assumed to know the empty
    ones). ``published``: the atom positions of every published cell; ``values``: their counts,
    a (cells × layers) table whose first column is respondents. ``hidden``: the atom positions
    of every cell shown as hidden (at least one respondent: a bound in the first layer only).
    ``targets``: the protected cells. Returns a layers × targets boolean table.
    """
    values = np.asarray(values, dtype=float)
    return Auditor(atoms, published, values, targets).check([], values[:0], hidden)


class Auditor:
    """Repeated audits that share a fixed part (the cells of earlier releases).

    The elimination of the fixed cells is done once per layer; each :meth:`check` adds the new
    cells and the forced facts to it and undoes them afterwards (:meth:`GaussSystem.snapshot`
    / :meth:`GaussSystem.restore`). The protected groups are then reduced against the basis
    (kept in reduced row echelon form, so a group is in the span exactly when its reduction
    is zero). Only the linear program, which depends on every cell, is solved afresh.
    """

    def __init__(self, atoms: int, fixed: Sequence[Sequence[int]], fixed_values: np.ndarray,
                 targets: Sequence[Sequence[int]]) -> None:
        """``fixed_values``: a (fixed cells × layers) table; it sets the number of layers."""
        self.atoms = int(atoms)
        self.fixed = [list(c) for c in fixed]
        self.fixed_values = np.asarray(fixed_values, dtype=float)
        self.layers = self.fixed_values.shape[1]
        self.targets = [list(t) for t in targets]
        self.systems: list[GaussSystem] = []
        self.marks: list[int] = []
        for _layer in range(self.layers if self.targets else 0):
            system = GaussSystem(self.atoms)
            for cell in self.fixed:
                system.publish(cell, force=True)
            self.systems.append(system)
            self.marks.append(system.snapshot())

    def check(self, cells: Sequence[Sequence[int]], values: np.ndarray,
              hidden: Sequence[Sequence[int]], layers: Sequence[int] | None = None
              ) -> AuditResult:
        """The audit with ``cells`` (and their ``values``, cells × layers) published besides
        the fixed ones, and ``hidden`` shown as hidden; only in ``layers`` if given (the others
        are left False)."""
        result = np.zeros((self.layers, len(self.targets)), dtype=bool)
        if not self.targets:
            return AuditResult(result)
        a = _incidence([*self.fixed, *cells], self.atoms)
        b = np.vstack([self.fixed_values,
                       np.asarray(values, dtype=float).reshape(len(cells), self.layers)])
        h = _incidence(hidden, self.atoms) if len(hidden) else None
        for layer in range(self.layers) if layers is None else layers:
            zero, tight = implicit_equalities(a, b[:, layer], h if layer == 0 else None)
            system = self.systems[layer]
            for cell in cells:
                system.publish(list(cell), force=True)
            for atom in np.flatnonzero(zero):
                system.publish([int(atom)], force=True)
            if layer == 0 and h is not None:
                for row in np.flatnonzero(tight):
                    system.publish(h.indices[h.indptr[row]:h.indptr[row + 1]].tolist(),
                                   force=True)
            # The basis is in reduced row echelon form: a 0/1 group reduces to zero (is in the
            # span) exactly when it is determined.
            result[layer] = [not system.reduce(t).any() for t in self.targets]
            system.restore(self.marks[layer])
        return AuditResult(result)
