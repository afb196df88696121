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
cells (a parent minus its shown children equal to 0) are followed for the three smallest
published cells holding a candidate, with a greedy family of disjoint published parts.

Labels: a hidden cell is only "hidden", but as empty cells are shown, "hidden" means "at least
one respondent". With respondent counts given, a candidate is hidden when a shown total minus
disjoint shown parts would leave as many respondents as there are disjoint hidden cells in the
remainder (each would then hold exactly one).

Pure numpy: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: The prime modulus (2**31 − 1): products of two residues fit in int64.
PRIME = 2_147_483_647
#: How many published cells holding a candidate are searched for a zero remainder.
MAX_CONTAINERS = 3


class GaussSystem:
    """The span of published cells and the residuals of the primary cells, over ``atoms``.

    The basis is kept in reduced row echelon form, so reducing a 0/1 cell is a sum of the basis
    rows whose pivot is one of its atoms. Changes are journalled so that a trial can be undone
    (:meth:`snapshot`, :meth:`restore`).
    """

    def __init__(self, atoms: int) -> None:
        self.atoms = int(atoms)
        self.basis = np.zeros((max(self.atoms, 1), self.atoms), dtype=np.int64)
        self.rank = 0
        self.pivots: list[int] = []
        self.row_of_pivot = np.full(self.atoms, -1, dtype=np.int64)
        self.residuals = np.zeros((0, self.atoms), dtype=np.int64)
        self.free = np.zeros(0, dtype=bool)
        self._journal: list[tuple] = []

    def reduce(self, members: Sequence[int]) -> np.ndarray:
        """The 0/1 vector of ``members`` minus its projection on the published span (zero
        exactly when the cell is a combination of published cells)."""
        members = np.asarray(members, dtype=np.int64)
        vector = np.zeros(self.atoms, dtype=np.int64)
        vector[members] = 1
        rows = self.row_of_pivot[members]
        rows = rows[rows >= 0]
        if rows.size:
            vector = (vector - self.basis[rows].sum(axis=0)) % PRIME
        return vector

    def add_primary(self, members: Sequence[int]) -> bool:
        """Protect a cell; False when it is already determined by the published span."""
        return bool(self.add_primaries([members])[0])

    def add_primaries(self, cells: Sequence[Sequence[int]]) -> np.ndarray:
        """Protect cells (one copy of the residual table for all); False where determined."""
        residuals = [self.reduce(members) for members in cells]
        if not residuals:
            return np.zeros(0, dtype=bool)
        stacked = np.vstack(residuals)
        free = stacked.any(axis=1)
        self.residuals = np.vstack([self.residuals, stacked])
        self.free = np.concatenate([self.free, free])
        return free

    def determined_primaries(self) -> np.ndarray:
        """Positions of primaries whose residual is zero (a recovered cell)."""
        return np.flatnonzero(~self.residuals.any(axis=1))

    def snapshot(self) -> int:
        """A mark to :meth:`restore` to."""
        return len(self._journal)

    def restore(self, mark: int) -> None:
        """Undo every change made after ``mark``."""
        while len(self._journal) > mark:
            kind, rows, old = self._journal.pop()
            if kind == "residuals":
                self.residuals[rows] = old
            elif kind == "basis":
                self.basis[rows] = old
            else:
                self.rank -= 1
                pivot = self.pivots.pop()
                self.row_of_pivot[pivot] = -1
                self.basis[self.rank] = 0

    def publish(self, members: Sequence[int], *, force: bool = False) -> bool:
        """Publish the cell if no primary becomes determined (or ``force`` for earlier releases).

        Returns whether it was published.
        """
        residual = self.reduce(members)
        nonzero = np.flatnonzero(residual)
        if nonzero.size == 0:
            return True  # already a combination of published cells: it tells nothing new
        pivot = int(nonzero[0])
        residual = residual * pow(int(residual[pivot]), PRIME - 2, PRIME) % PRIME
        rows = np.flatnonzero(self.residuals[:, pivot]) if len(self.residuals) else nonzero[:0]
        updated = (self.residuals[rows]
                   - np.outer(self.residuals[rows, pivot], residual) % PRIME) % PRIME
        if not force and rows.size and (self.free[rows] & ~updated.any(axis=1)).any():
            return False
        self._journal.append(("residuals", rows, self.residuals[rows].copy()))
        self.residuals[rows] = updated
        basis_rows = np.flatnonzero(self.basis[:self.rank, pivot])
        self._journal.append(("basis", basis_rows, self.basis[basis_rows].copy()))
        self.basis[basis_rows] = (self.basis[basis_rows] - np.outer(
            self.basis[basis_rows, pivot], residual) % PRIME) % PRIME
        self.basis[self.rank] = residual
        self.row_of_pivot[pivot] = self.rank
        self.pivots.append(pivot)
        self.rank += 1
        self._journal.append(("append", None, None))
        return True


