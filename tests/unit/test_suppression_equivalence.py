"""The indexed suppression engine decides exactly as the plain sweep it replaced.

``reference_suppress`` and ``reference_problem`` are the implementations of `suppress` and of the
report problem builder before the engine was indexed (kept here, verbatim in substance, as the
specification). Every test below compares whole decision dicts: which cells are hidden and why.
"""

from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from survey_app.periods import Period, parse_period
from survey_app.privacy.suppression import (
    SHOWN,
    Cell,
    OwnAnswers,
    Relation,
    Suppression,
    period_relations,
    suppress,
    tree_relations,
)
from survey_app.services.reports import protection
from survey_app.services.reports.tree import UnitTree

# --- the reference: the plain sweep over keyed cells -------------------------------------------


def reference_suppress(cells, relations, k):
    """Every relation in order, each made safe, sweeps repeated until nothing changes."""
    counts = {cell.key: cell.n for cell in cells}
    relations = list(relations)
    result = {}
    for key, n in counts.items():
        if isinstance(key, OwnAnswers):
            result[key] = Suppression(True, "not_displayed")
        elif 0 < n < k:
            result[key] = Suppression(True, "below_threshold")
        else:
            result[key] = SHOWN
    changed = True
    while changed:
        changed = False
        for relation in relations:
            while (victim := _reference_next_to_hide(relation, counts, result, k)) is not None:
                result[victim] = Suppression(True, "complementary")
                changed = True
    return result


def _reference_is_protected(key, counts, result, k):
    status = result[key]
    if not status.hidden:
        return False
    if status.reason == "not_displayed":
        return 0 < counts[key] < k
    return True


def _reference_is_safe(relation, counts, result, k):
    hidden = [part for part in relation.parts if result[part].hidden and counts[part] > 0]
    if result[relation.total].hidden:
        return bool(hidden) or not _reference_is_protected(relation.total, counts, result, k)
    hidden_sum = sum(counts[part] for part in hidden)
    if hidden_sum == 0:
        return True
    if hidden_sum < k:
        return False
    return not (len(hidden) == 1 and _reference_is_protected(hidden[0], counts, result, k))


def _reference_next_to_hide(relation, counts, result, k):
    if _reference_is_safe(relation, counts, result, k):
        return None
    candidates = [p for p in relation.parts if not result[p].hidden and counts[p] > 0]
    if candidates:
        return min(candidates, key=lambda p: (counts[p], repr(p)))
    if not result[relation.total].hidden:
        return relation.total
    raise AssertionError(f"cannot make {relation!r} safe")


def reference_problem(tree, counts, first_month):
    """Keyed cells and relations of a report, as `protect` built them before indexing."""
    totals = tree.roll_up(counts)
    month_labels = [Period.from_ordinal("month", first_month + m).label
                    for m in range(counts.shape[1])]
    cells, relations, labels = [], [], {}
    for unit in np.flatnonzero(totals.any(axis=1)):
        unit = int(unit)
        unit_cells, unit_relations = period_relations(
            {label: int(totals[unit, m]) for m, label in enumerate(month_labels)})
        cells += [Cell((unit, c.key), c.n) for c in unit_cells]
        relations += [Relation((unit, r.total), tuple((unit, p) for p in r.parts))
                      for r in unit_relations]
    for cell in cells:
        labels.setdefault(cell.key[1], [])
    for label in labels:
        months = [m.ordinal - first_month for m in parse_period(label).parts("month")]
        own = counts[:, months].sum(axis=1)
        total = totals[:, months].sum(axis=1)
        live = np.flatnonzero(total)
        if live.size == 0:
            continue
        parent_of = {int(u): (int(tree.parent[u]) if tree.parent[u] >= 0
                              and total[tree.parent[u]] else None) for u in live}
        own_counts = {int(u): int(own[u]) for u in live if own[u]}
        tree_cells, tree_relations_ = tree_relations(parent_of, own_counts)
        cells += [Cell(OwnAnswers((c.key.unit, label)), c.n) for c in tree_cells
                  if isinstance(c.key, OwnAnswers)]
        relations += [Relation((r.total, label), tuple(
            OwnAnswers((p.unit, label)) if isinstance(p, OwnAnswers) else (p, label)
            for p in r.parts)) for r in tree_relations_]
    return cells, relations


def hidden_only(result):
    return {key: status for key, status in result.items() if status.hidden}


# --- random problems ----------------------------------------------------------------------------

KEY_STYLES = ("text", "int", "tuple", "own")


@st.composite
def problems(draw):
    """Atoms with small counts (many ties), groups of atoms, relations splitting each group."""
    size = draw(st.integers(2, 9))
    atoms = draw(st.lists(st.sampled_from([0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 7, 9, 12]),
                          min_size=size, max_size=size))
    keys = [_atom_key(draw(st.sampled_from(KEY_STYLES)), i) for i in range(size)]
    groups = draw(st.lists(st.frozensets(st.integers(0, size - 1), min_size=2),
                           max_size=6, unique=True))
    cells = {frozenset([i]): (keys[i], atoms[i]) for i in range(size)}
    for j, group in enumerate(groups):
        cells.setdefault(group, (f"g{j}", sum(atoms[i] for i in group)))
    relations = []
    for group in groups:
        for _ in range(draw(st.integers(1, 2))):
            relations.append(_split(draw, group, cells))
    order = draw(st.permutations(range(len(relations))))
    cell_list = [Cell(key, n) for key, n in cells.values()]
    return cell_list, [relations[i] for i in order]


