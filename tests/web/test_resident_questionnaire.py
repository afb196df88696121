"""The resident questionnaire: routes, languages, channels, storage and the stored row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect, select

from survey_app.i18n import LANGUAGES, NATIVE_NAMES
from survey_app.models import ResidentDaily, ResidentItemDaily, Response
from tests.web.resident_helpers import VALID, nothing_stored


@pytest.fixture
def unit(make_unit, make_survey):
    """A health centre with open resident feedback."""
    unit = make_unit("KAJ-TK", name_fi="Kajaanin terveysasema", name_sv="Kajana hälsostation",
                     name_en="Kajaani health centre")
    make_survey(unit)
    return unit


def test_form_in_finnish_shows_title_unit_and_every_question(client, unit):
    response = client.get("/fi/s/KAJ-TK")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="fi" dir="ltr">' in html
    assert "Palaute käynnistäsi" in html and "Kajaanin terveysasema" in html
    assert html.count('type="radio" name="recommend"') == 11
    for item in ("timely_access", "listened_to", "safety", "clear_information", "useful"):
        assert html.count(f'name="{item}"') == 6
    assert "0 = en lainkaan todennäköisesti" in html and "10 = erittäin todennäköisesti" in html
    assert '<textarea id="comment" name="comment"' in html
    assert 'name="website"' in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_form_renders_in_every_language_with_its_direction(client, unit, lang):
    html = client.get(f"/{lang}/s/KAJ-TK").get_data(as_text=True)
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert f'hreflang="{lang}" aria-current="true">{NATIVE_NAMES[lang]}</a>' in html
    assert html.count('aria-current="true"') == 1


def test_arabic_form_uses_arabic_texts(client, unit):
    html = client.get("/ar/s/KAJ-TK").get_data(as_text=True)
    assert "رأيك في زيارتك" in html and "أرسل رأيك" in html
    # No Arabic name: the English one, marked as English (issue 15: resident, English, Finnish).
    assert '<bdi lang="en">Kajaani health centre</bdi>' in html


def test_language_chooser_keeps_unit_and_channel_and_offers_plain_finnish(client, unit):
    html = client.get("/sv/s/KAJ-TK?ch=qr").get_data(as_text=True)
    for lang in LANGUAGES:
        assert f'href="/{lang}/s/KAJ-TK?ch=qr"' in html
    assert 'href="/fi/s/KAJ-TK?variant=selko&amp;ch=qr"' in html
    assert ">Selkosuomi</a>" in html


def test_plain_finnish_variant_shows_plain_texts_and_stores_its_language(client, unit, session):
    html = client.get("/fi/s/KAJ-TK?variant=selko").get_data(as_text=True)
    assert "Kerro, millainen käynti oli" in html and '<html lang="fi"' in html
    assert 'aria-current="true">Selkosuomi</a>' in html and html.count("aria-current") == 1
    assert 'action="/fi/s/KAJ-TK?variant=selko"' in html
    response = client.post("/fi/s/KAJ-TK?variant=selko", data=VALID)
    assert response.headers["Location"] == "/fi/s/KAJ-TK/thanks?variant=selko"
    assert session.scalar(select(Response.language)) == "fi-x-selko"


def test_variant_is_ignored_outside_finnish(client, unit, session):
    html = client.get("/sv/s/KAJ-TK?variant=selko").get_data(as_text=True)
    assert "Respons på ditt besök" in html
    client.post("/sv/s/KAJ-TK?variant=selko", data=VALID)
    assert session.scalar(select(Response.language)) == "sv"


def test_post_redirects_303_to_thanks_keeping_the_channel(client, unit):
    response = client.post("/fi/s/KAJ-TK?ch=sms", data=VALID)
    assert response.status_code == 303
    assert response.headers["Location"] == "/fi/s/KAJ-TK/thanks?ch=sms"
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200
    assert "Kiitos palautteestasi" in thanks.get_data(as_text=True)


@pytest.mark.parametrize(("query", "channel"), [
    ("", "web"), ("?ch=sms", "sms"), ("?ch=qr", "qr"), ("?ch=email", "email"),
    ("?ch=paper", "paper"), ("?ch=web", "web"), ("?ch=kiosk", "web"), ("?ch=telegram", "web"),
])
def test_channel_comes_from_the_query_and_falls_back_to_web(client, unit, session, query,
                                                             channel):
    client.post(f"/en/s/KAJ-TK{query}", data=VALID)
    assert session.scalar(select(Response.channel)) == channel


def test_stored_row_holds_the_day_and_answers_and_nothing_identifying(client, unit, session):
    client.post("/fi/s/KAJ-TK?ch=qr", data=VALID,
                headers={"User-Agent": "Test/1.0", "Referer": "https://example.org/x"},
                environ_base={"REMOTE_ADDR": "203.0.113.7"})
    columns = {column.key for column in inspect(Response).columns}
    assert columns == {"id", "survey_id", "unit_id", "day", "language", "channel", "score",
                       "answers", "qwl_index", "comment"}
    row = session.scalars(select(Response)).one()
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/Helsinki")).date()
    assert row.day in (today, today - timedelta(days=1))  # the test may straddle midnight
    assert not isinstance(row.day, datetime)
    assert (row.unit_id, row.language, row.channel, row.score) == (unit.id, "fi", "qr", 9)
    assert row.answers == {"timely_access": 4, "listened_to": 5, "safety": None,
                           "clear_information": 3, "useful": 5}
    assert row.comment is None and row.qwl_index is None
    assert len(row.id) == 32
    stored = " ".join(str(getattr(row, c)) for c in columns)
    assert "203.0.113.7" not in stored and "Test/1.0" not in stored


def test_unanswered_statements_are_left_out_and_cannot_say_is_none(client, unit, session):
    client.post("/fi/s/KAJ-TK", data={"recommend": "3", "safety": "cannot-say"})
    assert session.scalars(select(Response)).one().answers == {"safety": None}


def test_aggregates_equal_the_stored_responses(client, unit, session):
    answers = [("9", "5"), ("10", "cannot-say"), ("3", "1"), ("9", "")]
    for score, useful in answers:
        client.post("/fi/s/KAJ-TK?ch=sms", data={"recommend": score, "useful": useful,
                                                 "comment": "ok" if score == "3" else ""})
    client.post("/fi/s/KAJ-TK?ch=qr", data={"recommend": "7"})
    session.expire_all()
    responses = session.scalars(select(Response)).all()
    daily = {row.channel: row for row in session.scalars(select(ResidentDaily))}
    assert daily["sms"].n == 4 and daily["qr"].n == 1
    assert (daily["sms"].c9, daily["sms"].c10, daily["sms"].c3, daily["qr"].c7) == (2, 1, 1, 1)
    assert sum(row.comments for row in daily.values()) == sum(bool(r.comment) for r in responses)
    items = {(r.item, r.value): r.count for r in session.scalars(select(ResidentItemDaily))}
    assert items == {("useful", 5): 1, ("useful", 0): 1, ("useful", 1): 1}
    assert sum(d.n for d in daily.values()) == len(responses) == 5


def test_comment_is_redacted_before_it_is_stored(client, unit, session):
    comment = ("Lääkäri oli hyvä. Soittakaa 040 123 4567 tai +358 50 765 4321, "
               "hetu 131052-308T, posti matti.meikalainen@example.fi")
    client.post("/fi/s/KAJ-TK", data={**VALID, "comment": comment})
    stored = session.scalar(select(Response.comment))
    assert stored.startswith("Lääkäri oli hyvä.")
    for secret in ("040 123 4567", "765 4321", "131052-308T", "example.fi"):
        assert secret not in stored
    assert "[PHONE]" in stored and "[ID]" in stored and "[EMAIL]" in stored


def test_unknown_fields_are_ignored(client, unit, session):
    response = client.post("/fi/s/KAJ-TK", data={**VALID, "ip": "1.2.3.4", "name": "Matti",
                                                  "extra_item": "5"})
    assert response.status_code == 303
    row = session.scalars(select(Response)).one()
    assert set(row.answers) == {"timely_access", "listened_to", "safety", "clear_information",
                                "useful"}


def test_unknown_unit_is_a_translated_404(client, unit, session):
    response = client.get("/fi/s/NOPE")
    assert response.status_code == 404
    assert "Tässä osoitteessa ei ole palautekyselyä" in response.get_data(as_text=True)
    assert client.post("/sv/s/NOPE", data=VALID).status_code == 404
    assert nothing_stored(session)


@pytest.mark.parametrize("code", ["%00", "KAJ%00TK", "x" * 5000, "%C3%A4%F0%9F%98%80", "..%2F..",
                                  "KAJ-TK%20"])
def test_odd_unit_codes_are_404_not_500(client, unit, code):
    assert client.get(f"/fi/s/{code}").status_code == 404
    assert client.post(f"/fi/s/{code}", data=VALID).status_code == 404
    assert client.get(f"/fi/k/{code}/thanks").status_code == 404


def test_unknown_language_prefix_is_404(client, unit):
    assert client.get("/xx/s/KAJ-TK").status_code == 404


def test_staff_only_and_inactive_units_have_no_questionnaire(client, make_unit, make_survey):
    staff = make_unit("TEAM", kind="staff")
    gone = make_unit("OLD", active=False)
    make_survey(staff, code="s1")
    make_survey(gone, code="s2")
    assert client.get("/fi/s/TEAM").status_code == 404
    assert client.get("/fi/s/OLD").status_code == 404


def test_unit_without_an_open_survey_is_a_translated_410(client, make_unit, make_survey,
                                                         session):
    make_unit("NOSURVEY")
    closed = make_unit("CLOSED")
    future = make_unit("FUTURE")
    now = datetime.now(UTC)
    make_survey(closed, opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=1))
    make_survey(future, opens_at=now + timedelta(days=1))
    for code in ("NOSURVEY", "CLOSED", "FUTURE"):
        response = client.get(f"/fi/s/{code}")
        assert response.status_code == 410
        assert "ei kerätä palautetta juuri nyt" in response.get_data(as_text=True)
    assert client.post("/fi/s/CLOSED", data=VALID).status_code == 410
    assert nothing_stored(session)


def test_a_survey_covers_its_whole_subtree_and_the_deepest_survey_wins(
        client, make_unit, make_survey, session):
    root = make_unit("ROOT")
    hospital = make_unit("HOSP", parent=root)
    ward = make_unit("WARD", parent=hospital)
    sibling = make_unit("OTHER", parent=root)
    whole = make_survey(root, code="whole")
    own = make_survey(hospital, code="own")
    client.post("/fi/s/WARD", data=VALID)
    client.post("/fi/s/OTHER", data=VALID)
    rows = {(r.unit_id, r.survey_id) for r in session.scalars(select(Response))}
    assert rows == {(ward.id, own.id), (sibling.id, whole.id)}


def test_survey_on_a_sibling_does_not_cover_a_unit(client, make_unit, make_survey):
    root = make_unit("R")
    left = make_unit("LEFT", parent=root)
    make_unit("RIGHT", parent=root)
    make_survey(left)
    assert client.get("/fi/s/RIGHT").status_code == 410


@pytest.mark.parametrize(("header", "expected"), [
    ("ar, en;q=0.5", "/ar/s/KAJ-TK?ch=sms"),
    ("sv-FI,sv;q=0.9,fi;q=0.8", "/sv/s/KAJ-TK?ch=sms"),
    ("de, ja", "/fi/s/KAJ-TK?ch=sms"),
    (None, "/fi/s/KAJ-TK?ch=sms"),
])
def test_address_without_language_redirects_by_accept_language(client, unit, header, expected):
    headers = {"Accept-Language": header} if header else {}
    response = client.get("/s/KAJ-TK?ch=sms", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_kiosk_without_language_redirects_too(client, unit):
    response = client.get("/k/KAJ-TK", headers={"Accept-Language": "uk"})
    assert response.headers["Location"] == "/uk/k/KAJ-TK"


def test_kiosk_puts_the_recommendation_first_and_stores_channel_kiosk(client, unit, session):
    # Issue 15: the kiosk's first screen is the 0-10 question alone, one tap per answer.
    html = client.get("/fi/k/KAJ-TK?ch=sms").get_data(as_text=True)
    assert 'class="resident kiosk"' in html
    assert html.count('<button type="submit" name="recommend"') == 11
    assert 'name="timely_access"' not in html
    assert 'action="/fi/k/KAJ-TK"' in html
    response = client.post("/fi/k/KAJ-TK", data={"recommend": "10"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/fi/k/KAJ-TK/thanks"
    assert session.scalar(select(Response.channel)) == "kiosk"


def test_kiosk_thanks_returns_to_the_start_without_javascript(client, unit):
    # Issue 15: back to the kiosk's own language (here the default), not the visitor's.
    html = client.get("/sv/k/KAJ-TK/thanks").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="10;url=/fi/k/KAJ-TK"></noscript>' \
        in html
    assert 'href="/fi/k/KAJ-TK"' in html
    own = client.get("/ar/k/KAJ-TK/thanks?lang=sv").get_data(as_text=True)
    assert 'content="10;url=/sv/k/KAJ-TK?lang=sv"' in own


def test_kiosk_in_plain_finnish_stores_its_language_and_returns_to_the_default(client, unit,
                                                                               session):
    response = client.post("/fi/k/KAJ-TK?variant=selko", data={"recommend": "8"})
    assert response.headers["Location"] == "/fi/k/KAJ-TK/thanks?variant=selko"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'content="10;url=/fi/k/KAJ-TK"' in html
    assert session.scalar(select(Response.language)) == "fi-x-selko"


def test_public_pages_set_no_tracking_and_send_no_referrer(client, unit):
    response = client.get("/fi/s/KAJ-TK")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_two_locales_in_one_test_are_not_cached(client, unit):
    finnish = client.post("/fi/s/KAJ-TK", data={}).get_data(as_text=True)
    swedish = client.post("/sv/s/KAJ-TK", data={}).get_data(as_text=True)
    english = client.post("/en/s/KAJ-TK", data={}).get_data(as_text=True)
    assert "Valitse, kuinka todennäköisesti suosittelisit palvelua" in finnish
    assert "Välj hur sannolikt det är" in swedish
    assert "Choose how likely you would recommend" in english
    assert "Välj" not in finnish


@pytest.mark.parametrize("lang", LANGUAGES)
def test_questionnaire_page_with_its_css_weighs_under_50_kb(client, unit, lang):
    html = client.get(f"/{lang}/s/KAJ-TK?ch=qr").data
    css = _static(client, "app.css") + _static(client, "survey.css")
    assert "http" not in html.decode().split("<body")[0].replace('content="width', "")
    assert len(html) + len(css) < 50 * 1024


def _static(client, name: str) -> bytes:
    """A static file's bytes (the response is closed, so no file handle is left open)."""
    with client.get(f"/static/{name}") as response:
        assert response.status_code == 200
        return response.get_data()
