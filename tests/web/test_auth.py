"""Login, logout, throttling, safe redirects, sessions that end."""

import re

import pytest
from sqlalchemy import select

from survey_app.models import User
from survey_app.services.users import FREE_ATTEMPTS, create_user, set_active

PASSWORD = "correct horse battery"


@pytest.fixture
def hr_user(session):
    return create_user(session, "hanna", PASSWORD, "hr")


def login(client, username="hanna", password=PASSWORD, **query):
    return client.post("/login", data={"username": username, "password": password},
                       query_string=query, headers={"Accept-Language": "en"})


def test_login_page_renders_in_the_chosen_language(client):
    finnish = client.get("/login", headers={"Accept-Language": "fi"})
    english = client.get("/login", headers={"Accept-Language": "en"})
    assert finnish.status_code == english.status_code == 200
    assert 'lang="fi"' in finnish.text and 'lang="en"' in english.text
    assert "Log in" in english.text


def test_good_password_logs_in_and_redirects_to_a_local_next(client, hr_user):
    response = login(client, next="/fi/accessibility")
    assert response.status_code == 302
    assert response.headers["Location"] == "/fi/accessibility"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_next_pointing_elsewhere_is_ignored(client, hr_user, target):
    response = login(client, next=target)
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]


def test_wrong_password_is_refused_with_a_message_and_401(client, hr_user):
    response = login(client, password="wrong password!!")
    assert response.status_code == 401
    assert "not correct" in response.text


def test_login_error_is_translated_to_finnish(client, hr_user):
    response = client.post("/login", data={"username": "hanna", "password": "wrong password!!"},
                           headers={"Accept-Language": "fi"})
    assert response.status_code == 401
    assert 'lang="fi"' in response.text and "not correct" not in response.text


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client, hr_user):
    unknown = login(client, username="nobody", password="whatever at all")
    wrong = login(client, password="wrong password!!")
    assert unknown.status_code == wrong.status_code == 401


def test_account_is_throttled_after_repeated_failures(client, hr_user, session):
    for _ in range(FREE_ATTEMPTS):
        assert login(client, password="wrong password!!").status_code == 401
    throttled = login(client)
    assert throttled.status_code == 429
    assert re.search(r"\d+ seconds", throttled.text)
    session.expire_all()
    assert session.scalar(select(User.locked_until)) is not None


def test_login_is_rate_limited_per_client(make_app, session):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    create_user(session, "hanna", PASSWORD, "hr")
    client = app.test_client()
    statuses = [login(client, password="wrong password!!").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_disabling_a_user_ends_their_session(client, hr_user, session):
    login(client)
    assert client.get("/").status_code in (200, 302)
    set_active(session, "hanna", False)
    response = client.post("/logout")
    assert response.status_code == 302
    assert login(client).status_code == 401


def test_csrf_is_enforced_on_login_when_enabled(make_app, session):
    app = make_app(WTF_CSRF_ENABLED=True)
    create_user(session, "hanna", PASSWORD, "hr")
    response = app.test_client().post("/login", data={"username": "hanna", "password": PASSWORD})
    assert response.status_code == 400


def test_session_cookie_is_httponly_and_samesite_lax(client, hr_user):
    response = login(client)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_security_headers_are_on_every_page(client):
    response = client.get("/fi/accessibility")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_public_pages_set_no_cookie(client):
    response = client.get("/fi/accessibility")
    assert "Set-Cookie" not in response.headers


def test_unknown_language_prefix_is_a_translated_404(client):
    response = client.get("/xx/accessibility")
    assert response.status_code == 404
    assert "<html" in response.text


def test_nul_in_the_username_is_an_ordinary_failed_login(client, hr_user):
    response = login(client, username="han\x00na")
    assert response.status_code == 401
