"""Suppression attacks through the report service: nothing below k can be read or recovered.

Reports read released cells, so every test publishes (``publish``, idempotent) after adding its
answers. Since issue 12 every hidden cell carries the one label ``hidden`` (a "below threshold"
label would tell a bound), and months are released one by one, so a quarter whose month is
hidden is itself hidden (the released months are fixed before the quarter is decided).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from survey_app.models import Response
from survey_app.privacy import Thresholds
from survey_app.services import reports
from survey_app.services.access import Scope
from tests.integration.reports_fixtures import (
    AS_OF,
    add_resident,
    add_round,
    build_county,
    publish,
)

EVERYTHING = Scope(everything=True)
K5 = Thresholds()


@pytest.fixture
def county(session, make_unit, make_survey):
    units = build_county(make_unit)
    return units, make_survey(units["ROOT"], code="resident-all")


def _table(session, parent, period="2026-Q1", **kw):
    publish(session)
    table = reports.unit_table(session, EVERYTHING, parent, "nps", period, "en", as_of=AS_OF,
                               thresholds=K5, **kw)
    return table, {ref.code: cell for ref, cell in table.rows}


def _assert_hidden(cell, reason):
    assert cell.suppressed == reason
    assert (cell.n, cell.value, cell.low, cell.high, cell.distribution) == (None,) * 5
    assert cell.change_previous is None and cell.change_year is None


def test_parent_with_one_small_child_hides_the_sibling_too(session, county):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [10] * 18 + [7, 3])
    add_resident(session, survey, units["A2"], date(2026, 1, 5), [0] * 3)
    add_resident(session, survey, units["B1"], date(2026, 1, 5), [9] * 18 + [8, 1])
    table, rows = _table(session, "A")
    _assert_hidden(rows["A2"], "hidden")
    # A (shown, 23) − A1 would give A2 exactly: A1 must go too.
    _assert_hidden(rows["A1"], "hidden")
    assert table.total.n == 23 and table.total.shown
    # The same decision holds on every page that shows A1.
    detail = reports.unit_detail(session, EVERYTHING, "A1", "2026-Q1", "en", as_of=AS_OF,
                                 thresholds=K5)
    _assert_hidden(detail.metrics[0].cell, "hidden")
    assert detail.statements == () and detail.channels == ()


def test_a_lone_own_answer_remainder_below_k_is_protected(session, county):
    units, survey = county
    add_resident(session, survey, units["A"], date(2026, 1, 5), [10] * 2)   # A's own answers
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [0] * 8 + [8, 10])
    add_resident(session, survey, units["A2"], date(2026, 1, 5), [0] * 8 + [8, 10])
    add_resident(session, survey, units["B1"], date(2026, 1, 5), [0] * 8 + [8, 10])
    _, rows = _table(session, "A")
    hidden = [code for code, cell in rows.items() if not cell.shown]
    # A = own (2, never shown) + A1 + A2: one child must be hidden so A − A1 − A2 tells nothing.
    assert len(hidden) == 1


def test_a_quarter_with_one_small_month_is_hidden_as_its_months_are_fixed(session, county):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [10] * 10)
    add_resident(session, survey, units["A1"], date(2026, 2, 5), [10] * 12)
    add_resident(session, survey, units["A1"], date(2026, 3, 5), [0] * 2)
    publish(session)
    cells = {}
    for label in ("2026-01", "2026-02", "2026-03", "2026-Q1", "2026-T1", "2026"):
        summary = reports.overview(session, EVERYTHING, "A1", label, "en", as_of=AS_OF,
                                   thresholds=K5).metrics[0]
        cells[label] = summary.cell
    assert cells["2026-03"].suppressed == "hidden"
    # January and February were released before March: they stay as released, so every
    # period that holds March (quarter, tertial, year) must be hidden instead.
    assert cells["2026-01"].n == 10 and cells["2026-02"].n == 12
    assert [cells[label].suppressed for label in ("2026-Q1", "2026-T1")] == ["hidden"] * 2
    assert cells["2026"].suppressed == "not_released"  # December is not released yet


def test_trend_and_period_pages_agree_on_hidden_months(session, county):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [10] * 10)
    add_resident(session, survey, units["A1"], date(2026, 2, 5), [10] * 12)
    add_resident(session, survey, units["A1"], date(2026, 3, 5), [0] * 2)
    publish(session)
    trend = reports.overview(session, EVERYTHING, "A1", "2026-03", "en", as_of=AS_OF,
                             thresholds=K5).metrics[0].trend
    by_label = {c.period: c for c in trend}
    assert by_label["2026-01"].n == 10 and not by_label["2026-03"].shown
    assert by_label["2026-02"].n == 12


def test_hidden_rows_sort_last_whatever_their_value(session, county, make_unit):
    units, survey = county
    a3 = make_unit("A3", parent=units["A"])
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [10] * 3)   # hidden, NPS 100
    add_resident(session, survey, units["A2"], date(2026, 1, 5), [0] * 18 + [8, 10])  # hidden
    add_resident(session, survey, a3, date(2026, 1, 5), [8] * 28 + [0, 10])
    for descending in (False, True):
        table, rows = _table(session, "A", sort="value", descending=descending)
        assert [ref.code for ref, _ in table.rows] == ["A3", "A1", "A2"]
    assert rows["A2"].suppressed == "hidden" and rows["A3"].n == 30


def test_configured_threshold_applies_without_explicit_thresholds(app, session, county):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [10] * 6)
    app.config["PRIVACY_MIN_RESIDENT"] = 7
    with app.app_context():
        publish(session, thresholds=Thresholds.from_config(app.config))
        cell = reports.overview(session, EVERYTHING, "A1", "2026-Q1", "en",
                                as_of=AS_OF).metrics[0].cell
    assert cell.suppressed == "hidden" and cell.threshold == 7


def _details(session, codes, period="2026-Q1"):
    """Each unit's unit page: statements and QWL factors keyed by item and factor."""
    publish(session)
    details = [reports.unit_detail(session, EVERYTHING, code, period, "en", as_of=AS_OF,
                                   thresholds=K5) for code in codes]
    return [({s.item: s for s in d.statements}, {f.factor: f for f in d.factors})
            for d in details]