def _atom_key(style, i):
    return {"text": f"a{i}", "int": i, "tuple": (i % 3, f"m{i}"), "own": OwnAnswers(i)}[style]


def _split(draw, group, cells):
    """A relation group = some smaller groups (disjoint) + single atoms for the rest."""
    inside = [g for g in cells if len(g) > 1 and g < group]
    chosen, covered = [], frozenset()
    for g in draw(st.permutations(inside)):
        if not g & covered and draw(st.booleans()):
            chosen.append(g)
            covered |= g
    chosen += [frozenset([i]) for i in sorted(group - covered)]
    parts = [cells[g][0] for g in draw(st.permutations(chosen))]
    return Relation(cells[group][0], tuple(parts))


@settings(max_examples=1500, deadline=None)
@given(problems(), st.integers(1, 8))
def test_indexed_suppress_decides_as_the_plain_sweep_on_random_overlapping_relations(problem, k):
    cells, relations = problem
    assert suppress(cells, relations, k) == reference_suppress(cells, relations, k)


@st.composite
def forests(draw):
    size = draw(st.integers(1, 14))
    parent_of = {0: None}
    for unit in range(1, size):
        parent_of[unit] = draw(st.sampled_from([None, *range(unit)]))
    own = {unit: draw(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9, 15])) for unit in parent_of}
    return parent_of, own


@settings(max_examples=500, deadline=None)
@given(forests(), st.integers(2, 7))
def test_indexed_suppress_decides_as_the_plain_sweep_on_unit_trees(forest, k):
    cells, relations = tree_relations(*forest)
    assert suppress(cells, relations, k) == reference_suppress(cells, relations, k)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([f"{y}-{m:02d}" for y in (2025, 2026)
                                        for m in range(1, 13)]),
                       st.sampled_from([0, 1, 2, 3, 4, 5, 6, 8, 20]), max_size=24),
       st.integers(2, 7))
def test_indexed_suppress_decides_as_the_plain_sweep_on_calendars(months, k):
    cells, relations = period_relations(months)
    assert suppress(cells, relations, k) == reference_suppress(cells, relations, k)


# --- the report problem ---------------------------------------------------------------------------

FIRST_MONTH = 2025 * 12  # January 2025 as a month ordinal


def make_tree(parent):
    """A UnitTree from a parent array alone (what `protect` reads)."""
    parent = np.asarray(parent, dtype=np.int64)
    rows, cols = [], []
    for unit in range(parent.size):
        ancestor = unit
        while ancestor >= 0:
            rows.append(ancestor)
            cols.append(unit)
            ancestor = parent[ancestor]
    subtree = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(parent.size,) * 2)
    units = [SimpleNamespace(code=str(i)) for i in range(parent.size)]
    return UnitTree(units, np.arange(parent.size) + 1, parent, {}, {}, [], subtree)


@st.composite
def reports(draw):
    """A unit tree (children may be numbered before their parent) and own counts per month."""
    size = draw(st.integers(1, 12))
    numbering = draw(st.permutations(range(size)))
    parent = [-1] * size
    for rank in range(1, size):
        parent[numbering[rank]] = numbering[draw(st.integers(0, rank - 1))]
    density = draw(st.sampled_from([0.1, 0.3, 0.7]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    counts = rng.choice([1, 2, 3, 4, 6, 9, 20], size=(size, 24))
    counts[rng.random((size, 24)) > density] = 0
    return make_tree(parent), counts


def reference_decisions(tree, counts, k):
    cells, relations = reference_problem(tree, counts, FIRST_MONTH)
    return hidden_only(reference_suppress(cells, relations, k))


@settings(max_examples=300, deadline=None)
@given(reports(), st.integers(2, 7))
def test_protect_hides_the_same_cells_for_the_same_reasons_as_before(report, k):
    tree, counts = report
    protection._CACHE.clear()
    decisions = protection.protect(tree, counts, FIRST_MONTH, k).decisions
    assert decisions == {key: status for key, status in reference_decisions(tree, counts, k)
                         .items() if not isinstance(key, OwnAnswers)}


def test_protect_matches_the_reference_on_a_county_sized_tree():
    # 1 + 6 + 30 + 120 units as in the bench, answers at every level, many small months.
    parent = [-1]
    for _ in range(6):
        parent.append(0)
        d = len(parent) - 1
        for _ in range(5):
            parent.append(d)
            a = len(parent) - 1
            parent += [a] * 4
    rng = np.random.default_rng(7)
    counts = rng.poisson(rng.lognormal(0.5, 1.2, (len(parent), 1)), (len(parent), 24))
    counts[rng.random(counts.shape) < 0.3] = 0
    tree = make_tree(parent)
    for k in (5, 10):
        protection._CACHE.clear()
        decisions = protection.protect(tree, counts, FIRST_MONTH, k).decisions
        expected = {key: status for key, status in reference_decisions(tree, counts, k).items()
                    if not isinstance(key, OwnAnswers)}
        assert decisions == expected
        assert any(s.reason == "complementary" for s in decisions.values())
