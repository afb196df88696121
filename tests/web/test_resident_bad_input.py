"""Bad input and abuse on the resident questionnaire: 400/413/429, honeypot, CSRF; never a 500."""

from __future__ import annotations

import os
import re
import uuid

import pytest
from sqlalchemy import select

from survey_app.models import Response
from tests.web.resident_helpers import VALID, count_rows, nothing_stored

REDIS_URL = os.environ.get("SURVEY_TEST_REDIS_URL")


@pytest.fixture
def unit(make_unit, make_survey):
    """A unit with open resident feedback."""
    unit = make_unit("KAJ-TK")
    make_survey(unit)
    return unit


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"recommend": None}, "recommend", "Valitse, kuinka todennäköisesti suosittelisit"),
    ({"recommend": ""}, "recommend", "Valitse, kuinka todennäköisesti suosittelisit"),
    ({"recommend": "11"}, "recommend", "Suosittelun pitää olla luku väliltä 0–10."),
    ({"recommend": "-1"}, "recommend", "Suosittelun pitää olla luku väliltä 0–10."),
    ({"recommend": "abc"}, "recommend", "Suosittelun pitää olla luku väliltä 0–10."),
    ({"recommend": "7.5"}, "recommend", "Suosittelun pitää olla luku väliltä 0–10."),
    ({"recommend": "٥"}, "recommend", "Suosittelun pitää olla luku väliltä 0–10."),
    ({"recommend": "1e1"}, "recommend", "Suosittelun pitää olla luku väliltä 0–10."),
    ({"recommend": "9" * 400}, "recommend", "Suosittelun pitää olla luku väliltä 0–10."),
    ({"safety": "6"}, "safety", "Valitse jokin vaihtoehdoista kysymykseen 4."),
    ({"safety": "0"}, "safety", "Valitse jokin vaihtoehdoista kysymykseen 4."),
    ({"useful": "yes"}, "useful", "Valitse jokin vaihtoehdoista kysymykseen 6."),
    ({"timely_access": "cannot_say"}, "timely_access", "kysymykseen 2."),
    ({"comment": "x" * 2001}, "comment", "Kommentissa on 2001 merkkiä; enimmäismäärä on 2000."),
])
def test_invalid_answers_show_the_form_again_with_400_and_store_nothing(
        client, unit, session, changes, field, message):
    data = {key: value for key, value in {**VALID, **changes}.items() if value is not None}
    response = client.post("/fi/s/KAJ-TK?ch=qr", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="error-summary"' in html
    assert f'<a href="#{field}">' in html and message in html
    assert f'id="{field}"' in html
    assert 'action="/fi/s/KAJ-TK?ch=qr"' in html
    assert html.count('id="error-summary"') == 1
    assert nothing_stored(session)


def test_form_again_keeps_the_valid_answers(client, unit):
    html = client.post("/fi/s/KAJ-TK", data={**VALID, "recommend": "x",
                                               "comment": "Hyvä palvelu"}).get_data(as_text=True)
    assert 'value="4" id="timely_access-4" checked' in html
    assert ">Hyvä palvelu</textarea>" in html


def test_comment_of_exactly_2000_characters_is_accepted(client, unit, session):
    assert client.post("/fi/s/KAJ-TK", data={**VALID, "comment": "a" * 2000}).status_code == 303
    assert len(session.scalar(select(Response.comment))) == 2000


@pytest.mark.parametrize("body", [
    b"recommend=5&comment=%FF%FEhyv%E4",
    b"recommend=5&comment=\xff\xfe",
])
def test_comment_that_is_not_utf8_is_refused(client, unit, session, body):
    response = client.post("/fi/s/KAJ-TK", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "merkkejä, joita ei voitu lukea" in response.get_data(as_text=True)
    assert nothing_stored(session)


def test_body_over_64_kb_is_a_413_page_and_nothing_is_stored(client, unit, session):
    response = client.post("/fi/s/KAJ-TK", data={**VALID, "comment": "x" * 70_000})
    assert response.status_code == 413
    assert "Lähettämäsi tieto on liian suuri." in response.get_data(as_text=True)
    assert nothing_stored(session)


@pytest.mark.parametrize(("content_type", "body"), [
    ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data\r\n\r\nbroken"),
    ("multipart/form-data", b"recommend=5"),
    ("application/json", b'{"recommend": 5}'),
    ("application/x-www-form-urlencoded", b"%%%&&&==recommend"),
    ("text/plain", b"\x00\x01\x02"),
])
def test_malformed_bodies_never_cause_a_500(client, unit, session, content_type, body):
    response = client.post("/fi/s/KAJ-TK", data=body, content_type=content_type)
    assert response.status_code in (400, 413)
    assert nothing_stored(session)


def test_nul_characters_in_a_comment_are_dropped_before_storage(client, unit, session):
    assert client.post("/fi/s/KAJ-TK", data={**VALID, "comment": "hy\x00vä"}).status_code == 303
    assert session.scalar(select(Response.comment)) == "hyvä"


def test_get_with_unexpected_method_is_405(client, unit):
    assert client.put("/fi/s/KAJ-TK", data=VALID).status_code == 405


def test_filled_honeypot_pretends_success_but_stores_nothing(client, unit, session):
    response = client.post("/fi/s/KAJ-TK?ch=qr", data={**VALID, "website": "http://spam"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/fi/s/KAJ-TK/thanks?ch=qr"
    assert nothing_stored(session)


def test_honeypot_can_be_switched_off_for_load_tests(make_app, unit, session):
    client = make_app(HONEYPOT_ENABLED=False).test_client()
    client.post("/fi/s/KAJ-TK", data={**VALID, "website": "filled by a load test"})
    assert count_rows(session) == 1


def test_submissions_are_rate_limited_with_a_translated_429(make_app, unit, session):
    client = make_app(RATELIMIT_ENABLED=True, RATELIMIT_SUBMIT="2 per minute").test_client()
    statuses = [client.post("/fi/s/KAJ-TK", data=VALID).status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    page = client.post("/fi/s/KAJ-TK", data=VALID)
    assert page.status_code == 429
    html = page.get_data(as_text=True)
    assert '<html lang="fi"' in html and "Liian monta yritystä lyhyessä ajassa." in html
    assert client.get("/fi/s/KAJ-TK").status_code == 200
    assert count_rows(session) == 2


def test_kiosk_has_its_own_higher_limit_than_a_phone(make_app, unit, session):
    client = make_app(RATELIMIT_ENABLED=True, RATELIMIT_SUBMIT="1 per minute",
                      RATELIMIT_KIOSK="3 per minute").test_client()
    statuses = [client.post("/fi/k/KAJ-TK", data=VALID).status_code for _ in range(4)]
    assert statuses == [303, 303, 303, 429]
    assert count_rows(session) == 3


@pytest.mark.skipif(not REDIS_URL, reason="needs SURVEY_TEST_REDIS_URL (.ci/run sets it)")
def test_rate_limit_state_can_live_in_redis(make_app, unit, session):
    client = make_app(RATELIMIT_ENABLED=True, RATELIMIT_SUBMIT="1 per minute",
                      RATELIMIT_STORAGE_URI=REDIS_URL).test_client()
    # The counter outlives the test in Redis: a client address of its own keeps runs apart.
    client.environ_base["REMOTE_ADDR"] = f"2001:db8::{uuid.uuid4().hex[:4]}"
    assert [client.post("/fi/s/KAJ-TK", data=VALID).status_code for _ in range(2)] == [303, 429]
    assert count_rows(session) == 1


def test_rate_limit_can_be_switched_off(make_app, unit, session):
    client = make_app(RATELIMIT_ENABLED=False, RATELIMIT_SUBMIT="1 per minute").test_client()
    assert [client.post("/fi/s/KAJ-TK", data=VALID).status_code for _ in range(3)] == [303] * 3


def test_with_csrf_on_a_post_without_token_is_refused(make_app, unit, session):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/fi/s/KAJ-TK", data=VALID)
    assert response.status_code == 400
    assert nothing_stored(session)
    form = client.get("/fi/s/KAJ-TK").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    accepted = client.post("/fi/s/KAJ-TK", data={**VALID, "csrf_token": token})
    assert accepted.status_code == 303
    assert count_rows(session) == 1
