"""A form fuzzer for the public questionnaires: resident (/s/), kiosk (/k/) and pulse (/p/).

Random fields and values, repeated fields, raw bytes (invalid UTF-8, NUL bytes, truncated
multipart), wrong content types, huge bodies and bad CSRF tokens. Whatever arrives, the answer
is a 4xx or the 303 of an accepted answer, never a 5xx; and a row is stored exactly when the
answer was accepted. Example counts stay small so that CI stays fast.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from survey_app.models import Response
from tests.pulse_support import INSTRUMENT as PULSE
from tests.pulse_support import answer_form, issue_tokens, used_count
from tests.web.resident_helpers import VALID

FUZZ = settings(max_examples=30, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

RESIDENT_FIELDS = list(VALID) + ["website", "csrf_token", "lang", "ch", "variant"]
PULSE_FIELDS = list(answer_form()) + ["csrf_token", "website"]
CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data",
                 "multipart/form-data; boundary=xyz", "text/plain", "application/json",
                 "application/octet-stream", "application/x-www-form-urlencoded; charset=latin-1",
                 None]

values = st.one_of(
    st.sampled_from(["0", "5", "10", "11", "-1", "1", "5", "cannot-say", "", " 7 ", "٧",
                     "1e1", "0x5", "5\x00", "\x00"]),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "ä", "\x00", "😀", "\u202e"]),
              st.integers(0, 4000)),
)


def pairs(fields, base):
    """A list of (field, value) pairs: known and unknown names, repeats allowed; half of the
    time a complete valid answer with a few fields added or repeated (near misses)."""
    names = st.one_of(st.sampled_from(fields), st.text(max_size=20))
    anything = st.lists(st.tuples(names, values), max_size=12)
    near = st.lists(st.tuples(st.sampled_from(fields), values), max_size=3).map(
        lambda extra: list(base.items()) + extra)
    return st.one_of(anything, near)


raw_bodies = st.one_of(
    st.binary(max_size=600),
    st.binary(max_size=200).map(lambda b: b"recommend=5&comment=" + b),
    st.builds(lambda body, cut: body[:cut], st.just(
        b"--xyz\r\nContent-Disposition: form-data; name=\"recommend\"\r\n\r\n7\r\n--xyz--\r\n"),
        st.integers(0, 80)),
    st.just(b"recommend=5&comment=%FF%FE%00"),
    st.just(b"recommend=5&" + b"a=" + b"b" * 70_000),
)


def _count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Response))


def _check(response, before: int, after: int) -> None:
    event(f"status {response.status_code}")  # see --hypothesis-show-statistics
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code == 303:
        assert after == before + 1
    else:
        assert 400 <= response.status_code < 500
        assert after == before


@pytest.fixture
def fuzz_app(make_app, make_unit, make_survey):
    """CSRF off (so that the answers themselves are fuzzed) and the honeypot off (so that a
    303 always means a stored answer); the CSRF fuzz below turns CSRF on."""
    app = make_app(HONEYPOT_ENABLED=False)
    make_survey(make_unit("KAI-FUZZ"))
    return app


@pytest.mark.parametrize("path", ["/fi/s/KAI-FUZZ", "/ar/k/KAI-FUZZ", "/so/s/KAI-FUZZ?ch=qr"])
@FUZZ
@given(form=pairs(RESIDENT_FIELDS, VALID))
def test_resident_random_fields(fuzz_app, session, path, form):
    client = fuzz_app.test_client()
    before = _count(session)
    response = client.post(path, data=urlencode(form),
                           content_type="application/x-www-form-urlencoded")
    _check(response, before, _count(session))


@pytest.mark.parametrize("path", ["/fi/s/KAI-FUZZ", "/sv/k/KAI-FUZZ"])
@FUZZ
@given(body=raw_bodies, content_type=st.sampled_from(CONTENT_TYPES))
def test_resident_raw_bodies_and_content_types(fuzz_app, session, path, body, content_type):
    client = fuzz_app.test_client()
    before = _count(session)
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(path, data=body, headers=headers)
    _check(response, before, _count(session))


@FUZZ
@given(form=pairs(RESIDENT_FIELDS, VALID), unit=st.text(max_size=30), lang=st.text(max_size=5))
def test_random_addresses(fuzz_app, session, form, unit, lang):
    client = fuzz_app.test_client()
    before = _count(session)
    path = "/" + "/".join(part.replace("/", "") or "x" for part in (lang, "s", unit))
    response = client.post(path, data=urlencode(form),
                           content_type="application/x-www-form-urlencoded")
    _check(response, before, _count(session))


@pytest.fixture
def pulse_tokens(make_app, session, make_unit, make_survey):
    app = make_app()
    team = make_unit("KAI-PFUZZ", kind="staff")
    survey = make_survey(team, kind="pulse", code="pfuzz",
                         closes_at=datetime.now(UTC) + timedelta(days=1))
    return app, issue_tokens(session, survey, team, 40)


@FUZZ
@given(form=pairs(PULSE_FIELDS, answer_form()), body=st.one_of(st.none(), raw_bodies),
       content_type=st.sampled_from(CONTENT_TYPES), which=st.integers(0, 39),
       forged=st.one_of(st.none(), st.text(max_size=60)))
def test_pulse_random_input(pulse_tokens, session, form, body, content_type, which, forged):
    app, tokens = pulse_tokens
    client = app.test_client()
    token = tokens[which] if forged is None else forged.replace("/", "").replace("?", "") or "x"
    before = _count(session)
    used_before = used_count(session)
    if body is None:
        body, content_type = urlencode(form).encode(), "application/x-www-form-urlencoded"
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(f"/fi/p/{token}", data=body, headers=headers)
    after = _count(session)
    _check(response, before, after)
    used_after = used_count(session)
    assert used_after - used_before == after - before


def test_a_complete_pulse_answer_still_goes_through_after_the_fuzzing(pulse_tokens, session):
    app, tokens = pulse_tokens
    assert app.test_client().post(f"/fi/p/{tokens[0]}", data=answer_form()).status_code == 303
    assert len(PULSE.items) > 0


@pytest.fixture
def csrf_app(make_app, make_unit, make_survey, session):
    app = make_app(WTF_CSRF_ENABLED=True, HONEYPOT_ENABLED=False)
    make_survey(make_unit("KAI-CSRF"))
    team = make_unit("KAI-PCSRF", kind="staff")
    survey = make_survey(team, kind="pulse", code="pcsrf",
                         closes_at=datetime.now(UTC) + timedelta(days=1))
    return app, issue_tokens(session, survey, team, 1)[0]


@FUZZ
@given(token=st.one_of(st.text(max_size=120), st.none(),
                       st.from_regex(r"[A-Za-z0-9_\-]{40}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27}",
                                     fullmatch=True)),
       path=st.sampled_from(["/fi/s/KAI-CSRF", "/fi/k/KAI-CSRF", "pulse"]))
def test_bad_csrf_tokens_are_refused_and_store_nothing(csrf_app, session, token, path):
    app, invitation = csrf_app
    client = app.test_client()
    url = f"/fi/p/{invitation}" if path == "pulse" else path
    client.get(url)  # a session of its own, whose real token the forged one must not match
    form = dict(answer_form() if path == "pulse" else VALID)
    if token is not None:
        form["csrf_token"] = token
    before = _count(session)
    response = client.post(url, data=form)
    assert response.status_code == 400
    assert _count(session) == before


def test_a_token_from_another_session_is_refused(csrf_app, session):
    app, _ = csrf_app
    other = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      other.get("/fi/s/KAI-CSRF").get_data(as_text=True)).group(1)
    client = app.test_client()
    client.get("/fi/s/KAI-CSRF")
    assert client.post("/fi/s/KAI-CSRF", data={**VALID, "csrf_token": token}).status_code == 400
    assert other.post("/fi/s/KAI-CSRF", data={**VALID, "csrf_token": token}).status_code == 303
    assert _count(session) == 1
