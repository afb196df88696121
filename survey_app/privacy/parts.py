"""The reader's system split into independent parts, so that an audit works on one part.

The exact audit (:mod:`survey_app.privacy.audit`) asks whether a protected group ``t`` is
constant on the reader's polyhedron

    P = {x ≥ 0 : A x = b (shown cells), H x ≥ 1 (cells shown as hidden)}.

Solving that over every atom of the year makes each audit cost the whole county. But a
hierarchical table is mostly separable: a parent's cell is its own answers plus its children's
cells, and where the children's cells are shown, the parent's equation says nothing about the
children's atoms that their own cells do not already say.

**The split.** Each cell may name *sub-cells*: cells whose atoms lie inside it, pairwise
disjoint (here: the children's cells of the same period). A cell ``C`` then reads

    C·x = Σ_{K known} b_K + C°·x,

where the known ``K`` are the shown sub-cells met first on the way down (a hidden or open
sub-cell is expanded into its own sub-cells) and ``C°`` holds every other atom of ``C``. Given
the equations of the known ``K``:

- a shown ``C`` is equivalent to the equation ``C°·x = b_C − Σ b_K`` (nothing when ``C°`` is
  empty);
- a hidden ``C`` (``C·x ≥ 1``) says nothing when some known ``K`` lies inside it, as every
  listed cell holds at least one respondent (atoms are never empty); otherwise it is the label
  ``C·x ≥ 1`` itself.

The constraints are now equations and labels over the sets ``C°``, each with its own
non-negativity. Join the atoms of each set (union–find): ``P`` is the product of its parts'
polyhedra, so a group inside one part is constant on ``P`` exactly when it is constant on that
part's polyhedron. The answer is the same as the whole system's, for any choice of sub-cells
(a poorer choice only makes parts larger).

*Open* cells are those whose state is still to be tried (the cells of a bisection): they are
never taken as known, and their ``C°`` is joined whatever their state, so one split holds for
every trial that shows any subset of them.

Pure Python, numpy and scipy: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from survey_app.privacy.audit import (
    LIFTED,
    Auditor,
    AuditResult,
    implicit_equalities,
    incidence,
)
from survey_app.privacy.gauss import GaussSystem

#: A cell's state in a split.
SHOWN, HIDDEN, OPEN, ABSENT = 0, 1, 2, 3


class Cells:
    """Every cell of the reader's system (atoms, counts per layer, sub-cells) and the protected
    groups, whatever the cells' states; :meth:`split` takes the states."""

    def __init__(self, atoms: int, cells: Sequence[Sequence[int]], values: np.ndarray,
                 subcells: Sequence[Sequence[int]],
                 targets: Sequence[Sequence[int]] = (),
                 truth: np.ndarray | None = None) -> None:
        """``subcells[i]``: indices of cells inside cell ``i``; those that are not inside it or
        that meet an earlier one are dropped (any disjoint family of subsets is exact).
        ``values``: every cell's true counts, hidden ones included. ``truth``: the true count
        of each atom (atoms × layers, NaN where unknown), if the caller has them."""
        self.atoms = int(atoms)
        #: True counts per atom and layer (NaN: unknown). The true counts are a point of every
        #: reader's polyhedron, so a count above 0 there is not forced to 0, and a hidden cell
        #: holding more than one is not forced to hold one: the linear program needs to ask
        #: only about the rest (see :meth:`witness`).
        self.truth = None if truth is None else np.asarray(truth, dtype=float)
        self.cells = [tuple(sorted(int(a) for a in cell)) for cell in cells]
        self.values = np.asarray(values, dtype=np.int64)
        if self.values.ndim != 2:
            self.values = self.values.reshape(len(self.cells), -1 if len(self.cells) else 1)
        sets = [frozenset(cell) for cell in self.cells]
        self.subcells: list[list[int]] = []
        self.own: list[tuple[int, ...]] = []
        for i, listed in enumerate(subcells):
            taken: set[int] = set()
            chosen = []
            for j in listed:
                if j != i and sets[j] and sets[j] <= sets[i] and not sets[j] & taken:
                    chosen.append(int(j))
                    taken |= sets[j]
            self.subcells.append(chosen)
            self.own.append(tuple(a for a in self.cells[i] if a not in taken))
        #: Per cell, the cells that list it as a sub-cell.
        self.supercells: list[list[int]] = [[] for _ in self.cells]
        for i, chosen in enumerate(self.subcells):
            for j in chosen:
                self.supercells[j].append(i)
        #: Per atom, the cells that hold it.
        self.by_atom: list[list[int]] = [[] for _ in range(self.atoms)]
        for i, cell in enumerate(self.cells):
            for a in cell:
                self.by_atom[a].append(i)
        self.targets = [tuple(sorted(int(a) for a in t)) for t in targets]
        #: Per atom, the targets that hold it.
        self.targets_at: list[list[int]] = [[] for _ in range(self.atoms)]
        for t, atoms in enumerate(self.targets):
            for a in atoms:
                self.targets_at[a].append(t)

    def witness(self, atoms: np.ndarray, layer: int) -> np.ndarray | None:
        """The true counts of these atoms in ``layer`` with λ = 1, a point of the homogenised
        cone of :func:`~survey_app.privacy.audit.implicit_equalities` for any set of cells
        and labels (they are true sums, and a hidden cell holds at least one), or None when
        some count is unknown."""
        if self.truth is None:
            return None
        point = self.truth[atoms, layer]
        return None if np.isnan(point).any() else np.r_[point, 1.0]

    def split(self, state: np.ndarray) -> Split:
        """The parts for cells in ``state`` (:data:`SHOWN`, :data:`HIDDEN`, :data:`OPEN`,
        :data:`ABSENT`: not part of the reader's system), each target joined into one part."""
        return Split(self, np.asarray(state))