def test_statements_show_only_with_their_cell_so_parent_minus_sibling_reads_nothing(
        session, county):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [9] * 8 + [7, 3],
                 answers={"safety": 5, "useful": 4})
    add_resident(session, survey, units["A2"], date(2026, 1, 5), [9] * 2,
                 answers={"safety": 2, "useful": 4})
    (parent, _), (big, _), (small, _) = _details(session, ("A", "A1", "A2"))
    # A2 (2 answers) is hidden, and A1 with it: neither shows any statement.
    assert small == {} and big == {}
    assert parent["safety"].n == 12 and parent["useful"].n == 12


def test_a_month_hidden_for_a_small_count_shows_no_statement_and_its_quarter_neither(
        session, county):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [9] * 10,
                 answers={"safety": 5})
    add_resident(session, survey, units["A1"], date(2026, 2, 5), [9],
                 answers={"safety": 1})
    [(january, _)] = _details(session, ["A1"], "2026-01")
    [(february, _)] = _details(session, ["A1"], "2026-02")
    [(quarter, _)] = _details(session, ["A1"], "2026-Q1")
    assert january["safety"].n == 10
    assert february == {} and quarter == {}


def test_a_qwl_factor_of_one_person_hides_its_unit_and_the_sibling(
        session, county, make_unit, make_survey):
    units, _ = county
    teams = {code: make_unit(code, parent=units["S"], kind="staff") for code in ("S1", "S2")}
    everything = {"safety": 80.0, "belonging": 60.0}
    add_round(session, make_survey, units["ROOT"], "round-q1",
              datetime(2026, 3, 20, 12, 0, tzinfo=UTC),
              {teams["S1"]: [(9, 70.0, everything)] * 8 + [(7, 70.0, everything),
                                                             (2, 70.0, everything)],
               # Four of S2's five said "cannot say" to every safety statement.
               teams["S2"]: [(9, 70.0, everything)] + [(9, 70.0, {"belonging": 60.0})] * 4})
    (_, parent), (_, big), (_, small) = _details(session, ("S", "S1", "S2"))
    # S2's safety mean would be one person's score: S2 is hidden whole, and S1 with it.
    assert small == {} and big == {}
    assert parent["safety"].n == 11 and parent["belonging"].n == 15
    assert parent["goals"].n == 0 and parent["goals"].suppressed is None


