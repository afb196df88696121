"""Helpers for the admin page tests: users of each role, logging in, audit actions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey_app.models import AuditEvent
from survey_app.services.users import create_user

PASSWORD = "correct horse battery"
ENGLISH = {"Accept-Language": "en"}


def login(client, username: str, password: str = PASSWORD):
    """Log in through the form; the response of the POST."""
    response = client.post("/login", data={"username": username, "password": password},
                           headers=ENGLISH)
    assert response.status_code == 302, response.text
    return response


def audit_actions(session) -> list[str]:
    """Every audit action, oldest first."""
    session.expire_all()
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.fixture(name="admin_client")
def admin_client_fixture(app, session):
    """A test client logged in as the admin ``ada``."""
    create_user(session, "ada", PASSWORD, "admin")
    client = app.test_client()
    login(client, "ada")
    return client