@dataclass(slots=True)
class Part:
    """One part: its atoms (global positions, sorted) and its constraints in local positions."""

    atoms: np.ndarray
    #: Equations: local atom tuples and their values (cells × layers).
    equations: list[tuple[int, ...]] = field(default_factory=list)
    values: list[np.ndarray] = field(default_factory=list)
    #: Labels (at least one respondent): local atom tuples.
    labels: list[tuple[int, ...]] = field(default_factory=list)
    #: Open cells in this part: cell index → (local atoms, values, whether a known cell lies
    #: inside it); a trial shows some of them as equations and the rest as labels, except
    #: those with a known cell inside, which say nothing when hidden.
    open: dict[int, tuple[tuple[int, ...], np.ndarray, bool]] = field(default_factory=dict)
    #: Targets in this part: global target index → local atom tuple.
    targets: dict[int, tuple[int, ...]] = field(default_factory=dict)
    #: Every cell with a constraint in this part (global cell indices).
    members: list[int] = field(default_factory=list)
    _index: dict[int, int] | None = None

    def local(self, atoms: Sequence[int]) -> tuple[int, ...]:
        """The atoms' positions in this part."""
        index = self._index
        if index is None:
            index = self._index = {int(a): k for k, a in enumerate(self.atoms)}
        return tuple(index[a] for a in atoms)


