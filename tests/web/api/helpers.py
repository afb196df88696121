"""Helpers of the API, export, board and public-page tests."""

from __future__ import annotations

#: Staff answers of one team: (eNPS score, QWL index, factor scores).
STAFF = [(9, 80.0, {"safety": 75.0}), (10, 70.0, None), (6, 55.0, None), (8, 65.0, None),
         (10, 90.0, None), (3, 40.0, None)]
PASSWORD = "correct horse battery"


def bearer(secret: str) -> dict:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {secret}"}


def login(client, username: str) -> None:
    """Log a test client in (CSRF is off in the test configuration)."""
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
