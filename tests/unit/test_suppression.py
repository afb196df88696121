"""Small-group suppression: primary hiding and difference protection against each attack."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.privacy.suppression import (
    Cell,
    OwnAnswers,
    Relation,
    Suppression,
    period_relations,
    suppress,
    tree_relations,
    violations,
)

K = 5
FAMILY = {"org": None, "a": "org", "b": "org"}


def hidden(result):
    return {key: status.reason for key, status in result.items() if status.hidden}


def family(total_key, parts, k=K):
    """One relation: total = parts (a dict key -> n)."""
    cells = [Cell(total_key, sum(parts.values()))] + [Cell(key, n) for key, n in parts.items()]
    return suppress(cells, [Relation(total_key, tuple(parts))], k)


def test_nothing_is_hidden_when_every_cell_reaches_k():
    assert hidden(family("org", {"a": 5, "b": 9})) == {}


def test_zero_cells_are_shown_and_never_used_as_complement():
    assert hidden(family("org", {"a": 0, "b": 7, "c": 9})) == {}
    # a small cell's complement skips the empty sibling and takes the smallest non-empty one
    assert hidden(family("org", {"a": 2, "b": 0, "c": 9, "d": 7})) == {
        "a": "below_threshold",
        "d": "complementary",
    }


def test_a_parent_with_one_small_child_hides_the_next_smallest_sibling():
    result = family("org", {"a": 2, "b": 30, "c": 8, "d": 12})
    assert hidden(result) == {"a": "below_threshold", "c": "complementary"}
    assert result["org"] == Suppression(False)


def test_two_small_children_summing_below_k_pull_in_a_third():
    result = family("org", {"a": 1, "b": 2, "c": 6, "d": 20})
    assert hidden(result) == {"a": "below_threshold", "b": "below_threshold", "c": "complementary"}


def test_two_small_children_summing_to_k_need_no_complement():
    assert hidden(family("org", {"a": 2, "b": 3, "c": 20})) == {
        "a": "below_threshold",
        "b": "below_threshold",
    }


def test_ties_are_broken_by_key():
    assert hidden(family("org", {"a": 1, "z": 7, "m": 7, "b": 9})) == {
        "a": "below_threshold",
        "m": "complementary",
    }


def test_an_all_small_family_hides_everything():
    result = family("org", {"a": 1, "b": 2, "c": 1})
    assert hidden(result) == {
        "org": "below_threshold",
        "a": "below_threshold",
        "b": "below_threshold",
        "c": "below_threshold",
    }


def test_a_single_part_relation_hides_the_total_when_the_part_is_hidden():
    cells = [Cell("org", 12), Cell("x", 12), Cell("y", 2), Cell("xy", 14)]
    relations = [Relation("org", ("x",)), Relation("xy", ("x", "y"))]
    result = suppress(cells, relations, K)
    # y is small, x is its complement, and org = x alone would give x away
    assert hidden(result) == {"y": "below_threshold", "x": "complementary", "org": "complementary"}


def test_a_unit_with_small_own_answers_hides_a_child():
    # org has 2 answers of its own: org - a - b would reveal them
    cells, relations = tree_relations(FAMILY, {"org": 2, "a": 9, "b": 7})
    result = suppress(cells, relations, K)
    assert hidden(result) == {OwnAnswers("org"): "not_displayed", "b": "complementary"}


def test_large_own_answers_may_be_derived_and_need_no_complement():
    cells, relations = tree_relations(FAMILY, {"org": 6, "a": 9, "b": 7})
    assert hidden(suppress(cells, relations, K)) == {OwnAnswers("org"): "not_displayed"}


def test_large_own_answers_protect_a_single_small_child():
    cells, relations = tree_relations(FAMILY, {"org": 6, "a": 2, "b": 7})
    assert hidden(suppress(cells, relations, K)) == {
        OwnAnswers("org"): "not_displayed",
        "a": "below_threshold",
    }


def test_hiding_cascades_down_a_grandchild_chain():
    parent_of = {"org": None, "area": "org", "other": "org", "unit": "area", "team": "area",
                 "small": "unit", "big": "unit"}
    own = {"other": 40, "team": 6, "small": 2, "big": 9}
    cells, relations = tree_relations(parent_of, own)
    result = suppress(cells, relations, K)
    # small (2) is hidden; big is its complement; unit stays (11), area and org stay.
    assert hidden(result) == {"small": "below_threshold", "big": "complementary"}
    assert not violations(relations, {c.key: c.n for c in cells}, result, K)


def test_a_complementary_cell_is_itself_protected_one_level_up():
    # area = unit + team; unit = x + y. team is small, so unit becomes its complement at area
    # level; showing both x and y would then give unit away as x + y.
    parent_of = {"area": None, "unit": "area", "team": "area", "x": "unit", "y": "unit"}
    own = {"team": 3, "x": 8, "y": 9}
    cells, relations = tree_relations(parent_of, own)
    result = suppress(cells, relations, K)
    assert hidden(result) == {
        "team": "below_threshold",
        "unit": "complementary",
        "x": "complementary",
    }
    assert not violations(relations, {c.key: c.n for c in cells}, result, K)


def test_a_quarter_with_one_small_month_hides_another_month():
    cells, relations = period_relations({"2026-01": 12, "2026-02": 3, "2026-03": 20})
    result = suppress(cells, relations, K)
    assert hidden(result) == {"2026-02": "below_threshold", "2026-01": "complementary"}
    assert not result["2026-Q1"].hidden and not result["2026"].hidden


def test_a_tertial_minus_its_quarter_cannot_reveal_a_small_april():
    cells, relations = period_relations({"2026-01": 9, "2026-02": 9, "2026-03": 9, "2026-04": 2,
                                         "2026-05": 30})
    result = suppress(cells, relations, K)
    hide = hidden(result)
    assert hide["2026-04"] == "below_threshold"
    # T1 = Q1 + April: with T1 shown, Q1 must be hidden as well (or T1)
    assert result["2026-Q1"].hidden or result["2026-T1"].hidden
    assert not violations(relations, {c.key: c.n for c in cells}, result, K)


def test_a_year_with_one_small_quarter_hides_another_quarter():
    months = {f"2026-{m:02d}": 10 for m in range(1, 13)}
    months.update({"2026-10": 1, "2026-11": 1, "2026-12": 1})
    cells, relations = period_relations(months)
    result = suppress(cells, relations, K)
    assert result["2026-Q4"].reason == "below_threshold"
    assert not violations(relations, {c.key: c.n for c in cells}, result, K)
    assert sum(result[f"2026-Q{q}"].hidden for q in range(1, 5)) >= 2


def test_violations_detects_primary_suppression_alone_as_unsafe():
    counts = {"org": 12, "a": 2, "b": 10}
    relations = [Relation("org", ("a", "b"))]
    primary_only = {"org": Suppression(False), "a": Suppression(True, "below_threshold"),
                    "b": Suppression(False)}
    assert violations(relations, counts, primary_only, K) == relations


def test_period_cells_use_the_design_keys():
    cells, _ = period_relations({"2026-03": 4})
    counts = {c.key: c.n for c in cells}
    assert counts["2026-Q1"] == 4 and counts["2026-T1"] == 4 and counts["2026"] == 4
    assert counts["2026-T3"] == 0 and len(counts) == 12 + 4 + 3 + 1


@pytest.mark.parametrize("bad", ["2026-3", "26-03", "2026-13", "2026/03"])
def test_period_relations_refuse_bad_month_keys(bad):
    with pytest.raises(ValueError, match="month"):
        period_relations({bad: 1})


def test_inconsistent_totals_are_refused():
    with pytest.raises(ValueError, match="parts sum to 5"):
        suppress([Cell("t", 6), Cell("a", 5)], [Relation("t", ("a",))], K)


def test_unknown_and_duplicate_cells_and_bad_counts_are_refused():
    with pytest.raises(ValueError, match="unknown cell"):
        suppress([Cell("t", 5)], [Relation("t", ("a",))], K)
    with pytest.raises(ValueError, match="duplicate"):
        suppress([Cell("t", 5), Cell("t", 5)], [], K)
    with pytest.raises(ValueError, match="n=-1"):
        suppress([Cell("t", -1)], [], K)
    with pytest.raises(ValueError, match="k must be"):
        suppress([], [], 0)


def test_tree_relations_refuse_cycles_and_unknown_parents():
    with pytest.raises(ValueError, match="cycle"):
        tree_relations({"a": "b", "b": "a"}, {})
    with pytest.raises(ValueError, match="unknown parent"):
        tree_relations({"a": "zz"}, {})


def test_tree_cells_count_whole_subtrees():
    cells, relations = tree_relations({"org": None, "a": "org", "a1": "a"}, {"org": 1, "a1": 4})
    assert {c.key: c.n for c in cells} == {"org": 5, "a": 4, "a1": 4, OwnAnswers("org"): 1}
    assert Relation("org", (OwnAnswers("org"), "a")) in relations


@st.composite
def trees(draw):
    size = draw(st.integers(1, 12))
    parent_of = {0: None}
    for unit in range(1, size):
        parent_of[unit] = draw(st.integers(0, unit - 1))
    own = {unit: draw(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9, 15])) for unit in parent_of}
    return parent_of, own


def assert_no_single_relation_reveals_a_small_group(cells, relations, result, k):
    counts = {c.key: c.n for c in cells}
    for cell in cells:
        if 0 < cell.n < k:
            assert result[cell.key].hidden
    for relation in relations:
        parts_hidden = [p for p in relation.parts if result[p].hidden and counts[p] > 0]
        if not result[relation.total].hidden:
            total = sum(counts[p] for p in parts_hidden)
            assert total == 0 or total >= k
            if len(parts_hidden) == 1:
                only = parts_hidden[0]
                assert result[only].reason == "not_displayed" and counts[only] >= k
        elif result[relation.total].reason != "not_displayed":
            assert parts_hidden, relation
    assert not violations(relations, counts, result, k)


@settings(max_examples=200, deadline=None)
@given(trees(), st.integers(3, 6))
def test_no_tree_relation_ever_reveals_a_small_group(tree, k):
    cells, relations = tree_relations(*tree)
    result = suppress(cells, relations, k)
    assert_no_single_relation_reveals_a_small_group(cells, relations, result, k)
    assert suppress(cells, relations, k) == result  # deterministic


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([f"2026-{m:02d}" for m in range(1, 13)]),
        st.sampled_from([0, 1, 2, 3, 4, 5, 8, 20]),
        max_size=12,
    ),
    st.integers(3, 6),
)
def test_no_period_relation_ever_reveals_a_small_group(months, k):
    cells, relations = period_relations(months)
    result = suppress(cells, relations, k)
    assert_no_single_relation_reveals_a_small_group(cells, relations, result, k)
