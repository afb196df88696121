"""The attacker's arithmetic: a linear system over atoms, solved with HiGHS for bounds.

Every atom (one unit's resident answers in one month and segment, or one unit's answers in one
pulse round) has four unknowns, each ≥ 0: its detractors, passives and promoters, and its
respondents who gave no 0–10 score. A :class:`Fact` bounds a sum over atoms in one layer: the
scored answers (``n``, what NPS figures count), a category, promoters − detractors (``nps``),
or the respondents (a hidden cell has at least one). Where everyone answers the score, as in
the generated counties, the unscored unknowns are fixed at 0, so "hidden" bounds the scored
answers; the demo county has answers without a score, and there it does not.

:meth:`System.attack` finds, for every protected target and layer, the least and the greatest
value the facts allow (``scipy.optimize.linprog(method="highs")``); equal bounds mean the group
was worked out. Solving for the whole category split of each atom at once makes this attacker
at least as strong as separate systems per layer.

Speed: every point an LP returns is feasible, and a target whose value at some feasible point
differs from its true value (the truth is feasible too) is not determined; so a few batched
LPs dismiss most targets, and only the rest get an LP of their own (minimum, then maximum).
Batched points may come from the system with an extra upper bound on every unknown (a subset
of the feasible set). Nothing here is shared with the suppression under attack.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

#: Layers a target is checked in (``respondents`` too where some answers have no score).
LAYERS = ("n", "detractors", "passives", "promoters")
#: Weights of an atom's (detractors, passives, promoters, unscored) in each layer.
WEIGHTS = {"n": (1, 1, 1, 0), "detractors": (1, 0, 0, 0), "passives": (0, 1, 0, 0),
           "promoters": (0, 0, 1, 0), "nps": (-1, 0, 1, 0), "respondents": (1, 1, 1, 1)}
WIDTH = 4
#: A range narrower than this is a determined value (the issue's definition).
EXACT = 1e-6
#: A batched point must move a target by more than this to count as a witness (above LP noise).
WITNESS = 1e-4
#: Batched LPs before the targets left get LPs of their own.
BATCHED = 6


def resident_atom(unit: str, month: str, segment: int) -> tuple:
    """Key of a unit's own resident answers in a month (``2025-03``), in one segment."""
    return ("resident", unit, month, segment)


def staff_atom(unit: str, round_code: str) -> tuple:
    """Key of a unit's own answers in a pulse round."""
    return ("staff", unit, round_code)


@dataclass(frozen=True, slots=True)
class Counts:
    """Scored answers (``n``), their categories, and respondents without a score."""

    n: int
    detractors: int
    passives: int
    promoters: int
    unscored: int = 0

    @property
    def respondents(self) -> int:
        """Everyone who answered, with or without a score."""
        return self.n + self.unscored

    def layer(self, name: str) -> int:
        """The count of one layer."""
        return getattr(self, name)

    @staticmethod
    def sum(items: Iterable[Counts]) -> Counts:
        """The sum of several counts."""
        totals = [0] * 5
        for item in items:
            totals = [a + b for a, b in zip(totals, (item.n, item.detractors, item.passives,
                                                     item.promoters, item.unscored), strict=True)]
        return Counts(*totals)


