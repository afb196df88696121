"""The report service against hand-computed aggregates, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from survey_app.errors import Forbidden, InvalidInput, NotFound
from survey_app.privacy import Thresholds
from survey_app.scoring import nps_difference, nps_funnel_limits, nps_interval
from survey_app.services import reports
from survey_app.services.access import Scope
from tests.integration.reports_fixtures import (
    AS_OF,
    add_resident,
    add_round,
    build_county,
    publish,
    republish,
)

EVERYTHING = Scope(everything=True)
K5 = Thresholds()


@pytest.fixture
def county(session, make_unit, make_survey):
    units = build_county(make_unit)
    survey = make_survey(units["ROOT"], code="resident-all")
    return units, survey


def test_overview_nps_is_the_subtree_sum_of_the_quarter(session, county):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [10, 10, 9, 8, 7, 3, 0])
    add_resident(session, survey, units["A2"], date(2026, 3, 31), [10, 9, 9, 9, 9, 6])
    add_resident(session, survey, units["B1"], date(2026, 2, 14), [0, 1, 2, 8, 10])
    # Outside the quarter: must not count.
    add_resident(session, survey, units["A1"], date(2026, 4, 1), [0] * 9)
    publish(session)
    result = reports.overview(session, EVERYTHING, None, "2026-Q1", "en", as_of=AS_OF,
                              thresholds=K5)
    nps = next(m for m in result.metrics if m.metric == "nps").cell
    # promoters 3+5+1 = 9, passives 2+0+1 = 3, detractors 2+1+3 = 6
    expected = nps_interval(6, 3, 9)
    assert (nps.n, nps.unit_code, nps.period) == (18, "ROOT", "2026-Q1")
    assert nps.value == pytest.approx(100 * (9 - 6) / 18)
    assert (nps.low, nps.high) == (pytest.approx(expected.low), pytest.approx(expected.high))
    assert nps.distribution.promoters == 9 and nps.distribution.detractors == 6
    assert result.unit.code == "ROOT" and result.granularity == "quarter"


def test_unit_table_rows_are_children_with_their_subtree_numbers(session, county):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [10] * 6)
    add_resident(session, survey, units["A2"], date(2026, 1, 6), [0] * 6)
    add_resident(session, survey, units["B1"], date(2026, 1, 7), [8] * 7)
    publish(session)
    table = reports.unit_table(session, EVERYTHING, "ROOT", "nps", "2026-Q1", "en",
                               as_of=AS_OF, thresholds=K5)
    rows = {ref.code: cell for ref, cell in table.rows}
    # S answers only staff surveys: no row in a resident table.
    assert set(rows) == {"A", "B"}
    assert (rows["A"].n, rows["A"].value) == (12, 0.0)
    assert (rows["B"].n, rows["B"].value) == (7, 0.0)
    assert table.total.n == 19


def test_unit_table_sorts_by_value_descending(session, county):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [10] * 6)
    add_resident(session, survey, units["B1"], date(2026, 1, 7), [0] * 7)
    publish(session)
    table = reports.unit_table(session, EVERYTHING, "ROOT", "nps", "2026-Q1", "en",
                               sort="value", descending=True, as_of=AS_OF, thresholds=K5)
    assert [ref.code for ref, _ in table.rows] == ["A", "B"]
    ascending = reports.unit_table(session, EVERYTHING, "ROOT", "nps", "2026-Q1", "en",
                                   sort="value", as_of=AS_OF, thresholds=K5)
    assert [ref.code for ref, _ in ascending.rows] == ["B", "A"]


def test_change_against_previous_quarter_and_year_is_marked_only_when_significant(
        session, county):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 2, 1), [10] * 60)
    add_resident(session, survey, units["A1"], date(2025, 11, 1), [0] * 60)
    add_resident(session, survey, units["A1"], date(2025, 2, 1), [10] * 30 + [0] * 30)
    publish(session)
    result = reports.overview(session, EVERYTHING, "A1", "2026-Q1", "en", as_of=AS_OF,
                              thresholds=K5)
    cell = next(m for m in result.metrics if m.metric == "nps").cell
    assert cell.change_previous.against == "2025-Q4"
    assert cell.change_previous.delta == pytest.approx(200.0)
    assert cell.change_previous.significant
    assert cell.change_year.against == "2025-Q1"
    assert cell.change_year.delta == pytest.approx(100.0)
    assert cell.change_year.low < 100 < cell.change_year.high


def test_a_small_difference_is_not_marked_significant(session, county):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 2, 1), [10] * 6 + [0] * 5)
    add_resident(session, survey, units["A1"], date(2025, 11, 1), [10] * 5 + [0] * 6)
    publish(session)
    result = reports.overview(session, EVERYTHING, "A1", "2026-Q1", "en", as_of=AS_OF,
                              thresholds=K5)
    change = next(m for m in result.metrics if m.metric == "nps").cell.change_previous
    assert change.delta == pytest.approx(100 * 1 / 11 - 100 * -1 / 11)
    assert change.significant is False and change.low < 0 < change.high


def test_trend_has_one_cell_per_period_ending_with_the_chosen_one(session, county):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 2, 1), [10] * 6)
    publish(session)
    result = reports.overview(session, EVERYTHING, "A1", "2026-T1", "en", as_of=AS_OF,
                              thresholds=K5)
    trend = next(m for m in result.metrics if m.metric == "nps").trend
    assert [c.period for c in trend] == ["2025-T1", "2025-T2", "2025-T3", "2026-T1"]
    assert [c.n for c in trend] == [0, 0, 0, 6]


def test_enps_and_qwl_come_from_rounds_closing_in_the_period_helsinki_time(
        session, county, make_survey):
    units, _ = county
    people = [(10, 80.0, {"safety": 70.0}), (9, 60.0, {"safety": 50.0}),
              (5, 40.0, {"safety": 40.0}), (7, 50.0, {"safety": 60.0}),
              (10, 70.0, {"safety": 90.0})]
    # 21:30 UTC on 31 March is 00:30 on 1 April in Helsinki: the round belongs to Q2.
    add_round(session, make_survey, units["ROOT"], "round-q2",
              datetime(2026, 3, 31, 21, 30, tzinfo=UTC), {units["S"]: people})
    add_round(session, make_survey, units["ROOT"], "round-q1",
              datetime(2026, 3, 31, 20, 30, tzinfo=UTC), {units["S"]: people[:2] * 3})
    publish(session)
    q2 = reports.overview(session, EVERYTHING, "S", "2026-Q2", "en", as_of=AS_OF, thresholds=K5)
    cells = {m.metric: m.cell for m in q2.metrics}
    assert cells["enps"].n == 5
    assert cells["enps"].value == pytest.approx(100 * (3 - 1) / 5)
    assert cells["qwl"].value == pytest.approx(60.0)
    assert cells["qwl"].sd == pytest.approx(15.811388, rel=1e-6)
    q1 = reports.overview(session, EVERYTHING, "S", "2026-Q1", "en", as_of=AS_OF, thresholds=K5)
    q1_cells = {m.metric: m.cell for m in q1.metrics}
    assert (q1_cells["enps"].n, q1_cells["enps"].value) == (6, 100.0)
    assert q2.metrics[1].cell.change_previous.against == "2026-Q1"


def test_rounds_not_closed_before_the_publish_day_are_not_released(session, county,
                                                                    make_survey):
    units, _ = county
    people = [(10, 80.0, None)] * 6
    add_round(session, make_survey, units["ROOT"], "round-late",
              datetime(2026, 11, 28, 12, 0, tzinfo=UTC), {units["S"]: people})
    publish(session, until=date(2026, 11, 28))  # the round closes later that day
    result = reports.overview(session, EVERYTHING, "S", "2026-11", "en", as_of=AS_OF,
                              thresholds=K5)
    assert {m.metric: m.cell for m in result.metrics}["enps"].n == 0


def test_unit_detail_has_statements_channels_and_factors(session, county, make_survey):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [10] * 8, channel="qr",
                 answers={"safety": 5, "useful": 2})
    add_resident(session, survey, units["A1"], date(2026, 1, 6), [9] * 2, channel="sms",
                 answers={"safety": None, "useful": 4})
    publish(session)
    detail = reports.unit_detail(session, EVERYTHING, "A1", "2026-Q1", "en", as_of=AS_OF,
                                 thresholds=K5)
    statements = {s.item: s for s in detail.statements}
    # "cannot say" (None) is left out of n.
    assert (statements["safety"].n, statements["safety"].agree) == (8, 8)
    assert statements["safety"].value == pytest.approx(100.0)
    assert statements["safety"].low == pytest.approx(67.56, abs=0.01)
    assert (statements["useful"].n, statements["useful"].agree) == (10, 2)
    assert statements["safety"].text == "I felt the service was safe."
    assert [(c.channel, c.n) for c in detail.channels] == [("qr", 8), ("sms", 2)]
    assert [a.code for a in detail.ancestors] == ["ROOT", "A"]


def test_unknown_unit_is_not_found_and_bad_inputs_are_invalid(session, county):
    with pytest.raises(NotFound):
        reports.overview(session, EVERYTHING, "NOPE", "2026-Q1", "en", as_of=AS_OF)
    with pytest.raises(InvalidInput):
        reports.overview(session, EVERYTHING, "A", "2026-Q5", "en", as_of=AS_OF)
    with pytest.raises(InvalidInput):
        reports.unit_table(session, EVERYTHING, "A", "xyz", "2026-Q1", "en", as_of=AS_OF)
    with pytest.raises(InvalidInput):
        reports.unit_table(session, EVERYTHING, "A", "nps", "2026-Q1", "en", sort="drop",
                           as_of=AS_OF)


def test_a_manager_cannot_reach_units_outside_the_scope(session, county):
    units, _ = county
    scope = Scope(everything=False, paths=(units["A"].path,))
    assert reports.overview(session, scope, None, "2026-Q1", "en", as_of=AS_OF).unit.code == "A"
    for call in (lambda c: reports.overview(session, scope, c, "2026-Q1", "en", as_of=AS_OF),
                 lambda c: reports.unit_table(session, scope, c, "nps", "2026-Q1", "en",
                                              as_of=AS_OF),
                 lambda c: reports.unit_detail(session, scope, c, "2026-Q1", "en", as_of=AS_OF),
                 lambda c: reports.funnel(session, scope, c, "nps", "2026-Q1", "en",
                                          as_of=AS_OF),
                 lambda c: reports.comments(session, scope, c, "2026-Q1", as_of=AS_OF)):
        for code in ("ROOT", "B", "B1"):
            with pytest.raises(Forbidden):
                call(code)
    publish(session)
    detail = reports.unit_detail(session, scope, "A1", "2026-Q1", "en", as_of=AS_OF)
    assert [a.code for a in detail.ancestors] == ["A"]


def test_changes_are_shown_at_the_fdr_adjusted_level_and_flagged_by_that_interval(
        session, county):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 2, 1), [10] * 14 + [0] * 6)
    add_resident(session, survey, units["A1"], date(2025, 11, 1), [10] * 6 + [0] * 14)
    add_resident(session, survey, units["A1"], date(2025, 2, 1), [10] * 9 + [0] * 11)
    republish(session, thresholds=K5)
    result = reports.overview(session, EVERYTHING, "A1", "2026-Q1", "en", as_of=AS_OF,
                              thresholds=K5)
    cell = next(m for m in result.metrics if m.metric == "nps").cell
    changes = (cell.change_previous, cell.change_year)
    # Two comparisons on the page: the level is 1 − max(R, 1)·0.05/2.
    rejected = sum(c.adjusted_p <= 0.05 for c in changes)
    for change in changes:
        assert change.confidence == pytest.approx(1 - max(rejected, 1) * 0.05 / 2)
        assert change.significant == (change.low > 0 or change.high < 0)
        assert change.significant == (change.adjusted_p <= 0.05)
        assert change.low <= change.unadjusted_low and change.high >= change.unadjusted_high
    expected = nps_difference((6, 0, 14), (14, 0, 6), changes[0].confidence)
    assert (changes[0].low, changes[0].high) == (pytest.approx(expected.low),
                                                 pytest.approx(expected.high))


def test_funnel_limits_allow_for_spread_between_many_units_and_keep_the_plain_limits(
        session, make_unit, make_survey):
    root = make_unit("ROOT")
    survey = make_survey(root, code="resident-funnel")
    # Eight areas of 60–200 answers whose scores differ far more than chance gives.
    shares = [0.2, 0.35, 0.5, 0.65, 0.8, 0.3, 0.55, 0.7]
    for i, share in enumerate(shares):
        unit = make_unit(f"F{i}", parent=root)
        size = 60 + 20 * i
        promoters = round(share * size)
        add_resident(session, survey, unit, date(2026, 2, 1),
                     [10] * promoters + [0] * (size - promoters))
    republish(session, thresholds=K5)
    result = reports.funnel(session, EVERYTHING, "ROOT", "nps", "2026-Q1", "en", as_of=AS_OF,
                            thresholds=K5)
    assert result.adjustment == "additive" and result.tau > 10
    outside = sum(1 for point in result.points if point.position != 0)
    plain_outside = sum(1 for point in result.points
                        if not _within_plain(result, point.n, point.value))
    assert outside < plain_outside
    assert all(lim.plain_low is not None and lim.inner_low <= lim.plain_low
               for lim in result.limits if lim.inner_low > -100)


def _within_plain(result, n, value):
    """Whether a point lies within the unadjusted 95 % limits at its own n."""
    d = result.total.distribution
    plain = nps_funnel_limits([n], (d.detractors, d.passives, d.promoters))
    return float(plain.inner_low[0]) <= value <= float(plain.inner_high[0])