def gauss_suppress(atoms: int, published: Sequence[Sequence[int]],
                   primaries: Sequence[Sequence[int]],
                   candidates: Sequence[Sequence[int]],
                   published_values: Sequence[Sequence[int]] | None = None,
                   candidate_values: Sequence[Sequence[int]] | None = None,
                   published_counts: Sequence[int] | None = None,
                   candidate_counts: Sequence[int] | None = None) -> list[bool]:
    """Which candidates may be published, in the given priority order.

    ``atoms`` is the number of atoms; every cell is the list of its atom positions.
    ``published`` are cells already out (earlier releases), ``primaries`` the cells that must
    stay undetermined, ``candidates`` the new non-primary cells, most wanted first.
    ``published_values`` / ``candidate_values`` give per cell its count in each category layer
    (no layers when omitted). ``published_counts`` / ``candidate_counts`` give each cell's
    respondents; with them, a candidate is also hidden when a shown total minus shown parts
    leaves as many respondents as there are hidden cells in the rest: "hidden" tells a reader
    that a cell is not empty (empty cells are shown), so each of them would hold exactly one.
    """
    layers = len((published_values or candidate_values or [()])[0])
    check = _Check(atoms, layers)
    counts = published_counts or [None] * len(published)
    for cell, values, n in zip(published, published_values or [()] * len(published), counts,
                               strict=True):
        check.publish(cell, values, n, force=True)
    # A primary already determined by what earlier releases published cannot be helped now
    # (it does not block later candidates); the ledger's own releases never leave one.
    live = [cell for cell in primaries if len(cell)]
    for system in check.systems:
        system.add_primaries(live)
    check.hidden += [frozenset(int(a) for a in cell) for cell in live]
    counts = candidate_counts or [None] * len(candidates)
    return [check.publish(cell, values, n) for cell, values, n
            in zip(candidates, candidate_values or [()] * len(candidates), counts, strict=True)]


