"""Answering a pulse round through ``/<lang>/p/<token>``: every invitation state, what is
stored (and what is not), aggregates, bad input and CSRF."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from survey_app.models import Response, StaffItemCount, StaffMeasure, StaffRound
from survey_app.services.pulse import person_measures
from tests.pulse_support import INSTRUMENT, answer_form, issue_tokens, used_count


@pytest.fixture
def team(make_unit):
    county = make_unit("KAI")
    return make_unit("KAI-HOIVA", parent=county, kind="staff")


@pytest.fixture
def open_round(make_survey, team):
    now = datetime.now(UTC)
    return make_survey(team, kind="pulse", code="r-open", opens_at=now - timedelta(days=1),
                       closes_at=now + timedelta(days=6))


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def _used(session):
    return used_count(session)


def test_valid_invitation_shows_the_questionnaire_with_a_link_to_the_anonymity_page(
        client, session, open_round, team):
    token, = issue_tokens(session, open_round, team)
    page = client.get(f"/fi/p/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert INSTRUMENT.item_text(INSTRUMENT.items[0], "fi") in html
    assert 'href="/fi/p/anonymity"' in html
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"


def test_answer_is_stored_once_without_token_time_language_or_channel(
        client, session, open_round, team):
    token, = issue_tokens(session, open_round, team)
    posted = client.post(f"/fi/p/{token}", data=answer_form(score="9", comment="Soita 040 1234567"))
    assert posted.status_code == 303
    assert posted.headers["Location"].endswith("/fi/p/thanks")
    assert token not in posted.headers["Location"]
    response = session.scalars(select(Response)).one()
    assert (response.survey_id, response.unit_id) == (open_round.id, team.id)
    assert response.day is None and response.language is None and response.channel is None
    assert response.score == 9 and response.answers == {item.id: 4 for item in INSTRUMENT.items}
    assert "040" not in response.comment
    assert response.qwl_index == pytest.approx(75.0)
    assert re.fullmatch(r"[0-9a-f]{32}", response.id)
    columns = set(Response.__table__.columns.keys())
    assert not columns & {"token", "token_hash", "invitation_id", "created_at", "submitted_at"}
    row = [str(v) for v in session.execute(select(Response.__table__)).one()]
    assert not any(token in v for v in row)
    assert _used(session) == 1
    again = client.get(f"/fi/p/{token}")
    assert again.status_code == 409
    assert "on jo vastattu" in again.get_data(as_text=True)


def test_aggregates_equal_the_stored_responses(client, session, open_round, team):
    tokens = issue_tokens(session, open_round, team, 4)
    forms = [answer_form(score="10", value="5"), answer_form(score="3", value="2"),
             answer_form(score="7", value="x", comment="Hyvä porukka"),
             answer_form(score="9", value="3", psych_safety="x", workload="1")]
    for token, form in zip(tokens, forms, strict=True):
        assert client.post(f"/en/p/{token}", data=form).status_code == 303
    responses = session.scalars(select(Response)).all()
    staff = session.scalars(select(StaffRound)).one()
    assert staff.n == 4 and staff.comments == 1
    assert (staff.c10, staff.c3, staff.c7, staff.c9) == (1, 1, 1, 1)
    indices = [r.qwl_index for r in responses if r.qwl_index is not None]
    assert len(indices) == 3  # "cannot say" everywhere leaves the index undefined
    qwl = session.scalars(select(StaffMeasure).where(StaffMeasure.measure == "qwl")).one()
    assert qwl.n == 3 and qwl.total == pytest.approx(sum(indices))
    assert qwl.total_sq == pytest.approx(sum(i * i for i in indices))
    for factor in ("safety", "belonging", "goals"):
        values = [person_measures(INSTRUMENT, r.answers)[factor] for r in responses]
        values = [v for v in values if v is not None]
        stored = session.scalars(select(StaffMeasure)
                                 .where(StaffMeasure.measure == factor)).one()
        assert stored.n == len(values) and stored.total == pytest.approx(sum(values))
    workload = dict(session.execute(select(StaffItemCount.value, StaffItemCount.count)
                                    .where(StaffItemCount.item == "workload")).all())
    assert workload == {5: 1, 2: 1, 0: 1, 1: 1}


@pytest.mark.parametrize("form, field", [
    (answer_form(score=""), "recommend-0"),
    (answer_form(score="11"), "recommend-0"),
    (answer_form(score="-1"), "recommend-0"),
    (answer_form(value="6"), "psych_safety-1"),
    (answer_form(meaningful=""), "meaningful-1"),
    (answer_form(comment="x" * 2001), "comment"),
])
def test_bad_input_is_refused_with_a_summary_and_leaves_the_invitation_unused(
        client, session, open_round, team, form, field):
    token, = issue_tokens(session, open_round, team)
    page = client.post(f"/fi/p/{token}", data=form)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert 'class="error-summary"' in html and f'href="#{field}"' in html
    assert _count(session, Response) == 0 and _count(session, StaffRound) == 0
    assert _used(session) == 0


def test_missing_fields_and_garbage_never_give_a_500(client, session, open_round, team):
    token, = issue_tokens(session, open_round, team)
    for data in ({}, {"recommend": "٣"}, {"recommend": "1" * 5000}, {"comment": "\x00"}):
        assert client.post(f"/fi/p/{token}", data=data).status_code == 400
    assert _used(session) == 0


def test_unknown_and_malformed_tokens_get_a_translated_404(client, session, open_round, team):
    issue_tokens(session, open_round, team)
    for token in ("A" * 43, "short", "x" * 300):
        page = client.get(f"/sv/p/{token}")
        assert page.status_code == 404
        assert "Inbjudningslänken är inte giltig" in page.get_data(as_text=True)
    assert client.post("/fi/p/" + "B" * 43, data=answer_form()).status_code == 404


def test_a_round_not_yet_open_gives_410_with_its_dates(client, session, make_survey, team):
    opens = datetime(2099, 3, 2, 6, 0, tzinfo=UTC)
    survey = make_survey(team, kind="pulse", code="future", opens_at=opens,
                         closes_at=opens + timedelta(days=14))
    token, = issue_tokens(session, survey, team)
    page = client.get(f"/fi/p/{token}")
    assert page.status_code == 410
    html = page.get_data(as_text=True)
    assert "ei ole vielä alkanut" in html and "2. maaliskuuta 2099" in html and "8.00" in html
    english = client.get(f"/en/p/{token}").get_data(as_text=True)
    assert "March 2, 2099" in english and "8:00" in english
    assert client.post(f"/fi/p/{token}", data=answer_form()).status_code == 410
    assert _used(session) == 0


def test_a_closed_round_gives_410(client, session, make_survey, team):
    now = datetime.now(UTC)
    survey = make_survey(team, kind="pulse", code="past", opens_at=now - timedelta(days=10),
                         closes_at=now - timedelta(days=1))
    token, = issue_tokens(session, survey, team)
    page = client.post(f"/fi/p/{token}", data=answer_form())
    assert page.status_code == 410 and "on päättynyt" in page.get_data(as_text=True)
    assert _count(session, Response) == 0


def test_an_expired_invitation_gives_410(client, session, open_round, team):
    token, = issue_tokens(session, open_round, team,
                          expires_at=datetime.now(UTC) - timedelta(minutes=1))
    page = client.get(f"/en/p/{token}")
    assert page.status_code == 410 and "expired" in page.get_data(as_text=True)


def test_pages_render_in_two_languages_in_one_test(client, session, open_round, team):
    token, = issue_tokens(session, open_round, team)
    finnish = client.get(f"/fi/p/{token}").get_data(as_text=True)
    swedish = client.get(f"/sv/p/{token}").get_data(as_text=True)
    assert "Lähetä vastaus" in finnish and "Skicka svaret" in swedish
    arabic = client.get(f"/ar/p/{token}").get_data(as_text=True)
    assert 'dir="rtl"' in arabic


@pytest.mark.parametrize("lang", ["fi", "sv", "en", "ru", "uk", "et", "ar", "so"])
def test_anonymity_page_states_the_thresholds(make_app, lang):
    client = make_app(PRIVACY_MIN_STAFF=7, PRIVACY_MIN_COMMENTS=12).test_client()
    page = client.get(f"/{lang}/p/anonymity")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "7" in html and "12" in html
    thanks = client.get(f"/{lang}/p/thanks")
    assert thanks.status_code == 200 and f'lang="{lang}"' in thanks.get_data(as_text=True)


def test_post_without_csrf_token_is_refused_and_keeps_the_answers(make_app, session, make_unit,
                                                                    make_survey):
    app = make_app(WTF_CSRF_ENABLED=True)
    team = make_unit("KAI-CSRF", kind="staff")
    survey = make_survey(team, kind="pulse", code="csrf",
                         closes_at=datetime.now(UTC) + timedelta(days=1))
    token, = issue_tokens(session, survey, team)
    client = app.test_client()
    page = client.post(f"/fi/p/{token}", data=answer_form(score="6"))
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert 'href="#submit"' in html and 'value="6" checked' in html
    assert _count(session, Response) == 0 and _used(session) == 0
    form = client.get(f"/fi/p/{token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert client.post(f"/fi/p/{token}", data={**answer_form(), "csrf_token": csrf}
                       ).status_code == 303
    assert _count(session, Response) == 1


def test_werkzeug_request_log_masks_tokens(app):
    import logging

    from survey_app.logs import ScrubFilter

    token = "a" * 43
    record = logging.LogRecord("werkzeug", logging.INFO, "", 0, '%s - - "%s" %s %s',
                               ("127.0.0.1", f"GET /fi/p/{token} HTTP/1.1", "200", "-"), None)
    assert any(isinstance(f, ScrubFilter) for f in logging.getLogger("werkzeug").filters)
    ScrubFilter().filter(record)
    assert token not in record.getMessage() and "/fi/p/[token]" in record.getMessage()
    assert "127.0.0.1" not in record.getMessage()


def test_closing_a_round_keeps_answers_and_used_flags_and_ends_answering(
        app, client, session, open_round, team):
    from survey_app.services.pulse import close_round

    used, unused = issue_tokens(session, open_round, team, 2)
    assert client.post(f"/fi/p/{used}", data=answer_form(score="4")).status_code == 303
    before = session.execute(select(Response.id, Response.score, Response.answers)).all()
    with app.app_context():
        close_round(session, "r-open", datetime.now(UTC))
    session.expire_all()
    assert session.execute(select(Response.id, Response.score, Response.answers)).all() == before
    assert _used(session) == 1
    assert client.get(f"/fi/p/{used}").status_code == 409
    assert client.get(f"/fi/p/{unused}").status_code == 410


def test_the_questionnaire_names_the_unit_and_marks_a_finnish_fallback_name(
        client, session, open_round, team):
    token, = issue_tokens(session, open_round, team)
    swedish = client.get(f"/sv/p/{token}").get_data(as_text=True)
    assert "<strong>KAI-HOIVA sv</strong>" in swedish
    somali = client.get(f"/so/p/{token}").get_data(as_text=True)
    assert '<strong lang="fi" dir="ltr">KAI-HOIVA fi</strong>' in somali
