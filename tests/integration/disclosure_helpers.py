"""A small reader-side attacker for the attack tests: what one reader sees, solved as an LP.

The reader collects shown cells (a unit's subtree in a period, with its members at the time it
was read), writes each as an equation over atoms (a unit's own answers in one month) and asks
``scipy.optimize.linprog`` (HiGHS) for the least and the greatest value of a protected group
under non-negativity. Equal bounds mean the group was recovered. This shares no code with the
suppression it checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from survey_app.periods import parse_period
from survey_app.services import reports
from survey_app.services.access import Scope

EVERYTHING = Scope(everything=True)
CATEGORIES = ("n", "detractors", "passives", "promoters")


@dataclass(frozen=True)
class Seen:
    """A number a reader saw: the atoms it sums and its values per category."""

    atoms: frozenset
    values: dict


def subtree(parent_of: dict[str, str | None], code: str) -> set[str]:
    """The unit codes of ``code``'s subtree under ``parent_of``."""
    found = {code}
    changed = True
    while changed:
        changed = False
        for unit, parent in parent_of.items():
            if parent in found and unit not in found:
                found.add(unit)
                changed = True
    return found


def atoms_of(parent_of, code: str, label: str) -> frozenset:
    """(unit, month label) atoms of a unit's subtree over a period."""
    months = [m.label for m in parse_period(label).parts("month")]
    return frozenset((u, m) for u in subtree(parent_of, code) for m in months)


def read_nps(session, parent_of, codes, labels) -> tuple[list[Seen], dict]:
    """Every shown NPS cell of ``codes`` × ``labels`` through the report service.

    Returns what was seen and each cell's suppression label, keyed (code, label).
    """
    seen, labels_of = [], {}
    for code in codes:
        for label in labels:
            cell = reports.overview(session, EVERYTHING, code, label, "en").metrics[0].cell
            labels_of[(code, label)] = cell.suppressed
            if cell.shown:
                d = cell.distribution
                values = {"n": cell.n, "detractors": d.detractors, "passives": d.passives,
                          "promoters": d.promoters}
                seen.append(Seen(atoms_of(parent_of, code, label), values))
    return seen, labels_of


def bounds(seen: list[Seen], target: frozenset, category: str = "n",
           at_least_one: list[frozenset] = ()) -> tuple[float, float]:
    """Least and greatest value of the sum over ``target`` consistent with what was seen.

    ``at_least_one``: groups the reader knows are not empty (a cell labelled "hidden", as
    empty cells are shown as "no answers").
    """
    atoms = sorted(set().union(target, *(s.atoms for s in seen), *at_least_one))
    column = {atom: j for j, atom in enumerate(atoms)}
    a_eq = np.zeros((len(seen), len(atoms)))
    for i, s in enumerate(seen):
        a_eq[i, [column[a] for a in s.atoms]] = 1.0
    b_eq = np.array([s.values[category] for s in seen], dtype=float)
    objective = np.zeros(len(atoms))
    objective[[column[a] for a in target]] = 1.0
    a_ub = np.zeros((len(at_least_one), len(atoms)))
    for i, group in enumerate(at_least_one):
        a_ub[i, [column[a] for a in group]] = -1.0
    b_ub = -np.ones(len(at_least_one))
    result = []
    for sign in (1.0, -1.0):
        solved = linprog(sign * objective, A_eq=a_eq if len(seen) else None,
                         b_eq=b_eq if len(seen) else None,
                         A_ub=a_ub if len(at_least_one) else None,
                         b_ub=b_ub if len(at_least_one) else None,
                         bounds=(0, None), method="highs")
        assert solved.status in (0, 3), solved.message
        result.append(sign * solved.fun if solved.status == 0 else float("inf"))
    return result[0], result[1]


def recovered(seen: list[Seen], targets: dict, categories=CATEGORIES,
              at_least_one: list[frozenset] = ()) -> list:
    """The protected targets whose respondent count or a category count is pinned exactly."""
    found = []
    for name, target in targets.items():
        for category in categories:
            usable = [s for s in seen if category in s.values]
            low, high = bounds(usable, target, category,
                               list(at_least_one) if category == "n" else [])
            if abs(high - low) < 1e-6:
                found.append((name, category, low))
    return found
