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

In the layers without labels the program is kept in a HiGHS instance (``highspy``) between
checks and re-solved from its last basis (:class:`_Program`); the first layer, whose hidden
cells vary in number, is solved afresh through ``scipy.optimize.linprog``.

So the audit costs one linear program per layer and one elimination, whatever the number of
protected cells, and its answer is the one an LP attacker would reach cell by cell.

Pure numpy/scipy (and highspy, HiGHS itself): no Flask, no database.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from survey_app.privacy.gauss import PRIME, GaussSystem

#: A slack is taken as positive somewhere on P when the LP lifts it above this (it is 0 or 1
#: at the optimum; HiGHS works to about 1e-7). The same bound reads a witness point.
LIFTED = 0.5


_BANNER_LOCK = threading.Lock()
_BANNER_DONE = False


def _quiet_highs():
    """A ``highspy.Highs`` instance, without the copyright banner HiGHS writes to the process's
    standard output when the first instance is made (before any option can turn output off):
    ``releases publish`` prints its own report there, read by cron mail and by people."""
    global _BANNER_DONE
    import highspy

    with _BANNER_LOCK:
        if _BANNER_DONE:
            return highspy.Highs()
        sys.stdout.flush()
        saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 1)
            highs = highspy.Highs()
            ctypes.CDLL(None).fflush(None)  # C's buffer, before the descriptor is back
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
        _BANNER_DONE = True
        return highs


class AuditError(RuntimeError):
    """The published cells contradict each other (the LP is infeasible): a bug, not a reader."""


@dataclass(frozen=True, slots=True)
class AuditResult:
    """Which protected cells a reader can pin, per layer (rows: layers, columns: targets).

    ``zero`` (layers × atoms), ``tight`` (hidden cells, as sets of atoms, that hold exactly one
    respondent) and ``witness`` (per layer a point ``(y, λ)`` of the homogenised cone at which
    every slack that is not an implicit equality is at least :data:`LIFTED`, or None) are the
    implicit equalities found in the audited layers; a later :meth:`Auditor.check` of a nested
    reader can start from them (its ``inner`` and ``outer``). Layers not audited hold no facts
    and no witness.
    """

    determined: np.ndarray
    zero: np.ndarray | None = None
    tight: frozenset = frozenset()
    witness: tuple = ()

    @property
    def any(self) -> bool:
        """True when some protected cell is pinned in some layer."""
        return bool(self.determined.any())


