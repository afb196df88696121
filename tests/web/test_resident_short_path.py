"""The short path (issue 15): Send under question 1, a follow-up that completes the same
answer through a token only that page holds, one stored answer whichever way it is sent, and
aggregates that count the 0–10 answer once and the details when they come."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, func, select

from survey_app.i18n import LANGUAGES
from survey_app.models import ResidentDaily, ResidentItemDaily, ResidentMonthly, Response
from tests.web.resident_helpers import VALID, count_rows

DETAILS = {"timely_access": "4", "listened_to": "5", "safety": "cannot-say",
           "comment": "Hyvä käynti, soita 040.123.4567"}


@pytest.fixture
def unit(make_unit, make_survey):
    unit = make_unit("SHORT", name_fi="Kajaanin päivystys", name_sv="Kajana jour",
                     name_en="Kajaani emergency")
    make_survey(unit)
    return unit


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def form_handle(client, path: str = "/fi/s/SHORT") -> str:
    return hidden(client.get(path).get_data(as_text=True), "handle")


def daily(session) -> tuple[int, int, int]:
    session.expire_all()
    row = session.execute(select(func.sum(ResidentDaily.n), func.sum(ResidentDaily.c9),
                                 func.sum(ResidentDaily.comments))).one()
    return tuple(int(v or 0) for v in row)


def monthly(session) -> tuple[int, int, int]:
    session.expire_all()
    row = session.execute(select(func.sum(ResidentMonthly.n), func.sum(ResidentMonthly.c9),
                                 func.sum(ResidentMonthly.comments))).one()
    return tuple(int(v or 0) for v in row)


def item_counts(session) -> dict[tuple[str, int], int]:
    session.expire_all()
    return {(r.item, r.value): r.count for r in session.scalars(select(ResidentItemDaily))}


def test_the_form_offers_send_under_question_one_and_the_rest_as_optional(client, unit):
    response = client.get("/fi/s/SHORT?ch=sms")
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert 'autocomplete="off"' in html.split("<form")[1].split(">")[0]
    send = html.index('id="send-short"')
    assert html.index('name="recommend"') < send < html.index('name="timely_access"') \
        < html.index('name="comment"')       # THL order: NPS, core statements, comment
    assert html.index("<details class=\"more\">") < html.index('name="timely_access"')
    assert "Kerro lisää (vapaaehtoinen)" in html
    assert len(hidden(html, "handle")) > 40
    assert hidden(html, "handle") != form_handle(client)       # fresh for every page


def test_a_short_answer_is_stored_at_once_and_the_follow_up_completes_the_same_answer(
        client, unit, session):
    handle = form_handle(client, "/fi/s/SHORT?ch=sms")
    first = client.post("/fi/s/SHORT?ch=sms", data={"recommend": "9", "handle": handle})
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    page = first.get_data(as_text=True)
    assert "Kiitos palautteestasi" in page and 'action="/fi/s/SHORT/more?ch=sms"' in page
    assert handle not in page                       # the follow-up holds its own token
    [row] = session.scalars(select(Response)).all()
    assert (row.score, row.answers, row.comment, row.channel) == (9, {}, None, "sms")
    assert daily(session) == monthly(session) == (1, 1, 0) and item_counts(session) == {}

    done = client.post("/fi/s/SHORT/more?ch=sms", data={**DETAILS, "token": hidden(page,
                                                                                     "token")})
    assert done.status_code == 303
    assert done.headers["Location"] == "/fi/s/SHORT/thanks?ch=sms"
    session.expire_all()
    [row] = session.scalars(select(Response)).all()
    assert row.answers == {"timely_access": 4, "listened_to": 5, "safety": None}
    assert row.comment == "Hyvä käynti, soita [PHONE]"
    # The NPS counted once; the details add the comment and the statement counts.
    assert daily(session) == monthly(session) == (1, 1, 1)
    assert item_counts(session) == {("timely_access", 4): 1, ("listened_to", 5): 1,
                                    ("safety", 0): 1}


def test_a_resent_form_stores_one_answer(client, unit, session):
    handle = form_handle(client)
    for _ in range(3):      # a double tap, then a reload that posts again
        assert client.post("/fi/s/SHORT", data={"recommend": "9", "handle": handle}
                           ).status_code == 200
    assert count_rows(session) == 1 and daily(session) == (1, 1, 0)
    full = form_handle(client)
    for _ in range(2):
        assert client.post("/fi/s/SHORT", data={**VALID, "handle": full}).status_code == 303
    assert count_rows(session) == 2 and daily(session) == (2, 2, 0)


def test_a_whole_answer_sent_at_the_end_is_stored_once_with_no_follow_up(client, unit,
                                                                         session):
    response = client.post("/fi/s/SHORT", data={**VALID, "handle": form_handle(client)})
    assert response.headers["Location"] == "/fi/s/SHORT/thanks"
    [row] = session.scalars(select(Response)).all()
    assert row.answers["useful"] == 5 and daily(session) == (1, 1, 0)


def short_answer_token(client, path: str = "/fi/s/SHORT") -> str:
    page = client.post(path, data={"recommend": "9", "handle": form_handle(client, path)})
    return hidden(page.get_data(as_text=True), "token")


def test_an_answer_is_completed_only_once(client, unit, session):
    token = short_answer_token(client)
    assert client.post("/fi/s/SHORT/more", data={**DETAILS, "token": token}).status_code == 303
    again = client.post("/fi/s/SHORT/more", data={"useful": "1", "comment": "toinen",
                                                  "token": token})
    assert again.status_code == 409
    assert "on jo täydennetty" in again.get_data(as_text=True)
    assert daily(session) == (1, 1, 1) and ("useful", 1) not in item_counts(session)


def test_an_expired_or_forged_token_changes_nothing(app, client, unit, session):
    token = short_answer_token(client)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert client.post("/fi/s/SHORT/more", data={**DETAILS, "token": forged}).status_code == 400
    assert client.post("/fi/s/SHORT/more", data=DETAILS).status_code == 400
    # The accepted window is shorter than the token's age (0 s): it has expired.
    app.config["FOLLOWUP_SECONDS"] = -1
    expired = client.post("/fi/s/SHORT/more", data={**DETAILS, "token": token})
    assert expired.status_code == 410
    assert daily(session) == (1, 1, 0) and item_counts(session) == {}
    session.expire_all()
    assert session.scalar(select(Response.comment)) is None


def test_a_form_handle_is_no_completion_token(client, unit, session):
    handle = form_handle(client)
    client.post("/fi/s/SHORT", data={"recommend": "9", "handle": handle})
    assert client.post("/fi/s/SHORT/more", data={**DETAILS, "token": handle}).status_code == 400
    assert item_counts(session) == {}


def test_invalid_details_show_the_follow_up_again_and_store_nothing_more(client, unit,
                                                                         session):
    token = short_answer_token(client)
    response = client.post("/fi/s/SHORT/more", data={"useful": "9", "comment": "x",
                                                     "token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="error-summary"' in html
    assert hidden(html, "token") == token
    assert item_counts(session) == {} and daily(session) == (1, 1, 0)
    assert client.post("/fi/s/SHORT/more", data={"useful": "2", "token": token}
                       ).status_code == 303
    assert item_counts(session) == {("useful", 2): 1}


def test_empty_details_finish_without_changing_anything(client, unit, session):
    token = short_answer_token(client)
    assert client.post("/fi/s/SHORT/more", data={"comment": "  ", "token": token}
                       ).status_code == 303
    assert daily(session) == (1, 1, 0) and item_counts(session) == {}


def test_the_first_answer_is_one_statement_on_postgresql(make_app, unit, session):
    app = make_app()
    if app.extensions["sqlalchemy_engine"].dialect.name != "postgresql":
        pytest.skip("the one-statement write is PostgreSQL's")
    client = app.test_client()
    handle = form_handle(client)
    writes = []
    engine = app.extensions["sqlalchemy_engine"]

    def seen(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith("SELECT"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        client.post("/fi/s/SHORT", data={"recommend": "9", "handle": handle})
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(writes) == 1 and writes[0].lstrip().startswith("WITH target")
    assert count_rows(session) == 1


# --- kiosk -------------------------------------------------------------------------------


def test_the_kiosk_sets_no_cookie_and_turns_autofill_off(client, unit):
    response = client.get("/ar/k/SHORT")
    html = response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    assert 'name="csrf_token"' not in html and 'autocomplete="off"' in html
    assert '<noscript><meta http-equiv="refresh" content="60;url=/fi/k/SHORT"></noscript>' in html
    assert 'data-home="/fi/k/SHORT" data-seconds="60"' in html
    assert "kiosk.js" in html


def test_a_kiosk_answer_then_done_completes_it(client, unit, session):
    page = client.post("/sv/k/SHORT?lang=sv", data={"recommend": "9",
                                                    "handle": form_handle(client,
                                                                          "/sv/k/SHORT")})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and ">Klar</button>" in html
    assert 'action="/sv/k/SHORT/more?lang=sv"' in html
    assert "Set-Cookie" not in page.headers
    done = client.post("/sv/k/SHORT/more?lang=sv", data={"useful": "4",
                                                         "token": hidden(html, "token")})
    assert done.headers["Location"] == "/sv/k/SHORT/thanks?lang=sv"
    [row] = session.scalars(select(Response)).all()
    assert (row.channel, row.score, row.answers) == ("kiosk", 9, {"useful": 4})


def test_with_csrf_on_the_kiosk_needs_a_form_it_served_and_no_cookie(make_app, unit,
                                                                      session):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert client.post("/fi/k/SHORT", data={"recommend": "9"}).status_code == 400
    assert client.post("/fi/k/SHORT", data={"recommend": "9", "handle": "forged"}
                       ).status_code == 400
    assert count_rows(session) == 0
    response = client.post("/fi/k/SHORT", data={"recommend": "9",
                                                "handle": form_handle(client, "/fi/k/SHORT")})
    assert response.status_code == 200 and count_rows(session) == 1
    assert not client.get_cookie("session")
    # The phone form keeps its CSRF token.
    assert client.post("/fi/s/SHORT", data={"recommend": "9",
                                            "handle": form_handle(client)}).status_code == 400


def test_the_kiosk_returns_to_its_own_language_whatever_the_visitor_chose(client, unit,
                                                                          make_unit,
                                                                          make_survey,
                                                                          session):
    html = client.get("/ar/k/SHORT?lang=sv").get_data(as_text=True)
    assert 'content="60;url=/sv/k/SHORT?lang=sv"' in html
    assert 'href="/fi/k/SHORT?lang=sv"' in html and 'href="/ar/k/SHORT?lang=sv"' in html
    # Without ?lang= the unit's own kiosk language, else the default.
    other = make_unit("KIOSK-ET")
    other.kiosk_lang = "et"
    session.commit()
    make_survey(other)
    assert 'content="60;url=/et/k/KIOSK-ET"' in client.get("/ar/k/KIOSK-ET").get_data(
        as_text=True)
    assert client.get("/k/SHORT?lang=uk", headers={"Accept-Language": "fi"}
                      ).headers["Location"] == "/uk/k/SHORT?lang=uk"


def test_the_idle_time_comes_from_the_config(make_app, unit):
    client = make_app(KIOSK_IDLE_SECONDS=7).test_client()
    assert 'content="7;url=/fi/k/SHORT"' in client.get("/sv/k/SHORT").get_data(as_text=True)


# --- wording, names, weight -------------------------------------------------------------


def test_a_unit_with_the_alternative_wording_asks_about_the_experience(client, unit,
                                                                       session):
    unit.wording = "experience"
    session.commit()
    for path in ("/en/s/SHORT", "/en/k/SHORT"):
        html = client.get(path).get_data(as_text=True)
        assert "Overall, how was your experience of our service?" in html
        assert "recommend this service" not in html and "0 = very poor" in html


def test_unit_names_fall_back_to_english_then_finnish(client, unit, session):
    unit.names = {"ru": "Кайаани, дежурная"}
    session.commit()
    assert "<p class=\"unit-name\">Кайаани, дежурная</p>" in client.get("/ru/s/SHORT").text
    assert '<bdi lang="en">Kajaani emergency</bdi>' in client.get("/uk/s/SHORT").text
    unit.name_en = ""
    session.commit()
    assert '<bdi lang="fi">Kajaanin päivystys</bdi>' in client.get("/so/s/SHORT").text


def test_the_compact_chooser_keeps_unit_and_channel_on_one_control(client, unit):
    html = client.get("/sv/s/SHORT?ch=qr").text
    chooser = html.split('<details class="languages">')[1].split("</details>")[0]
    assert '<span lang="sv">Svenska</span></summary>' in chooser
    for lang in LANGUAGES:
        assert f'href="/{lang}/s/SHORT?ch=qr"' in chooser


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_of_the_short_path_and_kiosk_weighs_under_50_kb(client, unit, lang):
    css = sum(static_size(client, name) for name in ("app.css", "survey.css"))
    script = static_size(client, "kiosk.js")
    form = client.get(f"/{lang}/s/SHORT?ch=qr").data
    follow_up = client.post(f"/{lang}/s/SHORT?ch=qr",
                            data={"recommend": "9", "handle": form_handle(
                                client, f"/{lang}/s/SHORT")}).data
    kiosk = client.get(f"/{lang}/k/SHORT").data
    assert b'name="token"' in follow_up
    for page, extra in ((form, 0), (follow_up, 0), (kiosk, script)):
        assert len(page) + css + extra < 50 * 1024


def static_size(client, name: str) -> int:
    with client.get(f"/static/{name}") as response:
        assert response.status_code == 200
        return len(response.get_data())