class Split:
    """The parts of one state of the cells (see the module), found on demand: a part is
    walked from one of its atoms through the constraints that hold it, so finding it costs
    its own size, not the system's."""

    def __init__(self, cells: Cells, state: np.ndarray) -> None:
        self.cells = cells
        self.state = state
        self._expanded: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self._reduced: dict[int, tuple[frozenset, np.ndarray | None, bool] | None] = {}
        #: Atom → its part (once walked).
        self._part_of: dict[int, Part] = {}

    def _expand(self, i: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(atoms of cell ``i`` not in a known sub-cell, the known sub-cells met)."""
        found = self._expanded.get(i)
        if found is None:
            rest, known = list(self.cells.own[i]), []
            for j in self.cells.subcells[i]:
                if self.state[j] == SHOWN:
                    known.append(j)
                else:
                    inner_rest, inner_known = self._expand(j)
                    rest += inner_rest
                    known += inner_known
            found = self._expanded[i] = (tuple(rest), tuple(known))
        return found

    def reduced(self, i: int) -> tuple[frozenset, np.ndarray | None, bool] | None:
        """Cell ``i``'s constraint on its ``C°`` (atoms, value for an equation or open cell,
        whether a known cell lies inside it), or None when it says nothing: absent, empty
        ``C°``, or hidden with a known cell inside."""
        if i not in self._reduced:
            kind = self.state[i]
            rest, known = self._expand(i) if kind != ABSENT else ((), ())
            if not rest or (kind == HIDDEN and known):
                self._reduced[i] = None
            else:
                value = None
                if kind != HIDDEN:
                    value = self.cells.values[i] - (self.cells.values[list(known)].sum(axis=0)
                                                    if known else 0)
                self._reduced[i] = (frozenset(rest), value, bool(known))
        return self._reduced[i]

    def part_of_atom(self, atom: int) -> Part:
        """The part holding ``atom``: every atom joined to it through a constraint or a
        target, with those constraints and targets."""
        part = self._part_of.get(atom)
        if part is not None:
            return part
        cells = self.cells
        seen = {atom}
        stack = [atom]
        members: set[int] = set()
        targets: set[int] = set()
        while stack:
            a = stack.pop()
            joined = []
            for i in cells.by_atom[a]:
                reduced = self.reduced(i)
                if reduced is not None and a in reduced[0]:
                    members.add(i)
                    joined.append(reduced[0])
            for t in cells.targets_at[a]:
                targets.add(t)
                joined.append(cells.targets[t])
            for group in joined:
                for b in group:
                    if b not in seen:
                        seen.add(b)
                        stack.append(b)
        part = Part(np.array(sorted(seen), dtype=np.int64))
        part.members = sorted(members)
        for i in part.members:
            rest, value, known = self._reduced[i]
            local = part.local(sorted(rest))
            kind = self.state[i]
            if kind == SHOWN:
                part.equations.append(local)
                part.values.append(value)
            elif kind == HIDDEN:
                part.labels.append(local)
            else:
                part.open[i] = (local, value, known)
        for t in sorted(targets):
            part.targets[t] = part.local(cells.targets[t])
        for a in seen:
            self._part_of[a] = part
        return part

    def parts(self, targets: Sequence[int] = (), atoms: Sequence[int] = ()) -> list[Part]:
        """The parts holding these targets or these atoms (each part once)."""
        found: dict[int, Part] = {}
        for a in [*(self.cells.targets[t][0] for t in targets), *atoms]:
            part = self.part_of_atom(int(a))
            found.setdefault(id(part), part)
        return list(found.values())

    def changed_by(self, cell: int) -> list[int]:
        """Atoms of every part whose constraints differ from a state where ``cell`` was shown
        (it is not now): every atom of its former equation (now a label, or nothing, so the
        atoms it joined may have come apart), and one of each constraint above it whose
        expansion now runs through it (up to the first shown cell on each way up). A part
        that holds none of these atoms has the same constraints as in that state."""
        seeds: list[int] = list(self._expand(cell)[0])
        stack, seen = [cell], {cell}
        while stack:
            i = stack.pop()
            reduced = self.reduced(i)
            if reduced is not None:
                seeds.append(min(reduced[0]))
            if i != cell and self.state[i] == SHOWN:
                continue
            for s in self.cells.supercells[i]:
                if s not in seen:
                    seen.add(s)
                    stack.append(s)
        return seeds

    def part(self, target: int) -> Part:
        """The part holding the target at position ``target``."""
        return self.part_of_atom(self.cells.targets[target][0])


def audit_parts(cells: Cells, state: np.ndarray, asked: Sequence[int] = (),
                layers: Sequence[int] | None = None, *, hidden: int | None = None,
                split: Split | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """Which targets a reader pins in each layer (layers × targets), and which targets were
    audited: those in the parts that hold a target at a position in ``asked``, or whose
    constraints changed when cell ``hidden`` was hidden
    (:meth:`Split.changed_by`); the others are False. ``split``: the state's split, if the
    caller has it (its parts are kept).

    The audit of :mod:`survey_app.privacy.audit`, part by part: the implicit equalities come
    from one linear program per layer over all the parts side by side (block-diagonal, so
    each part's answer is its own), and the elimination is done per part, its equations once
    for every layer.
    """
    count = cells.values.shape[1]
    determined = np.zeros((count, len(cells.targets)), dtype=bool)
    audited = np.zeros(len(cells.targets), dtype=bool)
    split = split or cells.split(state)
    seeds = split.changed_by(hidden) if hidden is not None else []
    parts = [part for part in split.parts(asked, seeds) if part.targets]
    if not parts:
        return determined, audited
    chosen = range(count) if layers is None else [int(x) for x in layers]
    starts = np.cumsum([0, *(len(part.atoms) for part in parts)])
    equations = [tuple(a + start for a in e) for part, start in zip(parts, starts, strict=False)
                 for e in part.equations]
    labels = [tuple(a + start for a in label)
              for part, start in zip(parts, starts, strict=False) for label in part.labels]
    b = np.array([v for part in parts for v in part.values], dtype=float).reshape(
        len(equations), count)
    a = incidence(equations, int(starts[-1]))
    h = incidence(labels, int(starts[-1])) if labels else None
    facts = {}
    every = np.concatenate([part.atoms for part in parts])
    for layer in chosen:
        labelled = h if layer == 0 else None
        point = cells.witness(every, layer)
        if point is None:
            zero, tight, _witness = implicit_equalities(a, b[:, layer], labelled)
        else:
            # Only counts that are 0 in truth can be forced to 0, only hidden cells that hold
            # exactly one can be forced to: when there are none, there is nothing to solve.
            asked = point[:-1] < LIFTED
            rows = (np.zeros(0, dtype=bool) if labelled is None
                    else labelled @ point[:-1] - 1 < LIFTED)
            zero = np.zeros(len(every), dtype=bool)
            tight = np.zeros(len(rows), dtype=bool)
            if asked.any() or rows.any():
                zero, tight, _witness = implicit_equalities(a, b[:, layer], labelled,
                                                            atoms=asked, rows=rows)
        facts[layer] = (zero, tight)
    label_of = np.repeat(np.arange(len(parts)), [len(part.labels) for part in parts])
    for p, part in enumerate(parts):
        start, size = int(starts[p]), len(part.atoms)
        system = GaussSystem(size)
        for equation in part.equations:
            system.publish(equation, force=True)
        ids = list(part.targets)
        audited[ids] = True
        for layer in chosen:
            zero, tight = facts[layer]
            mark = system.snapshot()
            for atom in np.flatnonzero(zero[start:start + size]):
                system.publish([int(atom)], force=True)
            if layer == 0 and len(tight):
                for i in np.flatnonzero(tight & (label_of == p)):
                    system.publish([x - start for x in labels[i]], force=True)
            for t in ids:
                determined[layer, t] = not system.reduce(part.targets[t]).any()
            system.restore(mark)
    return determined, audited


class Trials:
    """The audits of one target over trials that show some of the open cells (a bisection):
    one split for them all (open cells are joined whatever their state), one :class:`Auditor`
    over the target's part, with the part's fixed equations eliminated once."""

    def __init__(self, cells: Cells, state: np.ndarray, target: int) -> None:
        self.part = cells.split(state).part(target)
        self.layers = cells.values.shape[1]
        self.auditor = Auditor(len(self.part.atoms), self.part.equations,
                               np.array(self.part.values, dtype=float).reshape(
                                   len(self.part.equations), self.layers),
                               [self.part.targets[target]])
        # The true counts bound every trial from outside (see Cells.witness).
        self.truth = AuditResult(np.zeros((self.layers, 1), dtype=bool), witness=tuple(
            cells.witness(self.part.atoms, layer) for layer in range(self.layers)))

    def check(self, shown: Sequence[int], layers: Sequence[int] | None = None, *,
              inner: Sequence[AuditResult] = (), outer: Sequence[AuditResult] = ()
              ) -> AuditResult:
        """The audit with the open cells ``shown`` (cell indices, in this order) shown and the
        other open cells hidden (see :meth:`Auditor.check` for ``inner`` and ``outer``)."""
        opened = self.part.open
        showing = [i for i in shown if i in opened]
        listed = set(showing)
        cells = [opened[i][0] for i in showing]
        values = np.array([opened[i][1] for i in showing], dtype=float).reshape(
            len(cells), self.layers)
        hidden = [*self.part.labels, *(atoms for i, (atoms, _v, known) in opened.items()
                                       if i not in listed and not known)]
        return self.auditor.check(cells, values, hidden, layers, inner=inner,
                                  outer=[*outer, self.truth])