ZERO = Counts(0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Fact:
    """``low ≤ Σ layer over atoms ≤ high`` (``high`` None: no upper bound) and its source."""

    atoms: frozenset
    layer: str
    low: float
    high: float | None
    source: str


def shown_facts(atoms: frozenset, numbers, source: str) -> list[Fact]:
    """Equations of a shown cell: (n, detractors, passives, promoters), None where not shown."""
    return [Fact(atoms, layer, value, value, source)
            for layer, value in zip(LAYERS, numbers, strict=True) if value is not None]


def hidden_fact(atoms: frozenset, source: str) -> Fact:
    """A hidden cell: empty cells are shown as 0, so it has at least one respondent."""
    return Fact(atoms, "respondents", 1, None, source)


@dataclass(frozen=True, slots=True)
class Target:
    """A protected group: a name, its atoms and its true counts."""

    name: str
    atoms: frozenset
    truth: Counts


@dataclass(frozen=True, slots=True)
class Finding:
    """A target's layer with its least and greatest value under the facts."""

    target: Target
    layer: str
    low: float
    #: None when the minimum was already below the truth (not determined, no maximum needed).
    high: float | None

    def __str__(self) -> str:
        high = "?" if self.high is None else f"{self.high:g}"
        return (f"{self.target.name}: {self.layer} = {self.target.truth.layer(self.layer)}, "
                f"LP range {self.low:g}..{high}")


@dataclass(slots=True)
class Outcome:
    """What an attack found: pinned layers, the layers that needed LPs of their own, LPs."""

    pinned: list[Finding]
    checked: list[Finding]
    lps: int


class System:
    """The facts as ``A_eq x = b_eq``, ``A_ub x ≤ b_ub``, ``x ≥ 0``, four unknowns per atom.

    ``everyone_scores``: no respondent skips the 0–10 question (unscored unknowns fixed at 0).
    """

    def __init__(self, facts: list[Fact], everyone_scores: bool = True) -> None:
        self.facts, self.everyone_scores = facts, everyone_scores
        keys = set()
        for fact in facts:
            keys |= fact.atoms
        self.atoms = sorted(keys, key=repr)
        self.index = {atom: i for i, atom in enumerate(self.atoms)}
        self.size = WIDTH * len(self.atoms)
        self.equal = [f for f in facts if f.high is not None and f.high == f.low]
        self.lower = [f for f in facts if not (f.high is not None and f.high == f.low)]
        self.upper = [f for f in self.lower if f.high is not None]
        self.a_eq = self.matrix([(f.atoms, f.layer) for f in self.equal])
        self.b_eq = np.array([f.low for f in self.equal], dtype=float)
        self.a_ub = self.matrix([(f.atoms, f.layer) for f in self.lower + self.upper],
                                [-1] * len(self.lower) + [1] * len(self.upper))
        self.b_ub = np.array([-f.low for f in self.lower] + [f.high for f in self.upper],
                             dtype=float)
        self.layers = LAYERS if everyone_scores else (*LAYERS, "respondents")
        self.lps = 0

    def matrix(self, rows: list[tuple[frozenset, str]], signs: list[int] | None = None
               ) -> csr_array:
        """Sparse rows, one per (atoms, layer), over the unknowns."""
        data, cols, ptr = [], [], [0]
        for r, (atoms, layer) in enumerate(rows):
            sign = signs[r] if signs else 1
            for atom in atoms:
                base = WIDTH * self.index[atom]
                for c, weight in enumerate(WEIGHTS[layer]):
                    if weight:
                        cols.append(base + c)
                        data.append(sign * weight)
            ptr.append(len(cols))
        return csr_array((np.array(data, dtype=float), np.array(cols, dtype=np.int64),
                          np.array(ptr, dtype=np.int64)), shape=(len(rows), self.size))

    def point(self, truth: dict) -> np.ndarray:
        """The unknowns of a dict atom → Counts (atoms missing from it are 0)."""
        x = np.zeros(self.size)
        for atom, counts in truth.items():
            i = self.index.get(atom)
            if i is not None:
                x[WIDTH * i:WIDTH * i + WIDTH] = (counts.detractors, counts.passives,
                                                  counts.promoters, counts.unscored)
        return x

    def violations(self, truth: dict) -> list[str]:
        """Facts that the true counts break: each is an observation read or modelled wrongly."""
        x = self.point(truth)
        bad = [f"{f.source}: {f.layer} is {v:g}, shown {f.low:g}"
               for f, v in zip(self.equal, self.a_eq @ x, strict=True) if abs(v - f.low) > 1e-9]
        slack = self.b_ub - self.a_ub @ x
        bad += [f"{f.source}: {f.layer} bound {f.low:g}..{f.high} broken by the truth"
                for f, s in zip(self.lower + self.upper, slack, strict=True) if s < -1e-9]
        if self.everyone_scores:
            bad += [f"{a} has answers without a score" for a, c in truth.items() if c.unscored]
        return bad

    def solve(self, objective: np.ndarray, cap: float | None = None
              ) -> tuple[float, np.ndarray | None]:
        """Minimum of ``objective · x`` and its point; ``(-inf, None)`` when unbounded."""
        result = self._linprog(objective, cap)
        if result.status == 3:
            return -math.inf, None
        assert result.status == 0, f"LP failed: {result.message}"
        return float(result.fun), result.x

    def _linprog(self, objective: np.ndarray, cap: float | None = None):
        self.lps += 1
        bounds = np.zeros((self.size, 2))
        bounds[:, 1] = np.inf if cap is None else cap
        if self.everyone_scores:
            bounds[WIDTH - 1::WIDTH, 1] = 0.0
        return linprog(objective, A_ub=self.a_ub if self.a_ub.shape[0] else None,
                       b_ub=self.b_ub if self.a_ub.shape[0] else None,
                       A_eq=self.a_eq if self.a_eq.shape[0] else None,
                       b_eq=self.b_eq if self.a_eq.shape[0] else None,
                       bounds=bounds, method="highs")

    def certificate(self, atoms: frozenset, layer: str) -> list[tuple[str, float, Fact]]:
        """The facts that bound a layer's sum from below and from above, with their weights.

        They are the non-zero duals of the minimum and maximum LPs: the sum of the facts times
        their weights (plus non-negativity) is the bound. For a pinned layer they say which
        observations give the group away.
        """
        row = self.matrix([(atoms, layer)]).toarray()[0]
        found = []
        for side, sign in (("min", 1), ("max", -1)):
            result = self._linprog(sign * row)
            if result.status != 0:
                continue
            duals = [*result.eqlin.marginals, *result.ineqlin.marginals]
            for fact, dual in zip(self.equal + self.lower + self.upper, duals, strict=True):
                if abs(dual) > 1e-9:
                    found.append((side, float(dual), fact))
        return found

    def attack(self, targets: list[Target], seed: int = 0) -> Outcome:
        """Every target's layers that the facts pin to one value (min = max by LP)."""
        rows = [(t, layer) for t in targets for layer in self.layers]
        if not rows:
            return Outcome([], [], self.lps)
        matrix = self.matrix([(t.atoms, layer) for t, layer in rows])
        values = np.array([t.truth.layer(layer) for t, layer in rows], dtype=float)
        open_rows = self._batched(matrix, values, np.random.default_rng(seed))
        checked, pinned = [], []
        for r in open_rows:
            target, layer = rows[r]
            row = matrix[[r]].toarray()[0]
            low, high = self.solve(row)[0], None
            assert low <= values[r] + EXACT, f"truth below the LP minimum: {target} {layer}"
            if low > values[r] - EXACT:
                high = -self.solve(-row)[0]
                assert high >= values[r] - EXACT, f"truth above the LP maximum: {target} {layer}"
            finding = Finding(target, layer, low, high)
            checked.append(finding)
            if high is not None and high - low < EXACT:
                pinned.append(finding)
        return Outcome(pinned, checked, self.lps)

    def _batched(self, matrix: csr_array, values: np.ndarray, rng) -> np.ndarray:
        """Rows not moved off their true value by a few LPs over random sums of open rows."""
        open_rows = np.arange(len(values))
        cap = 10.0 * (max((abs(f.low) for f in self.facts), default=0.0) + 10.0)
        idle = 0
        for i in range(BATCHED):
            if not len(open_rows) or idle == 2:
                break
            weights = rng.uniform(0.5, 1.5, len(open_rows))
            objective = (1 if i % 2 == 0 else -1) * (weights @ matrix[open_rows].toarray())
            _, x = self.solve(objective, cap)
            moved = np.abs(matrix[open_rows] @ x - values[open_rows]) > WITNESS
            idle = 0 if moved.any() else idle + 1
            open_rows = open_rows[~moved]
        return open_rows
