"""Security headers on representative pages, cookies in production, the translated 413 page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from survey_app.app import create_app
from tests.pulse_support import answer_form, issue_tokens
from tests.web.resident_helpers import VALID

TOO_LARGE = {"fi": "Lähettämäsi tieto on liian suuri.",
             "ar": "ما أرسلته كبير جدًا"}


@pytest.fixture
def seeded(session, make_unit, make_survey):
    make_survey(make_unit("KAI-SEC"))
    team = make_unit("KAI-PSEC", kind="staff")
    survey = make_survey(team, kind="pulse", code="psec",
                         closes_at=datetime.now(UTC) + timedelta(days=1))
    return issue_tokens(session, survey, team, 1)[0]


@pytest.fixture
def production_app(database_url, seeded, tmp_path):
    app = create_app("config.ProductionConfig", SECRET_KEY="test-only-" + "x" * 40,
                     DATABASE_URL=database_url)
    app.instance_path = str(tmp_path)
    yield app
    app.extensions["sqlalchemy_engine"].dispose()


def _pages(token: str) -> list[str]:
    return ["/", "/fi/", "/ar/", "/fi/accessibility", "/fi/s/KAI-SEC", "/ar/s/KAI-SEC?ch=qr",
            "/fi/k/KAI-SEC", "/fi/s/KAI-SEC/thanks", f"/fi/p/{token}", "/fi/p/anonymity",
            "/login", "/healthz", "/fi/s/NO-SUCH-UNIT", "/static/app.css", "/no/such/page"]


def _check_headers(response, hsts: bool) -> None:
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";"))
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "'self'" in directives["script-src"] and "*" not in directives["script-src"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    assert ("Strict-Transport-Security" in headers) is hsts
    if hsts:
        assert "max-age=31536000" in headers["Strict-Transport-Security"]


def _no_inline_code(html: str) -> None:
    assert not re.search(r"\sstyle\s*=", html), "inline style attribute"
    assert not re.search(r"<style[\s>]", html), "inline <style> element"
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or "nonce=" in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"


def test_headers_in_production_include_hsts(production_app, seeded):
    client = production_app.test_client()
    for path in _pages(seeded):
        response = client.get(path)
        assert response.status_code < 500, path
        _check_headers(response, hsts=True)
        if response.mimetype == "text/html":
            _no_inline_code(response.get_data(as_text=True))
        response.close()


def test_headers_without_hsts_outside_production(app, client, seeded):
    for path in _pages(seeded):
        response = client.get(path)
        _check_headers(response, hsts=False)
        response.close()
    response = client.post("/fi/s/KAI-SEC", data=VALID)
    assert response.status_code == 303
    _check_headers(response, hsts=False)


def test_cookies_are_secure_httponly_and_samesite_in_production(production_app):
    client = production_app.test_client()
    response = client.get("/fi/s/KAI-SEC")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies, "the form's CSRF token lives in the session cookie"
    for cookie in cookies:
        attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
        assert {"secure", "httponly", "samesite"} <= attributes, cookie
        assert re.search(r"SameSite=(Lax|Strict)", cookie), cookie
    config = production_app.config
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["REMEMBER_COOKIE_HTTPONLY"]
    assert config["REMEMBER_COOKIE_SAMESITE"] in ("Lax", "Strict")


def test_production_refuses_the_development_key(database_url):
    from survey_app.app import ConfigurationError

    with pytest.raises(ConfigurationError):
        create_app("config.ProductionConfig", DATABASE_URL=database_url)


@pytest.mark.parametrize("lang", ["fi", "ar"])
@pytest.mark.parametrize("kind", ["resident", "kiosk", "pulse", "login"])
def test_too_large_body_is_a_translated_413(app, client, seeded, session, lang, kind):
    from sqlalchemy import func, select

    from survey_app.models import Response

    path = {"resident": f"/{lang}/s/KAI-SEC", "kiosk": f"/{lang}/k/KAI-SEC",
            "pulse": f"/{lang}/p/{seeded}", "login": f"/login?lang={lang}"}[kind]
    form = answer_form() if kind == "pulse" else dict(VALID)
    form["comment"] = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(path, data=form, headers={"Accept-Language": lang})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    if kind != "login":
        assert TOO_LARGE[lang] in html
        assert f'lang="{lang}"' in html
        if lang == "ar":
            assert 'dir="rtl"' in html
    else:
        assert any(text in html for text in TOO_LARGE.values())
    assert session.scalar(select(func.count()).select_from(Response)) == 0
