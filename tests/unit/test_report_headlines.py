"""Headline sentences and chips: the chip follows the service's flag and nothing else, and the
sentence says the direction and the comparison period in words."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import Babel, force_locale
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.reports import figures
from survey_app.services.reports import Change, MetricCell, MetricSummary


@pytest.fixture(scope="module")
def babel_app():
    from survey_app.cli.translations import TRANSLATIONS
    from survey_app.i18n import DOMAINS

    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join([str(TRANSLATIONS)] * len(DOMAINS))
    app.config["BABEL_DOMAIN"] = ";".join(DOMAINS)
    Babel(app)
    with app.test_request_context():
        yield app


def _summary(metric="nps", value=21.3, low=16.0, high=26.4, n=340, change=None,
             suppressed=None) -> MetricSummary:
    cell = MetricCell("U", "Unit", metric, "2026-T2", None if suppressed else n,
                      None if suppressed else value, None if suppressed else low,
                      None if suppressed else high, suppressed, 5, change_previous=change)
    return MetricSummary(metric, cell, (cell,))


def test_the_issue_example_reads_as_written(babel_app):
    change = Change("2026-T1", 3.2, -2.0, 8.4, 0.2, 0.3, False)
    with force_locale("en"):
        head = figures.headline(_summary(change=change))
    assert head.sentence == "NPS 21 (16 to 26), up 3 from T1 2026 — within normal variation."
    assert head.chip is None and (head.value, head.n) == ("21", "340")
    with force_locale("fi"):
        head = figures.headline(_summary(change=change))
    assert head.sentence == ("NPS 21 (16 … 26), nousua 3 jaksosta T1 2026 — normaalin vaihtelun "
                             "rajoissa.")


def test_a_flagged_decline_gets_a_down_chip_in_words(babel_app):
    change = Change("2026-T1", -10.2, -18.3, -2.1, 0.001, 0.004, True)
    with force_locale("en"):
        head = figures.headline(_summary(metric="qwl", value=61.04, low=58.0, high=64.1,
                                         change=change))
    assert head.sentence == ("QWL 61.0 (58.0 to 64.1), down 10.2 from T1 2026 — a real "
                             "change.")
    assert (head.chip, head.chip_text) == ("down", "Real decline")


def test_hidden_and_empty_cells_say_why_without_numbers(babel_app):
    with force_locale("en"):
        hidden = figures.headline(_summary(suppressed="hidden"))
        empty = figures.headline(_summary(n=0, value=None, low=None, high=None))
    # One label for every hidden cell (issue 12): "fewer than 5" would reveal a bound.
    assert hidden.sentence == "NPS: hidden to protect a smaller group." and not hidden.shown
    assert empty.sentence == "NPS: no answers." and empty.chip is None


def test_no_earlier_figure_names_the_previous_period(babel_app):
    with force_locale("en"):
        head = figures.headline(_summary(change=None))
    assert head.sentence == "NPS 21 (16 to 26); no figure for T1 2026 to compare with."


@settings(max_examples=200, deadline=None)
@given(delta=st.floats(-150, 150, allow_nan=False), flagged=st.booleans(),
       metric=st.sampled_from(["nps", "enps", "qwl"]))
def test_the_chip_appears_exactly_when_the_service_flags_a_change(babel_app, delta, flagged,
                                                                 metric):
    change = Change("2026-T1", delta, delta - 5, delta + 5, 0.5, 0.5, flagged)
    with force_locale("en"):
        head = figures.headline(_summary(metric=metric, change=change))
    assert (head.chip is not None) == (flagged and delta != 0)
    if head.chip:
        assert head.chip == ("up" if delta > 0 else "down")
        assert "a real change" in head.sentence
    else:
        assert "within normal variation" in head.sentence
    assert figures.change_chip(change) == head.chip
