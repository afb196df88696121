"""Reports at a glance: headline cards, the default period, the period chooser, inline period
errors, a manager's own units side by side and an empty unit table that says where to go."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from survey_app.models import Survey
from survey_app.periods import period_of
from survey_app.services import reports
from survey_app.services.access import Scope
from survey_app.services.users import create_user
from tests.integration.reports_fixtures import add_resident, republish
from tests.web.reports_helpers import (
    PASSWORD,
    login,
    released_until,
    report_day,
    seed,
    yesterday,
)

TERTIAL_MONTHS = {1: "January–April", 2: "May–August", 3: "September–December"}


@pytest.fixture
def county(session, make_unit, make_survey):
    return seed(session, make_unit, make_survey)


def _resident_survey(session):
    return session.scalar(select(Survey).where(Survey.code == "resident-all"))


def _cards(html: str) -> dict[str, str]:
    """Each headline card's HTML by metric."""
    parts = re.findall(r'<section class="metric-card headline-card"[^>]*data-metric="(\w+)">'
                       r'(.*?)</section>', html, re.S)
    return dict(parts)


def _sentence(card: str) -> str:
    text = re.search(r'<p class="[^"]*headline-sentence">(.*?)</p>', card, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def test_overview_has_a_headline_card_per_metric_with_value_interval_n_and_a_sentence(
        client, session, county):
    login(client, "hr")
    html = client.get("/reports/?unit=ROOT").get_data(as_text=True)
    cards = _cards(html)
    assert list(cards) == ["nps", "enps", "qwl"]
    cell = reports.overview(session, Scope(everything=True), "ROOT",
                            _default(), "en").metrics[0].cell
    # 27 answers: 11 promoters, 10 passives, 6 detractors → NPS 18,5, shown as 19.
    sentence = _sentence(cards["nps"])
    expected_head = f"NPS 19 ({_minus(cell.low)} to {_minus(cell.high)})"
    assert sentence.startswith(expected_head), sentence
    assert "n = 27" in cards["nps"]
    previous = _default().previous()
    assert f"no figure for T{previous.index} {previous.year} to compare with" in sentence
    assert "chip" not in cards["nps"]
    assert "QWL 70.0" in _sentence(cards["qwl"])


def _minus(value: float) -> str:
    """A whole number with a true minus sign, as headlines write it."""
    return f"{round(value):d}".replace("-", "\u2212")


def _default():
    from survey_app.services.reports.periods import default_report_period

    return default_report_period(yesterday())


def test_a_change_gets_a_chip_only_when_the_service_flags_it(client, session, county):
    survey = _resident_survey(session)
    before = _default().previous().end - timedelta(days=1)
    # Previous tertial: 40 detractors at A1 → a large, flagged improvement for the county.
    add_resident(session, survey, county["A1"], before, [0] * 40)
    republish(session, until=released_until())
    login(client, "hr")
    html = client.get("/reports/?unit=ROOT").get_data(as_text=True)
    card = _cards(html)["nps"]
    change = reports.overview(session, Scope(everything=True), "ROOT", _default(),
                              "en").metrics[0].cell.change_previous
    assert change.significant and change.delta > 0
    assert 'class="chip chip-up"' in card and "Real improvement" in card
    assert "— a real change." in _sentence(card)
    assert "up 119 from" in _sentence(card)  # 18,5 − (−100) rounded


def test_a_change_within_normal_variation_has_no_chip(client, session, county):
    survey = _resident_survey(session)
    before = _default().previous().end - timedelta(days=1)
    add_resident(session, survey, county["A1"], before, [10] * 4 + [8] * 3 + [6] * 3)
    republish(session, until=released_until())
    login(client, "hr")
    card = _cards(client.get("/reports/?unit=ROOT").get_data(as_text=True))["nps"]
    change = reports.overview(session, Scope(everything=True), "ROOT", _default(),
                              "en").metrics[0].cell.change_previous
    assert not change.significant
    assert "chip" not in card and "— within normal variation." in _sentence(card)


def test_unit_pages_have_headline_cards_too(client, county):
    login(client, "hr")
    html = client.get("/reports/unit/B1").get_data(as_text=True)
    cards = _cards(html)
    assert list(cards) == ["nps", "enps", "qwl"]
    assert _sentence(cards["nps"]).startswith("NPS −25 (")  # 9 passives, 3 detractors


def test_headline_sentences_are_translated(client, county):
    login(client, "hr", lang="fi")
    card = _cards(client.get("/reports/?unit=ROOT").get_data(as_text=True))["nps"]
    assert re.search(r"NPS 19 \(−?\d+ … \d+\); vertailukohtaa", _sentence(card)), _sentence(card)
    login(client, "hr", lang="sv")
    card = _cards(client.get("/reports/?unit=ROOT").get_data(as_text=True))["nps"]
    assert "ingen siffra för T" in _sentence(card)


def _options(html: str) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """The period chooser as (year, [(value, text, selected)])."""
    select_html = html.split('id="choose-period"')[1].split("</select>")[0]
    groups = re.findall(r'<optgroup label="(\d+)">(.*?)</optgroup>', select_html, re.S)
    return [(year, [(v, t.strip(), bool(s)) for v, s, t in re.findall(
        r'<option value="([^"]+)" ?(selected)?>([^<]*)</option>', body)])
        for year, body in groups]


def test_default_period_chooser_lists_only_periods_with_data_grouped_by_year(client, county):
    login(client, "hr")
    html = client.get("/reports/").get_data(as_text=True)
    day = report_day()
    groups = _options(html)
    assert [year for year, _ in groups] == [str(day.year)]
    options = groups[0][1]
    tertial = period_of(day, "tertial")
    labels = [value for value, _, _ in options]
    assert labels == [tertial.label, period_of(day, "quarter").label,
                      period_of(day, "month").label, str(day.year)]
    selected = [value for value, _, chosen in options if chosen]
    assert selected == [tertial.label]
    text = dict((v, t) for v, t, _ in options)
    assert text[tertial.label] == (f"T{tertial.index} {tertial.year}: "
                                   f"{TERTIAL_MONTHS[tertial.index]}")
    assert text[period_of(day, "month").label] == day.strftime("%B %Y")
    year_done = day.year < yesterday().year or (yesterday().month, yesterday().day) == (12, 31)
    assert text[str(day.year)] == (f"{day.year}: whole year" if year_done
                                   else f"{day.year}: whole year (incomplete)")


def test_the_running_period_is_offered_and_marked_incomplete(client, session, county):
    add_resident(session, _resident_survey(session), county["B1"], yesterday(), [9] * 5)
    login(client, "hr")
    html = client.get("/reports/").get_data(as_text=True)
    texts = {v: t for _, options in _options(html) for v, t, _ in options}
    for granularity in ("month", "quarter", "tertial"):
        running = period_of(yesterday(), granularity)
        complete = running.end <= yesterday() + timedelta(days=1)
        assert texts[running.label].endswith("(incomplete)") is not complete, running


def test_month_names_follow_the_language(client, county):
    login(client, "hr", lang="fi")
    html = client.get("/reports/").get_data(as_text=True)
    tertial = period_of(report_day(), "tertial")
    finnish = {1: "tammikuu–huhtikuu", 2: "toukokuu–elokuu", 3: "syyskuu–joulukuu"}
    assert f"T{tertial.index} {tertial.year}: {finnish[tertial.index]}" in html


@pytest.mark.parametrize("bad", ["2026-Q5", "yesterday", "1999", "9" * 500])
def test_a_bad_period_is_an_inline_error_beside_the_chooser(client, county, bad):
    login(client, "hr")
    response = client.get(f"/reports/?period={bad}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and 'class="field-error"' in html
    assert "is not valid" in html.split('class="field-error"')[1].split("</p>")[0]
    assert len(_cards(html)) == 3, "the page itself is shown for the default period"
    assert [v for _, o in _options(html) for v, _, s in o if s] == [_default().label]


def test_manager_with_several_units_sees_them_side_by_side_first(client, session, county):
    create_user(session, "boss-many", PASSWORD, "manager", ["B1", "A1", "S"])
    login(client, "boss-many")
    for path in ("/reports/", "/reports/units"):
        response = client.get(path)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "<h1>Your units, T" in html, path
        rows = re.findall(r'<th scope="row"><a href="/reports/unit/([^?"]+)', html)
        assert rows == ["A1", "B1", "S"], path
    body = html.split("<tbody>")[1]
    a1 = body.split('/reports/unit/A1')[1].split("</tr>")[0]
    # A1 is hidden beside A2 (3 answers) on every page, so here too.
    assert "hidden to protect a smaller group" in a1 and "33.3" not in a1
    b1 = body.split('/reports/unit/B1')[1].split("</tr>")[0]
    assert "−25.0" in b1 and "n = 12" in b1
    assert client.get("/reports/unit/B1").status_code == 200  # drill down


def test_manager_with_one_unit_keeps_the_overview(client, county):
    login(client, "boss-a")
    html = client.get("/reports/").get_data(as_text=True)
    assert "Overview: A en" in html and "Your units" not in html.split("<main")[1]


def test_an_empty_unit_table_says_why_and_where_to_go(client, county):
    login(client, "hr")
    html = client.get("/reports/units?unit=A1").get_data(as_text=True)
    assert "A1 en has no units under it that answer this survey" in html
    assert 'href="/reports/unit/A1?period=' in html


def test_every_report_page_links_to_the_board_for_hr_but_not_for_managers(client, county):
    login(client, "hr")
    for path in ("/reports/", "/reports/units", "/reports/unit/A1", "/reports/funnel"):
        assert 'href="/reports/board?period=' in client.get(path).get_data(as_text=True), path
    client.post("/logout")
    login(client, "boss-a")
    assert "/reports/board" not in client.get("/reports/").get_data(as_text=True)


def test_trend_downloads_for_slides_as_png_and_svg(client, county):
    import struct
    import xml.etree.ElementTree as ET

    login(client, "hr")
    html = client.get("/reports/?unit=ROOT").get_data(as_text=True)
    period = _default().label
    assert f'href="/reports/chart/nps.png?unit=ROOT&amp;period={period}"' in html
    png = client.get(f"/reports/chart/nps.png?unit=ROOT&period={period}")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert f'filename="nps-ROOT-{period}.png"' in png.headers["Content-Disposition"]
    body = png.get_data()
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", body[16:24])
    assert (width, height) == (1200, 675)  # 8 × 4,5 inches at 150 dpi: a 16:9 slide
    svg = client.get(f"/reports/chart/qwl.svg?unit=ROOT&period={period}")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    root = ET.fromstring(svg.get_data())
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and root.find(f"{ns}title").text == "Trend of Quality of " \
        "working life index (staff)"
    assert float(root.get("width")) == 840


@pytest.mark.parametrize(("path", "status"), [
    ("/reports/chart/nps.gif", 404), ("/reports/chart/x.svg", 404),
    ("/reports/chart/nps.svg?period=2026-Q9", 400), ("/reports/chart/nps.png?unit=NOPE", 404),
])
def test_bad_chart_downloads_are_clear_errors(client, county, path, status):
    login(client, "hr")
    assert client.get(path).status_code == status


def test_a_manager_cannot_download_another_units_chart(client, county):
    login(client, "boss-a")
    assert client.get("/reports/chart/nps.svg?unit=B").status_code == 403
    assert client.get("/reports/chart/nps.svg?unit=A1").status_code == 200


def test_a_funnel_without_units_under_it_says_why_and_where_to_go(client, county):
    login(client, "hr")
    html = client.get("/reports/funnel?unit=B1").get_data(as_text=True)
    assert "B1 en has no units under it that answer this survey" in html
    assert 'href="/reports/unit/B1?period=' in html


def test_a_unit_asked_the_experience_wording_is_marked_and_a_mixed_parent_says_so(
        client, session, county):
    county["A1"].wording = "experience"
    session.commit()
    login(client, "hr")
    own = client.get("/reports/unit/A1").get_data(as_text=True)
    assert "instead of the recommendation question" in own
    mixed = client.get("/reports/?unit=A").get_data(as_text=True)
    assert "This NPS combines units" in mixed
    plain = client.get("/reports/unit/B1").get_data(as_text=True)
    assert "wording-note" not in plain
    login(client, "hr", lang="fi")
    assert "suosittelukysymyksen sijaan" in client.get("/reports/unit/A1").get_data(as_text=True)
