"""API tokens from the admin pages: the secret is shown once and only its hash is kept."""

from __future__ import annotations

import re

from sqlalchemy import select

from survey_app.models import ApiToken, AuditEvent
from survey_app.services.api.tokens import hash_token
from tests.web.admin_support import ENGLISH, admin_client_fixture, audit_actions  # noqa: F401


def test_a_new_token_is_shown_once_and_stored_as_a_hash(admin_client, make_unit, session):
    make_unit("KAI")
    response = admin_client.post("/admin/tokens", data={"name": "Power BI", "role": "hr"},
                                 headers=ENGLISH)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="new-secret" value="([^"]+)"', response.text).group(1)
    token = session.scalars(select(ApiToken)).one()
    assert token.token_hash == hash_token(secret) and token.created_by == "ada"
    assert secret not in " ".join(session.scalars(select(AuditEvent.detail)))
    listing = admin_client.get("/admin/tokens", headers=ENGLISH)
    assert "Power BI" in listing.text and secret not in listing.text
    api = admin_client.get("/api/v1/units", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200
    assert audit_actions(session)[-1] == "token.create"


def test_revoking_a_token_stops_it_and_twice_is_a_message(admin_client, make_unit, session):
    created = admin_client.post("/admin/tokens", data={"name": "Excel", "role": "hr"})
    secret = re.search(r'id="new-secret" value="([^"]+)"', created.text).group(1)
    token_id = session.scalars(select(ApiToken.id)).one()
    revoked = admin_client.post(f"/admin/tokens/{token_id}/revoke", headers=ENGLISH,
                                follow_redirects=True)
    assert "The token Excel is revoked" in revoked.text
    api = admin_client.get("/api/v1/units", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401
    again = admin_client.post(f"/admin/tokens/{token_id}/revoke", headers=ENGLISH,
                              follow_redirects=True)
    assert "already revoked" in again.text
    assert audit_actions(session)[-2:] == ["token.revoke", "token.revoke.refused"]


def test_bad_token_requests_get_messages_and_store_nothing(admin_client, make_unit, session):
    make_unit("KAI")
    admin_client.post("/admin/tokens", data={"name": "Taken", "role": "hr"})
    cases = {"Choose one of the options.": {"name": "root", "role": "admin"},
             "already exists": {"name": "taken", "role": "hr"},
             "needs at least one unit": {"name": "M", "role": "manager"},
             "give units only to a manager token": {"name": "H", "role": "hr", "units": ["KAI"]},
             "This field is required.": {"name": "", "role": "hr"}}
    for message, data in cases.items():
        response = admin_client.post("/admin/tokens", data=data, headers=ENGLISH)
        assert response.status_code == 400, message
        assert message in response.text, message
        assert 'id="new-secret"' not in response.text
    assert list(session.scalars(select(ApiToken.name))) == ["Taken"]
