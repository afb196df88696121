"""Helpers of the API, export, board and public-page tests."""

from __future__ import annotations

#: Staff answers of one team: (eNPS score, QWL index, factor scores).
#: Everyone answers the safety factor: a factor mean of fewer than k people would make the whole
#: staff cell primary (hidden), since the mean of one person is that person's score.
STAFF = [(9, 80.0, {"safety": 75.0}), (10, 70.0, {"safety": 70.0}), (6, 55.0, {"safety": 50.0}),
         (8, 65.0, {"safety": 60.0}), (10, 90.0, {"safety": 85.0}), (3, 40.0, {"safety": 45.0})]
PASSWORD = "correct horse battery"


def bearer(secret: str) -> dict:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {secret}"}


def login(client, username: str) -> None:
    """Log a test client in (CSRF is off in the test configuration)."""
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