class _Check:
    """The respondent system and one system per category layer, published together."""

    def __init__(self, atoms: int, layers: int) -> None:
        self.systems = [GaussSystem(atoms) for _ in range(1 + layers)]
        self.cells: list[tuple[frozenset, tuple]] = []
        self.by_atom: dict[int, list[int]] = {}
        #: Respondents of published cells, by their atoms (for the lower-bound rule).
        self.respondents: dict[frozenset, int] = {}
        #: Cells a reader sees as hidden, each known to hold at least one respondent.
        self.hidden: list[frozenset] = []

    def publish(self, cell: Sequence[int], values: Sequence[int], n: int | None = None, *,
                force: bool = False) -> bool:
        """Publish in every system, or in none (False when a primary would be determined).

        In a category layer, atoms that a reader knows to hold 0 of the category are published
        one by one: those of a cell whose count is 0, and those left over when the cell (or a
        published cell holding it) minus disjoint published parts leaves 0.
        """
        marks = [system.snapshot() for system in self.systems]
        atoms = frozenset(int(a) for a in cell)
        related = self._related(atoms) if len(self.systems) > 1 or n is not None else ([], [])
        if not force and n is not None and self._pins_hidden_ones(atoms, n, related):
            self.hidden.append(atoms)
            return False
        for layer, system in enumerate(self.systems):
            vectors = [sorted(atoms)]
            if layer:
                zero = self._zero_atoms(atoms, values, layer - 1, related)
                vectors += [[a] for a in sorted(zero)]
            if not all(system.publish(vector, force=force) for vector in vectors if vector):
                for other, mark in zip(self.systems, marks, strict=True):
                    other.restore(mark)
                if not force:
                    self.hidden.append(atoms)
                return False
        if n is not None:
            self.respondents[atoms] = int(n)
        position = len(self.cells)
        self.cells.append((atoms, tuple(values)))
        for atom in atoms:
            self.by_atom.setdefault(atom, []).append(position)
        return True

    def _related(self, atoms: frozenset):
        """Published cells inside ``atoms`` (largest first), and published cells holding it,
        each with the published cells inside it that do not meet ``atoms`` (largest first)."""
        touching = {i for atom in atoms for i in self.by_atom.get(atom, ())}
        inside = sorted((self.cells[i] for i in touching if self.cells[i][0] < atoms),
                        key=lambda part: -len(part[0]))
        containers = []
        first = next(iter(atoms), None)
        holding = sorted((self.cells[i] for i in self.by_atom.get(first, ())
                          if atoms < self.cells[i][0]), key=lambda cell: len(cell[0]))
        # The smallest holders are the unit's parent in the same period and the unit's longer
        # periods: where a difference of zero arises in practice. Larger ones are left out to
        # keep the check linear in the size of the table.
        for container in holding[:MAX_CONTAINERS]:
            near = {j for atom in container[0] for j in self.by_atom.get(atom, ())}
            parts = sorted((self.cells[j] for j in near
                            if self.cells[j][0] < container[0] and not self.cells[j][0] & atoms),
                           key=lambda part: -len(part[0]))
            containers.append((container, parts))
        return inside, containers

    def _pins_hidden_ones(self, atoms: frozenset, n: int, related) -> bool:
        """True when showing the cell leaves a remainder (a shown total minus disjoint shown
        parts) whose respondents equal the number of disjoint hidden cells inside it."""
        inside, containers = related
        remainders = [_remainder(atoms, n, inside, self.respondents)]
        for (container, _), parts in containers:
            if container in self.respondents:
                remainders.append(_remainder(
                    container, self.respondents[container],
                    [(atoms, ()), *parts], {**self.respondents, atoms: n}))
        for rest, left in remainders:
            if rest is None or not rest:
                continue
            hidden_inside = 0
            taken: set[int] = set()
            for cell in sorted(self.hidden, key=len):
                if cell <= rest and not cell & taken:
                    taken |= cell
                    hidden_inside += 1
            if hidden_inside and left <= hidden_inside:
                return True
        return False

    @staticmethod
    def _zero_atoms(atoms: frozenset, values: Sequence[int], layer: int, related) -> set[int]:
        """Atoms whose count in the layer a reader can tell is 0 once this cell is out."""
        inside, containers = related
        zero: set[int] = set(atoms) if values[layer] == 0 else set()
        zero |= _remainder_if_zero(atoms, values[layer], inside, layer)
        for (container, container_values), parts in containers:
            zero |= _remainder_if_zero(container, container_values[layer],
                                       [(atoms, tuple(values)), *parts], layer)
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


def _remainder(total: frozenset, value: int, parts, counts: dict) -> tuple[set | None, int]:
    """``total`` minus a greedy family of disjoint ``parts`` whose respondents are known, and
    the respondents left for it (``None`` when no part applies)."""
    taken: set[int] = set()
    used = 0
    for atoms, _values in parts:
        if atoms & taken or atoms not in counts:
            continue
        taken |= atoms
        used += counts[atoms]
    return (set(total - taken) if taken else None), value - used