def incidence(cells: Sequence[Sequence[int]], atoms: int) -> sparse.csr_matrix:
    """The 0/1 matrix of ``cells`` (one row per cell) over ``atoms`` columns."""
    rows = np.repeat(np.arange(len(cells)), [len(c) for c in cells])
    columns = np.fromiter((a for c in cells for a in c), dtype=np.int64, count=len(rows))
    data = np.ones(len(rows))
    matrix = sparse.csr_matrix((data, (rows, columns)), shape=(len(cells), atoms))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def implicit_equalities(a: sparse.csr_matrix, b: np.ndarray, h: sparse.csr_matrix | None, *,
                        atoms: np.ndarray | None = None, rows: np.ndarray | None = None,
                        zero: np.ndarray | None = None
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Atoms that are 0 and hidden cells that hold exactly 1 on all of ``P`` (boolean masks),
    and a witness ``(y, λ)`` (one vector, λ last) of the cone at which every other slack asked
    about is at least 1.

    ``P = {x : a x = b, x ≥ 0, h x ≥ 1}``; ``h`` may be None (no labels in this layer).
    Only the atoms in the mask ``atoms`` and the hidden rows in the mask ``rows`` are asked about
    (default: all); the others are reported as not implicit, so the caller must know that they
    are not (a point of ``P`` where they are positive). ``zero``: atoms the caller knows to be
    0 on all of ``P``; fixing them at 0 leaves ``P`` as it is and the program smaller.
    """
    m = a.shape[1]
    hidden = 0 if h is None else h.shape[0]
    asked = np.ones(m, dtype=bool) if atoms is None else np.asarray(atoms, dtype=bool)
    asked_rows = np.ones(hidden, dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
    atom_ids = np.flatnonzero(asked)
    row_ids = np.flatnonzero(asked_rows)
    za, zh = len(atom_ids), len(row_ids)
    # Variables: y (m), λ (1), z for the asked atoms (za), z for the asked hidden rows (zh).
    size = m + 1 + za + zh
    a_eq = sparse.hstack([a, sparse.csr_matrix(-b.reshape(-1, 1)),
                          sparse.csr_matrix((a.shape[0], za + zh))], format="csr")
    # z_atom − y_atom ≤ 0
    pick = sparse.csr_matrix((np.ones(za), (np.arange(za), atom_ids)), shape=(za, m))
    upper = [sparse.hstack([-pick, sparse.csr_matrix((za, 1)), sparse.identity(za, format="csr"),
                            sparse.csr_matrix((za, zh))], format="csr")]
    if hidden:
        # z_hidden − h y + λ ≤ 0 for the asked rows; − h y + λ ≤ 0 (h x ≥ 1) for every row.
        slot = sparse.csr_matrix((np.ones(zh), (row_ids, np.arange(zh))), shape=(hidden, zh))
        upper.append(sparse.hstack([-h, sparse.csr_matrix(np.ones((hidden, 1))),
                                    sparse.csr_matrix((hidden, za)), slot], format="csr"))
    a_ub = sparse.vstack(upper, format="csr")
    objective = np.zeros(size)
    objective[m + 1:] = -1.0
    bounds = np.zeros((size, 2))
    bounds[:m, 1] = np.inf
    if zero is not None:
        bounds[:m, 1][np.asarray(zero, dtype=bool)] = 0.0
    bounds[m] = (1.0, np.inf)
    bounds[m + 1:, 1] = 1.0
    solved = linprog(objective, A_ub=a_ub if a_ub.shape[0] else None,
                     b_ub=np.zeros(a_ub.shape[0]) if a_ub.shape[0] else None, A_eq=a_eq,
                     b_eq=np.zeros(a_eq.shape[0]), bounds=bounds, method="highs")
    if solved.status != 0:
        raise AuditError(f"the published cells admit no reading ({solved.message})")
    z = solved.x[m + 1:]
    zero_atoms = np.zeros(m, dtype=bool)
    zero_atoms[atom_ids] = z[:za] < LIFTED
    tight = np.zeros(hidden, dtype=bool)
    tight[row_ids] = z[za:] < LIFTED
    return zero_atoms, tight, solved.x[:m + 1]


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

    The elimination of the fixed cells is done once; every other vector is reduced by it once
    and then eliminated in the few columns left free (:class:`_Quotient`), one per layer. Each
    :meth:`check` publishes its cells and forced facts there one vector at a time, and keeps
    them with a journal mark after each: the next check undoes only back to the first vector
    it does not publish itself and adds what it lacks. The
    span is that of the set of vectors whatever their order, so this changes no answer; checks
    that differ in a few cells (a bisection over a priority order) then cost a few eliminations
    instead of hundreds. The protected groups are reduced against the basis (kept in reduced row
    echelon form, so a group is in the span exactly when its reduction is zero).

    The linear program depends on every cell and is solved per check, but nested readers bound
    its answer: when reader R knows at most what reader S knows (every cell R sees shown, S
    sees shown with the same counts; every cell R sees hidden, S sees hidden or shown, as
    every shown cell holds a respondent), then ``P_S ⊆ P_R``, so

    - every implicit equality of ``P_R`` holds on ``P_S``: R's zero atoms and tight hidden
      cells are known facts for S (``inner``);
    - a point of ``P_S`` lies in ``P_R``: a slack of R that is positive at S's witness point is
      not implicit for R (``outer``), and the program asks only about the others.

    When nothing is left to ask, the program is not solved at all.
    """

    def __init__(self, atoms: int, fixed: Sequence[Sequence[int]], fixed_values: np.ndarray,
                 targets: Sequence[Sequence[int]]) -> None:
        """``fixed_values``: a (fixed cells × layers) table; it sets the number of layers."""
        self.atoms = int(atoms)
        self.fixed = [list(c) for c in fixed]
        self.fixed_values = np.asarray(fixed_values, dtype=float)
        self.layers = self.fixed_values.shape[1]
        self.targets = [list(t) for t in targets]
        self.fixed_matrix = incidence(self.fixed, self.atoms)
        # The fixed cells are eliminated once (the same vectors in every layer). A check then
        # works modulo their span: reduction by the fixed basis is linear with kernel
        # span(fixed), so t ∈ span(fixed ∪ N) exactly when reduce(t) ∈ span(reduce(N)), and a
        # reduced vector is 0 at every pivot column of the fixed basis (reduced row echelon
        # form). So each check eliminates in the free columns only (a few hundred, and the
        # reduced cells have a few non-zeros each) instead of among all atoms.
        self.base = GaussSystem(self.atoms)
        for cell in self.fixed if self.targets else ():
            self.base.publish(cell, force=True)
        self.free = np.flatnonzero(self.base.row_of_pivot < 0)
        self.reduced: dict[tuple[int, ...], np.ndarray] = {}
        self.reduced_targets = [self._reduced(tuple(sorted(t))) for t in self.targets]
        self.systems = [_Quotient(len(self.free)) for _ in range(self.layers)]
        #: Per layer, the vectors published on top of the fixed cells, each with the journal
        #: mark after it.
        self.trails: list[list[tuple[tuple[int, ...], int]]] = [[] for _ in range(self.layers)]
        self.programs: dict[int, _Program] = {}

    def _reduced(self, vector: tuple[int, ...]) -> np.ndarray:
        """The 0/1 vector of these atoms reduced by the fixed cells, in the free columns."""
        if vector not in self.reduced:
            self.reduced[vector] = self.base.reduce(list(vector))[self.free]
        return self.reduced[vector]

    def check(self, cells: Sequence[Sequence[int]], values: np.ndarray,
              hidden: Sequence[Sequence[int]], layers: Sequence[int] | None = None, *,
              targets: Sequence[int] | None = None, inner: Sequence[AuditResult] = (),
              outer: Sequence[AuditResult] = ()) -> AuditResult:
        """The audit with ``cells`` (and their ``values``, cells × layers) published besides
        the fixed ones, and ``hidden`` shown as hidden; only in ``layers`` and for the targets
        at positions ``targets`` if given (the others are left False).

        ``inner``: results of checks whose reader knows at most what this one does, ``outer``:
        of checks whose reader knows at least as much (see the class). They make the check
        cheaper; the answer is the same as without them, provided they are what they claim.
        """
        determined = np.zeros((self.layers, len(self.targets)), dtype=bool)
        zero = np.zeros((self.layers, self.atoms), dtype=bool)
        if not self.targets:
            return AuditResult(determined, zero)
        chosen = range(len(self.targets)) if targets is None else list(targets)
        b = np.vstack([self.fixed_values,
                       np.asarray(values, dtype=float).reshape(len(cells), self.layers)])
        cell_vectors = [tuple(sorted(cell)) for cell in cells]
        # The incidence matrices are needed by the labelled layer and the cold program only.
        matrices: dict[str, sparse.csr_matrix | None] = {}

        def matrix() -> sparse.csr_matrix:
            if "a" not in matrices:
                matrices["a"] = sparse.vstack([self.fixed_matrix,
                                               incidence(cells, self.atoms)], format="csr")
            return matrices["a"]

        h = hidden_sets = None
        if (layers is None or 0 in layers) and len(hidden):
            h = incidence(hidden, self.atoms)
            hidden_sets = [frozenset(cell) for cell in hidden]
        tight_cells: frozenset = frozenset()
        witnesses: list = [None] * self.layers
        for layer in range(self.layers) if layers is None else [int(x) for x in layers]:
            labels = h if layer == 0 else None
            known = np.zeros(self.atoms, dtype=bool)
            for result in inner:
                if result.zero is not None:
                    known |= result.zero[layer]
            known_rows = np.zeros(0 if labels is None else labels.shape[0], dtype=bool)
            if labels is not None:
                earlier = set().union(*(result.tight for result in inner))
                known_rows = np.array([cell in earlier for cell in hidden_sets], dtype=bool)
            points = [r.witness[layer] for r in outer
                      if len(r.witness) > layer and r.witness[layer] is not None]
            point = np.sum(points, axis=0) if points else None
            if point is None:
                asked, asked_rows = ~known, ~known_rows
            else:
                asked = (point[:-1] < LIFTED) & ~known
                asked_rows = np.zeros_like(known_rows)
                if labels is not None:
                    asked_rows = (labels @ point[:-1] - point[-1] < LIFTED) & ~known_rows
            if point is None or asked.any() or asked_rows.any():
                warm = None
                if labels is None:
                    warm = self._program(layer).solve(cell_vectors, b[len(self.fixed):, layer],
                                                      asked, known)
                if warm is not None:
                    found, solved = warm
                    found_rows = np.zeros(0, dtype=bool)
                else:
                    found, found_rows, solved = implicit_equalities(
                        matrix(), b[:, layer], labels, atoms=asked, rows=asked_rows, zero=known)
                zero[layer] = known | found
                rows = known_rows | found_rows
                witnesses[layer] = solved if point is None else solved + point
            else:
                zero[layer] = known
                rows = known_rows
                witnesses[layer] = point
            vectors = dict.fromkeys(cell_vectors)
            vectors.update(((int(atom),), None) for atom in np.flatnonzero(zero[layer]))
            if labels is not None:
                tight_cells = frozenset(hidden_sets[i] for i in np.flatnonzero(rows))
                vectors.update((tuple(sorted(cell)), None) for cell in tight_cells)
            system = self._load(layer, list(vectors))
            # The basis is in reduced row echelon form: a group reduces to zero (is in the
            # span) exactly when it is determined.
            for i in chosen:
                determined[layer, i] = not system.reduce(self.reduced_targets[i]).any()
        return AuditResult(determined, zero, tight_cells, tuple(witnesses))

    def _program(self, layer: int) -> _Program:
        """The layer's kept linear program (label-free layers only)."""
        if layer not in self.programs:
            self.programs[layer] = _Program(self.fixed_matrix, self.fixed_values[:, layer])
        return self.programs[layer]

    def _load(self, layer: int, vectors: list[tuple[int, ...]]) -> _Quotient:
        """The layer's system holding exactly ``vectors`` (modulo the fixed cells): the longest
        published run of them is kept, the rest undone, the missing ones published."""
        system, trail = self.systems[layer], self.trails[layer]
        wanted = set(vectors)
        keep = 0
        while keep < len(trail) and trail[keep][0] in wanted:
            keep += 1
        del trail[keep:]
        system.restore(trail[-1][1] if trail else 0)
        held = {vector for vector, _mark in trail}
        for vector in vectors:
            if vector not in held:
                system.publish(self._reduced(vector))
                trail.append((vector, system.snapshot()))
        return system


class _Quotient:
    """The span of arbitrary vectors modulo :data:`PRIME` over a few columns, in reduced row
    echelon form, with a journal to undo (as :class:`GaussSystem`, which takes 0/1 cells).

    Reducing ``v`` subtracts ``v[p]`` times the row of every pivot ``p`` where ``v`` is not 0:
    the other rows are 0 at ``p``, so that clears every pivot column at once. Products of two
    residues fit in int64, and a sum of a few hundred of them too.
    """

    def __init__(self, columns: int) -> None:
        self.basis = np.zeros((max(columns, 1), columns), dtype=np.int64)
        self.rank = 0
        self.row_of_pivot = np.full(columns, -1, dtype=np.int64)
        self.pivots: list[int] = []
        self._journal: list[tuple] = []

    def reduce(self, vector: np.ndarray) -> np.ndarray:
        """``vector`` minus its projection on the span (zero exactly when it is in it)."""
        support = np.flatnonzero(vector)
        pivots = support[self.row_of_pivot[support] >= 0]
        if not pivots.size:
            return vector
        rows = self.basis[self.row_of_pivot[pivots]]
        return (vector - (vector[pivots, None] * rows % PRIME).sum(axis=0)) % PRIME

    def snapshot(self) -> int:
        """A mark to :meth:`restore` to."""
        return len(self._journal)

    def restore(self, mark: int) -> None:
        """Undo every change made after ``mark``."""
        while len(self._journal) > mark:
            rows, old = self._journal.pop()
            self.rank -= 1
            pivot = self.pivots.pop()
            self.row_of_pivot[pivot] = -1
            self.basis[self.rank] = 0
            self.basis[rows] = old

    def publish(self, vector: np.ndarray) -> None:
        """Add ``vector`` to the span."""
        residual = self.reduce(vector)
        nonzero = np.flatnonzero(residual)
        if not nonzero.size:
            return
        pivot = int(nonzero[0])
        residual = residual * pow(int(residual[pivot]), PRIME - 2, PRIME) % PRIME
        rows = np.flatnonzero(self.basis[:self.rank, pivot])
        self._journal.append((rows, self.basis[rows].copy()))
        self.basis[rows] = (self.basis[rows]
                            - np.outer(self.basis[rows, pivot], residual) % PRIME) % PRIME
        self.basis[self.rank] = residual
        self.row_of_pivot[pivot] = self.rank
        self.pivots.append(pivot)
        self.rank += 1


class _Program:
    """One label-free layer's linear program of :func:`implicit_equalities`, kept in a HiGHS
    instance between checks and re-solved from the previous optimal basis.

    The checks of a bisection differ in a few cells, so instead of building and solving the
    program afresh (~35 ms at 2,000 atoms), every cell seen gets an equality row once and a
    check only frees the rows of cells it does not show and bounds the variables: the dual
    simplex usually needs a few iterations from the last basis. Same program, same answer; when
    HiGHS does not report an optimum, the cold :func:`implicit_equalities` decides.
    """

    def __init__(self, fixed: sparse.csr_matrix, values: np.ndarray) -> None:
        import highspy

        m = fixed.shape[1]
        self.m = m
        self.highs = _quiet_highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("presolve", "off")
        self.optimal = highspy.HighsModelStatus.kOptimal
        # Columns: y (m), λ, z (m); rows: fixed cells (A y − b λ = 0), then z − y ≤ 0.
        size = 2 * m + 1
        lower = np.zeros(size)
        lower[m] = 1.0
        upper = np.full(size, np.inf)
        upper[m + 1:] = 1.0
        cost = np.zeros(size)
        cost[m + 1:] = -1.0
        self.highs.addVars(size, lower, upper)
        self.highs.changeColsCost(size, np.arange(size, dtype=np.int32), cost)
        self._add(fixed, values, 0.0, 0.0)
        links = sparse.hstack([-sparse.identity(m), sparse.csr_matrix((m, 1)),
                               sparse.identity(m)], format="csr")
        self.highs.addRows(m, np.full(m, -np.inf), np.zeros(m), links.nnz,
                           links.indptr.astype(np.int32), links.indices.astype(np.int32),
                           links.data)
        self.rows: dict[tuple, int] = {}
        self.count = fixed.shape[0] + m
        self.active: set[int] = set()

    def _add(self, cells: sparse.csr_matrix, values: np.ndarray, low: float, high: float
             ) -> None:
        block = sparse.hstack([cells, sparse.csr_matrix(-values.reshape(-1, 1)),
                               sparse.csr_matrix((cells.shape[0], self.m))], format="csr")
        n = block.shape[0]
        self.highs.addRows(n, np.full(n, low), np.full(n, high), block.nnz,
                           block.indptr.astype(np.int32), block.indices.astype(np.int32),
                           block.data)

    def solve(self, cells: list[tuple[int, ...]], values: np.ndarray, asked: np.ndarray,
              zero: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Implicit zero atoms among ``asked`` and a witness, or None (no optimum)."""
        keys = [(cell, float(v)) for cell, v in zip(cells, values, strict=True)]
        new = [key for key in dict.fromkeys(keys) if key not in self.rows]
        if new:
            rows = np.repeat(np.arange(len(new)), [len(c) for c, _ in new])
            columns = np.fromiter((a for c, _ in new for a in c), dtype=np.int64,
                                  count=len(rows))
            matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)),
                                       shape=(len(new), self.m))
            self._add(matrix, np.array([v for _, v in new]), -np.inf, np.inf)
            for key in new:
                self.rows[key] = self.count
                self.count += 1
        wanted = {self.rows[key] for key in keys}
        on = sorted(wanted - self.active)
        off = sorted(self.active - wanted)
        if on:
            self.highs.changeRowsBounds(len(on), np.array(on, dtype=np.int32),
                                        np.zeros(len(on)), np.zeros(len(on)))
        if off:
            self.highs.changeRowsBounds(len(off), np.array(off, dtype=np.int32),
                                        np.full(len(off), -np.inf), np.full(len(off), np.inf))
        self.active = wanted
        m = self.m
        index = np.r_[np.arange(m), np.arange(m + 1, 2 * m + 1)].astype(np.int32)
        upper = np.r_[np.where(zero, 0.0, np.inf), np.where(asked, 1.0, 0.0)]
        self.highs.changeColsBounds(2 * m, index, np.zeros(2 * m), upper)
        self.highs.run()
        if self.highs.getModelStatus() != self.optimal:
            self.highs.clearSolver()
            return None
        x = np.asarray(self.highs.getSolution().col_value)
        return asked & (x[m + 1:] < LIFTED), x[:m + 1]
