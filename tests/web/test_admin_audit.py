"""The audit log page, and CSRF on the admin forms."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from survey_app.models import AuditEvent, Survey
from survey_app.services.users import create_user
from tests.web.admin_support import ENGLISH, PASSWORD, admin_client_fixture, audit_actions  # noqa: F401


def test_the_audit_log_shows_each_admin_action_newest_first(admin_client, make_unit, session):
    make_unit("KAI")
    admin_client.post("/admin/rounds", data={
        "code": "R1", "unit": "KAI", "instrument": "staff-pulse:1", "opens": "2026-03-02",
        "closes": "2036-03-15"})
    admin_client.post("/admin/rounds/R1/close", data={"confirm": "yes"})
    admin_client.post("/admin/users/new", data={"username": "hilda", "password": PASSWORD,
                                                "role": "hr"})
    page = admin_client.get("/admin/audit", headers=ENGLISH)
    assert page.status_code == 200
    actions = re.findall(r"<code>([a-z_.]+)</code>", page.text)
    assert actions == ["user.create", "round.finalize", "round.close", "round.create",
                       "user.create"]
    assert page.text.count("<td>ada</td>") == 4  # the admin who acted; the first was the CLI
    assert "hilda (hr)" in page.text


def test_audit_times_are_helsinki_time_in_the_reader_s_language(admin_client, session):
    session.add(AuditEvent(at=datetime(2026, 1, 15, 10, 30, tzinfo=UTC), actor="cli",
                           action="units.import", detail="created 1"))
    session.commit()
    english = admin_client.get("/admin/audit", headers=ENGLISH).text
    finnish = admin_client.get("/admin/audit", headers={"Accept-Language": "fi"}).text
    assert "Jan 15, 2026, 12:30:00\u202fPM" in english  # 10:30 UTC is 12:30 in Helsinki
    assert "15.1.2026 12.30.00" in finnish
    assert "Audit log" in english and "Audit log" not in finnish


def test_the_audit_log_is_paginated(admin_client, session):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    session.add_all(AuditEvent(at=start + timedelta(minutes=n), actor="cli", action=f"test.{n}",
                               detail="") for n in range(120))
    session.commit()
    first = admin_client.get("/admin/audit", headers=ENGLISH).text
    assert first.count("<code>") == 50 and 'rel="next"' in first and 'rel="prev"' not in first
    assert "<code>user.create</code>" in first  # the newest event (the admin's creation)
    third = admin_client.get("/admin/audit?page=3", headers=ENGLISH).text
    assert third.count("<code>") == 21 and 'rel="next"' not in third
    assert "<code>test.0</code>" in third
    for odd in ("abc", "-4", "0", "99999999999999999999999"):
        response = admin_client.get(f"/admin/audit?page={odd}", headers=ENGLISH)
        assert response.status_code == 200, odd


def test_admin_posts_without_a_csrf_token_are_refused(make_app, session, make_unit):
    app = make_app(WTF_CSRF_ENABLED=True)
    make_unit("KAI")
    create_user(session, "ada", PASSWORD, "admin")
    client = app.test_client()
    login_page = client.get("/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page.text)
    token = token or re.search(r'name="csrf_token" value="([^"]+)"', login_page.text)
    assert client.post("/login", data={"username": "ada", "password": PASSWORD,
                                       "csrf_token": token.group(1)}).status_code == 302
    data = {"code": "R1", "unit": "KAI", "instrument": "staff-pulse:1", "opens": "2026-03-02",
            "closes": "2036-03-15"}
    refused = client.post("/admin/rounds", data=data)
    assert refused.status_code == 400
    assert session.scalars(select(Survey)).all() == []
    form_page = client.get("/admin/rounds").text
    token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"',
                      form_page).group(1)
    accepted = client.post("/admin/rounds", data={**data, "csrf_token": token})
    assert accepted.status_code == 303
    assert audit_actions(session)[-1] == "round.create"
