"""SVG chart builders: well-formed, titled, described, with a data table, escaped, no styles."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from survey_app.reports import charts

SVG = "{http://www.w3.org/2000/svg}"
TEXTS = charts.Texts("Trend <b>", "From Q1 to Q4 & beyond", ["Period", "Score"])


def _parse(markup) -> ET.Element:
    """Parse the figure as XML (the SVG namespace is added for the parser)."""
    namespaced = str(markup).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return ET.fromstring(namespaced)


def _check_figure(markup, title="Trend <b>"):
    figure = _parse(markup)
    svg = figure.find(f"{SVG}svg")
    assert svg is not None and svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").text == title and svg.find(f"{SVG}title").get("id") == title_id
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    assert figure.find("table") is not None and figure.find("figcaption") is not None
    assert "style=" not in str(markup) and "<script" not in str(markup)
    return figure


def test_trend_chart_is_valid_svg_with_band_line_markers_and_gap_for_hidden_periods():
    points = [charts.TrendPoint("2026-Q1", 10.0, 0.0, 20.0),
              charts.TrendPoint("2026-Q2", 15.0, 5.0, 25.0),
              charts.TrendPoint("2026-Q3", None, None, None, "fewer than 5 answers"),
              charts.TrendPoint("2026-Q4", -5.0, -30.0, 20.0)]
    rows = [["2026-Q1", "10"], ["2026-Q2", "15"], ["2026-Q3", "fewer"], ["2026-Q4", "-5"]]
    figure = _check_figure(charts.trend_chart(points, (-100, 100), TEXTS, rows,
                                              gap_note="Gaps: hidden"))
    svg = figure.find(f"{SVG}svg")
    assert len(svg.findall(f"{SVG}circle")) == 3
    assert len(svg.findall(f"{SVG}polygon")) == 1  # one band over the first run of two
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    # One legend note for the gap, not a label per hidden period.
    assert texts.count("Gaps: hidden") == 1 and "fewer than 5 answers" not in texts
    assert len(figure.find("table").find("tbody")) == 4


def test_chart_texts_are_escaped():
    rows = [["<script>alert(1)</script>", "1"]]
    markup = str(charts.bar_chart([charts.Bar("<script>x</script>", 50.0, 40.0, 60.0)],
                                  (0, 100), TEXTS, rows))
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    _check_figure(markup)


def test_distribution_uses_three_patterns_and_labels_not_only_colour():
    markup = charts.distribution_bar([("Detractors", 20.0), ("Passives", 30.0),
                                      ("Promoters", 50.0)], TEXTS, [["Detractors", "2"]])
    figure = _check_figure(markup)
    svg = figure.find(f"{SVG}svg")
    assert len(svg.find(f"{SVG}defs").findall(f"{SVG}pattern")) == 3
    assert [t.text for t in svg.iter(f"{SVG}text")] == [
        "Detractors 20.0 %", "Passives 30.0 %", "Promoters 50.0 %"]


def test_funnel_chart_marks_positions_with_shapes():
    dots = [charts.FunnelDot("A", 50, 10.0, 0), charts.FunnelDot("B", 80, 60.0, 2),
            charts.FunnelDot("C", 20, -40.0, -1)]
    limits = [(n, -20.0, 40.0, -40.0, 60.0) for n in (1, 10, 100)]
    figure = _check_figure(charts.funnel_chart(dots, limits, 10.0, (-100, 100), TEXTS, []))
    svg = figure.find(f"{SVG}svg")
    assert len(svg.findall(f"{SVG}circle")) == 1
    filled = [p.get("fill") for p in svg.findall(f"{SVG}polygon")]
    assert filled == [charts.INK, "#ffffff"]


def test_funnel_chart_draws_the_unadjusted_limits_as_a_thin_line_only_when_given():
    dots = [charts.FunnelDot("A", 50, 10.0, 0)]
    plain = [(n, -20.0, 40.0, -40.0, 60.0, None, None) for n in (1, 10, 100)]
    adjusted = [(n, -25.0, 45.0, -45.0, 65.0, -20.0, 40.0) for n in (1, 10, 100)]

    def widths(limits):
        svg = _check_figure(charts.funnel_chart(dots, limits, 10.0, (-100, 100), TEXTS, []))
        return [line.get("stroke-width") for line in svg.find(f"{SVG}svg").iter(f"{SVG}polyline")]

    assert widths(plain) == ["1.5"] * 4
    assert widths(adjusted) == ["1.5"] * 4 + ["0.75"] * 2


def test_interval_bar_has_an_accessible_name():
    svg = ET.fromstring(str(charts.interval_bar(42.0, 30.0, 55.0, (-100, 100), "A: 42 <x>"))
                        .replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "A: 42 <x>"


@pytest.mark.parametrize("value", [-150.0, 150.0])
def test_interval_bar_clamps_values_to_the_scale(value):
    svg = str(charts.interval_bar(value, None, None, (-100, 100), "x"))
    xs = [float(v) for v in __import__("re").findall(r'points="([\d.]+),', svg)]
    assert xs and all(0 <= x <= 280 for x in xs)


@pytest.mark.parametrize("values", [[-15.0, -6.6, -21.7, -0.5], [60.0, 61.2, 58.3], [95.0, 99.9],
                                    [-100.0, 100.0], [3.0], [-2.0, 2.0]])
def test_nice_scale_holds_the_values_on_round_steps_within_the_full_range(values):
    low, high, step = charts.nice_scale(values, (-100.0, 100.0))
    assert -100.0 <= low <= min(values) and max(values) <= high <= 100.0
    assert high - low >= 10.0
    assert step in {1, 2, 2.5, 5, 10, 20, 25, 50, 100}
    assert (low / step) == pytest.approx(round(low / step)) or low == -100.0


def test_trend_axis_is_scaled_to_the_data_and_marks_zero_in_range():
    points = [charts.TrendPoint("2026-T1", -15.0, -21.7, -8.3),
              charts.TrendPoint("2026-T2", -6.6, -12.0, 1.0)]
    svg = str(charts.trend_chart(points, (-100, 100), TEXTS, [], lambda v: f"{v:.1f}"))
    labels = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
    numbers = [float(t) for t in labels if re.fullmatch(r"−?-?[\d.]+", t)]
    assert min(numbers) >= -30 and max(numbers) <= 10, labels  # not −100…100
    assert "0" in labels
    assert 'stroke="#1b1b1b" stroke-width="1.5"' in svg  # the zero line
    assert all(float(size) >= 12 for size in re.findall(r'font-size="([\d.]+)"', svg))


def test_a_five_point_interval_is_visible_beside_the_score_tick():
    low, high, _ = charts.nice_scale([-40.0, 60.0, 10.0, 12.5, 7.5], (-100.0, 100.0))
    svg = str(charts.interval_bar(10.0, 7.5, 12.5, (low, high), "x"))
    x1, x2 = (float(v) for v in re.search(
        r'<line x1="([\d.]+)" x2="([\d.]+)" y1="11.0" y2="11.0" stroke="#00507a"', svg).groups())
    assert x2 - x1 >= 8  # at least 8 px wide, beside a 3 px score tick


def test_tick_labels_drop_a_whole_decimal():
    assert charts.tick_text(lambda v: f"{v:.1f}".replace(".", ","), 20.0) == "20,0"[:-2]
    assert charts.tick_text(lambda v: f"{v:.1f}", 2.5) == "2.5"


def test_funnel_labels_never_overlap_even_for_crowded_units():
    dots = [charts.FunnelDot(f"UNIT-{i}", 100 + i, 10.0 + (i % 3) * 0.5, 0) for i in range(12)]
    limits = [(n, -20.0, 40.0, -40.0, 60.0) for n in (1, 10, 100, 1000)]
    svg = str(charts.funnel_chart(dots, limits, 10.0, (-100, 100), TEXTS, []))
    boxes = []
    for x, y, anchor, text in re.findall(
            r'<text x="([\d.]+)" y="([\d.]+)" font-size="12" fill="#1b1b1b" '
            r'text-anchor="(start|end)">([^<]+)</text>', svg):
        width = 7.2 * len(text) + 2
        x0 = float(x) if anchor == "start" else float(x) - width
        boxes.append((x0, float(y) - 13, x0 + width, float(y) + 1))
    assert 1 <= len(boxes) < 12  # crowded: some labels left to the table
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
