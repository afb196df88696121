"""Issue 12's attack classes 1–6 and 9, each written as the attack a hostile reader would run.

Every test plays the reader: it publishes as the nightly job would (``publish(until=…)`` is
``survey-app releases publish --until``), reads what the outputs show, and tries to recover a
protected group (fewer than k = 5 answers). The attack must fail: the numbers it needs are not
shown, or an LP over everything seen (``disclosure_helpers``) cannot pin the group.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from survey_app.models import OrgUnit
from survey_app.services import reports
from survey_app.services.public import area as area_service
from tests.integration.disclosure_helpers import (
    EVERYTHING,
    Seen,
    atoms_of,
    read_nps,
    recovered,
)
from tests.integration.reports_fixtures import add_resident, add_round, build_county, publish

#: The county of ``build_county``: ROOT → A (A1, A2), B (B1), S.
TREE = {"ROOT": None, "A": "ROOT", "B": "ROOT", "A1": "A", "A2": "A", "B1": "B", "S": "ROOT"}
MONTHS_2026 = [f"2026-{m:02d}" for m in range(1, 13)]
PERIODS_2026 = [*MONTHS_2026, "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2026-T1", "2026-T2",
                "2026-T3", "2026"]


def _county(make_unit, make_survey):
    units = build_county(make_unit)
    return units, make_survey(units["ROOT"], code="resident-all")


def _cell(session, code: str, label: str, metric: str = "nps"):
    summary = reports.overview(session, EVERYTHING, code, label, "en")
    return next(m.cell for m in summary.metrics if m.metric == metric)


def test_attack_1_running_periods_day_by_day_read_nothing_new(session, make_unit,
                                                              make_survey):
    units, survey = _county(make_unit, make_survey)
    add_resident(session, survey, units["A1"], date(2026, 1, 12), [9] * 20)
    add_resident(session, survey, units["A1"], date(2026, 2, 3), [10] * 8)
    add_resident(session, survey, units["A1"], date(2026, 2, 4), [0])  # one answer that day
    views = []
    for today in (date(2026, 2, 4), date(2026, 2, 5)):  # the nightly publish, day after day
        publish(session, until=today)
        views.append({label: _cell(session, code, label)
                      for code in ("A1", "A", "ROOT") for label in ("2026-02", "2026-Q1",
                                                                     "2026-T1", "2026")})
    # The reader subtracts yesterday's view from today's: every running period is unreleased
    # on both days, so there is nothing to subtract.
    assert views[0] == views[1]
    assert {cell.suppressed for cell in views[1].values()} == {"not_released"}
    publish(session, until=date(2026, 3, 1))
    february = _cell(session, "A1", "2026-02")
    assert february.n == 9  # the month appears whole, once, after it ends


def test_attack_2_a_second_staff_round_in_the_same_month_is_not_read_by_difference(
        session, make_unit, make_survey):
    units, _ = _county(make_unit, make_survey)
    people = [(9, 80.0, {"safety": 70.0})] * 6
    add_round(session, make_survey, units["ROOT"], "round-1",
              datetime(2026, 3, 10, 12, tzinfo=UTC), {units["S"]: people})
    publish(session, until=date(2026, 3, 11))
    before = {m.metric: m.cell for m in reports.overview(
        session, EVERYTHING, "S", "2026-03", "en").metrics}
    assert before["enps"].n == 6
    # Round 2 in the same month: one person answers.
    add_round(session, make_survey, units["ROOT"], "round-2",
              datetime(2026, 3, 20, 12, tzinfo=UTC), {units["S"]: [(0, 20.0, {"safety": 5.0})]})
    publish(session, until=date(2026, 3, 21))
    after = {m.metric: m.cell for m in reports.overview(
        session, EVERYTHING, "S", "2026-03", "en").metrics}
    for metric in ("enps", "qwl"):
        # "after − before" would be the one person's eNPS answer and QWL index.
        assert after[metric].n is None and after[metric].value is None
        assert after[metric].suppressed == "hidden"
    root = {m.metric: m.cell for m in reports.overview(
        session, EVERYTHING, "ROOT", "2026-Q1", "en").metrics}
    assert root["enps"].suppressed == "hidden" and root["qwl"].n is None


def test_attack_3_overlapping_quarter_and_tertial_do_not_give_away_a_hidden_month(
        session, make_unit, make_survey):
    units, survey = _county(make_unit, make_survey)
    add_resident(session, survey, units["A1"], date(2026, 4, 8), [10, 0, 7])  # April: 3
    for month in (5, 6, 7, 8, 9):
        add_resident(session, survey, units["A1"], date(2026, month, 8), [9] * 6 + [2] * 2)
    add_resident(session, survey, units["B1"], date(2026, 1, 8), [8] * 7)
    publish(session, until=date(2027, 1, 1))
    q2, t2 = _cell(session, "A1", "2026-Q2"), _cell(session, "A1", "2026-T2")
    july, august = _cell(session, "A1", "2026-07"), _cell(session, "A1", "2026-08")
    # Q2 − T2 + July + August = April: at least one term is hidden.
    assert not all(c.shown for c in (q2, t2, july, august))
    seen, _ = read_nps(session, TREE, list(TREE), PERIODS_2026)
    april = {("A1", "2026-04"): frozenset({("A1", "2026-04")})}
    # Neither April's count nor any of its categories (a tertial without passives, say).
    assert recovered(seen, april) == []


def test_attack_4_the_public_page_adds_nothing_to_the_reports(session, make_unit,
                                                              make_survey):
    units, survey = _county(make_unit, make_survey)
    add_resident(session, survey, units["A1"], date(2026, 10, 3), [10] * 9 + [3] * 2)
    add_resident(session, survey, units["A2"], date(2026, 10, 4), [9, 9, 6])  # protected
    add_resident(session, survey, units["B1"], date(2026, 10, 5), [8] * 12)
    publish(session, until=date(2026, 11, 1))
    seen, labels = read_nps(session, TREE, list(TREE), ["2026-10"])
    public = area_service.public_area(session, "A", "en")
    assert (public.first_day, public.last_day) == (date(2026, 10, 1), date(2026, 10, 31))
    for score in (public.area, *public.units):
        report = labels[(score.code, "2026-10")]
        # Hidden in the reports means hidden on the public page, and vice versa.
        assert score.suppressed == report, score.code
        if score.n is not None:
            seen.append(Seen(atoms_of(TREE, score.code, "2026-10"), {"n": score.n}))
    targets = {"A2": frozenset({("A2", "2026-10")})}
    assert recovered(seen, targets, ("n",)) == []


def test_attack_5_successive_public_pages_cannot_be_differenced_into_days(
        session, make_unit, make_survey):
    units, survey = _county(make_unit, make_survey)
    add_resident(session, survey, units["A1"], date(2026, 10, 20), [10] * 12)
    add_resident(session, survey, units["A1"], date(2026, 11, 2), [0] * 12)
    add_resident(session, survey, units["A1"], date(2026, 11, 9), [3])  # one answer that week
    publish(session, until=date(2026, 11, 1))
    pages = []
    for as_of in (date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 17)):
        publish(session, until=as_of)  # nightly publishes during November change nothing
        pages.append(area_service.public_area(session, "A", "en", as_of=as_of))
    # Week after week the page is the same calendar month: no window slides over the answers.
    assert pages[0] == pages[1] == pages[2]
    assert (pages[0].first_day, pages[0].last_day) == (date(2026, 10, 1), date(2026, 10, 31))
    publish(session, until=date(2026, 12, 1))
    november = area_service.public_area(session, "A", "en")
    # The next page is the next whole month, exactly the reports' released November cell.
    assert (november.first_day, november.area.n) == (date(2026, 11, 1), 13)
    assert _cell(session, "A", "2026-11").n == 13


def test_attack_6_a_reorganisation_does_not_re_roll_past_decisions(session, make_unit,
                                                                   make_survey):
    units, survey = _county(make_unit, make_survey)
    add_resident(session, survey, units["A1"], date(2026, 1, 10), [9] * 8 + [7] * 2)
    add_resident(session, survey, units["A2"], date(2026, 1, 11), [0, 0, 10])  # protected
    add_resident(session, survey, units["A1"], date(2026, 2, 10), [9] * 7)
    add_resident(session, survey, units["B1"], date(2026, 2, 10), [8] * 9)
    publish(session, until=date(2026, 3, 1))
    before, _ = read_nps(session, TREE, list(TREE), ["2026-01", "2026-02"])
    # A2 moves from A to B before the quarter is released.
    a2, b = units["A2"], units["B"]
    a2.parent_id, a2.path = b.id, f"{b.path}{a2.id}/"
    session.commit()
    add_resident(session, survey, units["A1"], date(2026, 3, 10), [9] * 8)
    publish(session, until=date(2026, 4, 1))
    moved = {**TREE, "A2": "B"}
    after, _ = read_nps(session, moved, list(moved), ["2026-03", "2026-Q1", "2026-T1"])
    # Jan cells read before the move keep their old members; later cells have the new ones.
    assert session.scalar(select(OrgUnit.parent_id).where(OrgUnit.code == "A2")) == b.id
    target = {"A2 in January": frozenset({("A2", "2026-01")})}
    assert recovered(before + after, target) == []
    a_before = next(s for s in before if s.atoms == atoms_of(TREE, "A", "2026-01"))
    assert a_before.values["n"] == 13  # A's January was shown, so the quarter had to give


def test_attack_9_hidden_cells_carry_no_label_that_bounds_them(session, make_unit,
                                                               make_survey, app):
    units, survey = _county(make_unit, make_survey)
    add_resident(session, survey, units["A1"], date(2026, 1, 10), [9] * 28 + [7] * 2)
    add_resident(session, survey, units["A2"], date(2026, 1, 10), [0])         # 1 answer
    add_resident(session, survey, units["B1"], date(2026, 1, 10), [9] * 2)     # 2 answers
    publish(session, until=date(2026, 2, 1))
    _, labels = read_nps(session, TREE, list(TREE), ["2026-01"])
    hidden = {key for key, label in labels.items() if label is not None}
    # Primary (1 or 2 answers) and secondary cells look exactly alike to the reader.
    # A (31 answers) is hidden as ROOT − A would be B's two answers.
    assert {("A2", "2026-01"), ("B1", "2026-01"), ("A", "2026-01")} <= hidden
    assert {labels[key] for key in hidden} == {"hidden"}
    from survey_app.services.reports import tables

    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        table = tables.units_table(reports.unit_table(session, EVERYTHING, "A", "nps",
                                                      "2026-01", "en"))
    texts = {row[4] for row in table.rows if not isinstance(row[4], int)}
    assert texts == {"Hidden so that a small group cannot be worked out"}
    # With the only bound a reader has (non-negativity), nothing small is pinned.
    seen, _ = read_nps(session, TREE, list(TREE), ["2026-01"])
    targets = {code: atoms_of(TREE, code, "2026-01") for code in ("A2", "B1")}
    assert recovered(seen, targets) == []


def test_attack_9_the_hidden_label_as_a_lower_bound_does_not_pin_single_answers(
        session, make_unit, make_survey):
    units, survey = _county(make_unit, make_survey)
    a3, a4 = make_unit("A3", parent=units["A"]), make_unit("A4", parent=units["A"])
    tree = {**TREE, "A3": "A", "A4": "A"}
    # Three units with one answer each, one in every NPS category (so no category is 0).
    add_resident(session, survey, units["A1"], date(2026, 1, 10), [0])
    add_resident(session, survey, units["A2"], date(2026, 1, 10), [7])
    add_resident(session, survey, a4, date(2026, 1, 10), [10])
    add_resident(session, survey, a3, date(2026, 1, 10), [9] * 8 + [7, 2])
    add_resident(session, survey, units["B1"], date(2026, 1, 10), [9] * 7 + [7, 3])
    publish(session, until=date(2026, 2, 1))
    codes = [*tree]
    seen, labels = read_nps(session, tree, codes, ["2026-01"])
    # "hidden" tells the reader a cell is not empty: use it as a bound of 1.
    not_empty = [atoms_of(tree, code, "2026-01") for (code, _), label in labels.items()
                 if label == "hidden"]
    assert {labels[(code, "2026-01")] for code in ("A1", "A2", "A4")} == {"hidden"}
    # A and A3 both shown would leave 3 answers for three hidden units: one each.
    assert not (labels[("A", "2026-01")] is None and labels[("A3", "2026-01")] is None)
    targets = {code: atoms_of(tree, code, "2026-01") for code in ("A1", "A2", "A4")}
    assert recovered(seen, targets, ("n",), at_least_one=not_empty) == []


def test_late_answers_to_a_released_month_cannot_be_read_by_difference(session, make_unit,
                                                                       make_survey):
    # Answers to January arrive after January was released (paper forms entered late). The
    # quarter then holds them and January's released cells do not: Q1 − Jan − Feb − Mar
    # would be exactly the late batch.
    units, survey = _county(make_unit, make_survey)
    for code, scores in (("A1", [9] * 8 + [7] * 4), ("A2", [10] * 6 + [3] * 6),
                         ("B1", [9] * 5 + [8] * 5 + [1] * 2)):
        for month in (1, 2, 3):
            add_resident(session, survey, units[code], date(2026, month, 10), scores)
    publish(session, until=date(2026, 3, 1))
    codes = list(TREE)
    january_before = {code: _cell(session, code, "2026-01") for code in codes}
    seen_before, _ = read_nps(session, TREE, codes, ["2026-01", "2026-02"])
    add_resident(session, survey, units["A1"], date(2026, 1, 20), [0, 7])  # the late batch
    publish(session, until=date(2026, 4, 1))
    assert {code: _cell(session, code, "2026-01") for code in codes} == january_before
    seen_after, _ = read_nps(session, TREE, codes, ["2026-03", "2026-Q1"])

    def split(seen, late: bool):
        # Atoms as the cell saw them: January of A1 before and after the late batch.
        result = []
        for s in seen:
            atoms = {(u, m, "base") for u, m in s.atoms}
            if late and ("A1", "2026-01") in s.atoms:
                atoms.add(("A1", "2026-01", "late"))
            result.append(Seen(frozenset(atoms), s.values))
        return result

    seen = split(seen_before, False) + split(seen_after, True)
    late = frozenset({("A1", "2026-01", "late")})
    assert any(late <= s.atoms for s in seen)  # the quarter was read with the late batch in it
    assert recovered(seen, {"A1's late January answers": late}) == []
