"""Whole-system secondary suppression by Gaussian elimination (GaussSuppression-style).

The method follows Statistics Norway's *GaussSuppression* (Langsrud, R package
``GaussSuppression``; also in τ-ARGUS and sdcTable's family of linear methods):

- Every published number is a sum of *atoms*. Here an atom is one unit's own answers in one
  calendar month (residents) or in one staff round. A cell is a 0/1 vector over atoms.
- *Primary* cells (1..k−1 respondents, and every small atom that no cell shows on its own) are
  never published and must never become a linear combination of published cells.
- *Candidates* are visited in publishing priority. The residuals of the primary cells against the
  span of everything published so far are kept; a candidate is published only if no primary's
  residual becomes zero once the candidate joins the span, i.e. no primary residual is a
  multiple of the candidate's residual. Otherwise the candidate is hidden (secondary).
- Earlier releases are fixed: their published cells start the span, their primary cells stay
  primary; nothing already released is ever revisited.

Exact arithmetic: the vectors are 0/1, so elimination runs over the integers modulo the prime
``P = 2**31 − 1`` in int64 numpy, vectorised over all primaries at once. A vector in the
rational span is in the span modulo P; the converse can fail only if P divides a minor of the
0/1 system, which for these hierarchical tables (minors are small) does not happen in practice.
Where it did, the error would be towards hiding more (a primary would look determined) except
for a candidate whose residual vanishes only modulo P, which is then published as if it added
nothing new.

Non-negativity: atoms are listed only where they hold at least one respondent, so that a
zero atom counts as known to be zero (the strongest reader). Then every atom in the system has
n ≥ 1, and any direction in the null space of the published cells keeps every atom
non-negative for a small enough step: a primary that is not in the linear span cannot be pinned
by non-negativity of the respondent counts either.

Category counts (detractors, passives, promoters) are checked in one more system per category
(*layers*). They differ from respondents in one way: a category can be 0 in a published cell.
Non-negativity then tells a reader that the category is 0 in every atom of that cell, so in the
category's layer such a cell is published as all of its atoms one by one. A candidate is
published only if no primary becomes determined in any layer. This catches the zeros that a
published cell states outright (e.g. a tertial without passives, which with a quarter and a
month pins a hidden month's passives); zeros that follow only from a difference of published
cells (a parent minus its shown children equal to 0) are not followed further.

Pure numpy: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: The prime modulus (2**31 − 1): products of two residues fit in int64.
PRIME = 2_147_483_647
_HALF = 1 << 16


class GaussSystem:
    """The span of published cells and the residuals of the primary cells, over ``atoms``."""

    def __init__(self, atoms: int) -> None:
        self.atoms = int(atoms)
        self.basis = np.zeros((0, self.atoms), dtype=np.int64)
        self.pivots: list[int] = []
        self.residuals = np.zeros((0, self.atoms), dtype=np.int64)

    def _vector(self, members: Sequence[int]) -> np.ndarray:
        vector = np.zeros(self.atoms, dtype=np.int64)
        vector[np.asarray(members, dtype=np.int64)] = 1
        return vector

    def _reduce(self, vector: np.ndarray) -> np.ndarray:
        """The vector minus its projection on the span (basis kept in reduced echelon form)."""
        if not self.pivots:
            return vector % PRIME
        coefficients = vector[self.pivots] % PRIME
        # Split the coefficients in 16-bit halves so that every dot product fits in int64.
        high, low = coefficients // _HALF, coefficients % _HALF
        part = ((high @ self.basis) % PRIME * _HALF + (low @ self.basis)) % PRIME
        return (vector - part) % PRIME

    def add_primary(self, members: Sequence[int]) -> bool:
        """Protect a cell; False when it is already determined by the published span."""
        residual = self._reduce(self._vector(members))
        self.residuals = np.vstack([self.residuals, residual])
        return bool(residual.any())

    def determined_primaries(self) -> np.ndarray:
        """Positions of primaries whose residual is zero (a recovered cell)."""
        return np.flatnonzero(~self.residuals.any(axis=1))

    def snapshot(self) -> tuple:
        """The current state (arrays are replaced, never changed in place, so this is cheap)."""
        return self.basis, list(self.pivots), self.residuals

    def restore(self, state: tuple) -> None:
        """Go back to a snapshot."""
        self.basis, self.pivots, self.residuals = state[0], list(state[1]), state[2]

    def publish(self, members: Sequence[int], *, force: bool = False) -> bool:
        """Publish the cell if no primary becomes determined (or ``force`` for earlier releases).

        Returns whether it was published.
        """
        residual = self._reduce(self._vector(members))
        nonzero = np.flatnonzero(residual)
        if nonzero.size == 0:
            return True  # already a combination of published cells: it tells nothing new
        pivot = int(nonzero[0])
        residual = residual * pow(int(residual[pivot]), PRIME - 2, PRIME) % PRIME
        updated = (self.residuals - np.outer(self.residuals[:, pivot], residual) % PRIME) % PRIME
        if not force and self.residuals.shape[0]:
            was_free = self.residuals.any(axis=1)
            if (was_free & ~updated.any(axis=1)).any():
                return False
        self.residuals = updated
        self.basis = (self.basis - np.outer(self.basis[:, pivot], residual) % PRIME) % PRIME
        self.basis = np.vstack([self.basis, residual])
        self.pivots.append(pivot)
        return True


def gauss_suppress(atoms: int, published: Sequence[Sequence[int]],
                   primaries: Sequence[Sequence[int]],
                   candidates: Sequence[Sequence[int]],
                   published_values: Sequence[Sequence[int]] | None = None,
                   candidate_values: Sequence[Sequence[int]] | None = None) -> list[bool]:
    """Which candidates may be published, in the given priority order.

    ``atoms`` is the number of atoms; every cell is the list of its atom positions.
    ``published`` are cells already out (earlier releases), ``primaries`` the cells that must
    stay undetermined, ``candidates`` the new non-primary cells, most wanted first.
    ``published_values`` / ``candidate_values`` give per cell its count in each category layer
    (no layers when omitted).
    """
    layers = len((published_values or candidate_values or [()])[0])
    check = _Check(atoms, layers)
    for cell, values in zip(published, published_values or [()] * len(published), strict=True):
        check.publish(cell, values, force=True)
    for cell in primaries:
        # A primary already determined by what earlier releases published cannot be helped
        # now (it does not block later candidates); the ledger's own releases never leave one.
        if len(cell):
            for system in check.systems:
                system.add_primary(cell)
    return [check.publish(cell, values) for cell, values
            in zip(candidates, candidate_values or [()] * len(candidates), strict=True)]


class _Check:
    """The respondent system and one system per category layer, published together."""

    def __init__(self, atoms: int, layers: int) -> None:
        self.systems = [GaussSystem(atoms) for _ in range(1 + layers)]
        self.cells: list[tuple[frozenset, tuple]] = []

    def publish(self, cell: Sequence[int], values: Sequence[int], *, force: bool = False
                ) -> bool:
        """Publish in every system, or in none (False when a primary would be determined).

        In a category layer, atoms that a reader knows to hold 0 of the category are published
        one by one: those of a cell whose count is 0, and those left over when the cell (or a
        published cell holding it) minus disjoint published parts leaves 0.
        """
        states = [system.snapshot() for system in self.systems]
        atoms = frozenset(int(a) for a in cell)
        for layer, system in enumerate(self.systems):
            vectors = [list(atoms)]
            if layer:
                vectors += [[a] for a in sorted(self._zero_atoms(atoms, values, layer - 1))]
            if not all(system.publish(vector, force=force) for vector in vectors if vector):
                for other, state in zip(self.systems, states, strict=True):
                    other.restore(state)
                return False
        self.cells.append((atoms, tuple(values)))
        return True

    def _zero_atoms(self, atoms: frozenset, values: Sequence[int], layer: int) -> set[int]:
        """Atoms whose count in the layer a reader can tell is 0 once this cell is out."""
        zero: set[int] = set(atoms) if values[layer] == 0 else set()
        inside = sorted(((a, v) for a, v in self.cells if a < atoms), key=lambda p: -len(p[0]))
        zero |= _remainder_if_zero(atoms, values[layer], inside, layer)
        for container, container_values in self.cells:
            if atoms < container:
                parts = [(atoms, tuple(values))] + sorted(
                    ((a, v) for a, v in self.cells if a < container and not a & atoms),
                    key=lambda p: -len(p[0]))
                zero |= _remainder_if_zero(container, container_values[layer], parts, layer)
        return zero


def _remainder_if_zero(total: frozenset, value: int, parts, layer: int) -> set[int]:
    """``total`` minus a greedy family of disjoint ``parts`` (in the given order), when the
    parts' counts add up to the total's: then every atom of that remainder holds 0."""
    taken: set[int] = set()
    used = 0
    for atoms, values in parts:
        if atoms & taken:
            continue
        taken |= atoms
        used += values[layer]
    return set(total - taken) if parts and used == value else set()