def _add_comments(session, survey, unit, day, count, language="fi"):
    for i in range(count):
        session.add(Response(survey_id=survey.id, unit_id=unit.id, day=day, language=language,
                             channel="sms", score=9, answers={}, comment=f"{unit.code} #{i}"))
    add_resident(session, survey, unit, day, [9] * count, comments=count)


def test_comments_come_only_in_released_batches_without_dates(session, county):
    """Issue 12 §4 changed this: a listing shows whole released batches, nothing else."""
    from survey_app.services.comments import publish_comment_batches

    units, survey = county
    _add_comments(session, survey, units["A1"], date(2026, 1, 5), 12)
    _add_comments(session, survey, units["A1"], date(2026, 2, 5), 2, language="sv")
    publish_comment_batches(session, date(2026, 3, 1), K5, today=AS_OF)
    listing = reports.comments(session, EVERYTHING, "A1", "2026-Q1", as_of=AS_OF,
                               thresholds=K5)
    assert listing.shown and listing.count == 12
    assert len(listing.comments) == 12 and listing.languages == ("fi",)
    assert {c.text for c in listing.comments} == {f"A1 #{i}" for i in range(12)}
    assert {c.batch for c in listing.comments} == {"A1 fi, 2026-01"}
    swedish = reports.comments(session, EVERYTHING, "A1", "2026-Q1", language="sv",
                               as_of=AS_OF, thresholds=K5)
    assert swedish.comments == ()
    # February's 2 comments wait for a batch: its listing is empty.
    february = reports.comments(session, EVERYTHING, "A1", "2026-02", as_of=AS_OF,
                                thresholds=K5)
    assert (february.shown, february.count, february.comments) == (False, None, ())


def test_comments_of_a_small_child_cannot_be_read_as_parent_minus_sibling(session, county):
    from survey_app.services.comments import publish_comment_batches

    units, survey = county
    _add_comments(session, survey, units["A1"], date(2026, 1, 5), 15)
    _add_comments(session, survey, units["A2"], date(2026, 1, 5), 4)
    publish_comment_batches(session, date(2026, 3, 1), K5, today=AS_OF)
    parent = reports.comments(session, EVERYTHING, "A", "2026-Q1", as_of=AS_OF, thresholds=K5)
    sibling = reports.comments(session, EVERYTHING, "A1", "2026-Q1", as_of=AS_OF,
                               thresholds=K5)
    small = reports.comments(session, EVERYTHING, "A2", "2026-Q1", as_of=AS_OF, thresholds=K5)
    assert parent.shown and sibling.shown and not small.shown
    # The parent lists exactly the sibling's batch: parent − sibling is empty.
    assert {c.text for c in parent.comments} == {c.text for c in sibling.comments}


def test_funnel_places_children_around_the_parent_score(session, county):
    units, survey = county
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [10] * 40 + [0] * 38 + [7] * 2)
    add_resident(session, survey, units["B1"], date(2026, 1, 5), [10] * 100)
    add_resident(session, survey, units["A2"], date(2026, 1, 5), [10] * 2)
    publish(session)
    result = reports.funnel(session, EVERYTHING, "ROOT", "nps", "2026-Q1", "en", as_of=AS_OF,
                            thresholds=K5)
    # A = 82 answers, B = 100; ROOT = 182 with 142 promoters and 38 detractors.
    assert result.target == pytest.approx(100 * (142 - 38) / 182)
    points = {p.unit.code: p for p in result.points}
    assert points["B"].position == 2 and points["A"].position == -2
    assert result.hidden_units == 0 and len(result.limits) > 10
    assert all(lim.outer_low <= lim.inner_low <= lim.inner_high <= lim.outer_high
               for lim in result.limits)
    small = reports.funnel(session, EVERYTHING, "A", "nps", "2026-Q1", "en", as_of=AS_OF,
                           thresholds=K5)
    assert small.hidden_units == 2 and small.points == ()
