"""Who may open what: every report, admin and API route × every kind of visitor.

Visitors: anonymous; a manager of another unit (B); the manager of A; hr; admin; an API token
of A's subtree (in scope for A1) and one of B's (out of scope for A1); and, crossing the wires,
a logged-in hr user calling the API without a token and a valid token on the report pages.
The route list comes from ``app.url_map``: a new /reports, /admin or /api route that is not in
the matrix fails the first test, so no route is forgotten.
"""

from __future__ import annotations

import pytest

from survey_app.services.api import tokens as token_service
from survey_app.services.users import create_user
from tests.web.api.helpers import PASSWORD, bearer

GUARDED_PREFIXES = ("/reports", "/admin", "/api")
VISITORS = ("anonymous", "manager_other", "manager", "hr", "admin", "token_in", "token_out",
            "hr_session_on_api", "token_on_reports")

ALLOW = "allow"
LOGIN = "login"          # redirected to the login page
UNAUTHORIZED = "401"     # API without a valid token
DENY = "deny"            # 403, or 404 for a unit outside the scope (never its data)

REPORT = {"anonymous": LOGIN, "manager_other": ALLOW, "manager": ALLOW, "hr": ALLOW,
          "admin": ALLOW, "token_in": LOGIN, "token_out": LOGIN, "hr_session_on_api": ALLOW,
          "token_on_reports": LOGIN}
REPORT_A1 = {**REPORT, "manager_other": DENY}
BOARD = {**REPORT, "manager_other": DENY, "manager": DENY}
API = {"anonymous": UNAUTHORIZED, "manager_other": UNAUTHORIZED, "manager": UNAUTHORIZED,
       "hr": UNAUTHORIZED, "admin": UNAUTHORIZED, "token_in": ALLOW, "token_out": ALLOW,
       "hr_session_on_api": UNAUTHORIZED, "token_on_reports": ALLOW}
API_A1 = {**API, "token_out": DENY}
PUBLIC = dict.fromkeys(VISITORS, ALLOW)

#: endpoint → [(path, expected outcome per visitor)].
MATRIX = {
    "reports.overview": [("/reports/", REPORT), ("/reports/?unit=A1&period=2026-Q1", REPORT_A1)],
    "reports.unit_table": [("/reports/units", REPORT),
                           ("/reports/units?unit=A&period=2026-Q1", REPORT_A1)],
    "reports.unit_page": [("/reports/unit/A1?period=2026-Q1", REPORT_A1),
                          ("/reports/unit/ROOT?period=2026-Q1", {**REPORT_A1, "manager": DENY})],
    "reports.funnel": [("/reports/funnel", REPORT), ("/reports/funnel?unit=A1", REPORT_A1)],
    "board.board": [("/reports/board", BOARD)],
    "exports.download": [("/reports/export/units.csv?unit=A&period=2026-Q1", REPORT_A1),
                         ("/reports/export/unit.xlsx?unit=A1&period=2026-Q1", REPORT_A1),
                         ("/reports/export/overview.csv", REPORT)],
    "api.openapi_document": [("/api/v1/openapi.json", PUBLIC)],
    "api.units": [("/api/v1/units", API)],
    "api.rounds": [("/api/v1/rounds", API)],
    "api.scores": [("/api/v1/scores?unit=A1&period=2026-Q1&metric=nps", API_A1),
                   ("/api/v1/scores?unit=ROOT&period=2026&metric=nps",
                    {**API_A1, "token_in": DENY, "token_on_reports": DENY})],
}


def test_every_guarded_route_is_in_the_matrix(app):
    guarded = {rule.endpoint for rule in app.url_map.iter_rules()
               if rule.rule.startswith(GUARDED_PREFIXES)}
    assert guarded, "no guarded routes found"
    missing = guarded - set(MATRIX)
    assert not missing, f"routes missing from the authorization matrix: {sorted(missing)}"
    assert not set(MATRIX) - guarded, "the matrix names routes that no longer exist"


@pytest.fixture
def clients(app, session, county, users):
    """One test client per visitor, logged in or carrying a token as the visitor should."""
    create_user(session, "bertta", PASSWORD, "manager", ["B"])
    token_in = token_service.create_token(session, "bi-a", "manager", ["A"]).secret
    token_out = token_service.create_token(session, "bi-b", "manager", ["B"]).secret
    logins = {"manager_other": "bertta", "manager": "maija", "hr": "hanna", "admin": "admin",
              "hr_session_on_api": "hanna"}
    tokens = {"token_in": token_in, "token_out": token_out, "token_on_reports": token_in}
    built = {}
    for visitor in VISITORS:
        client = app.test_client()
        if visitor in logins:
            response = client.post("/login", data={"username": logins[visitor],
                                                   "password": PASSWORD})
            assert response.status_code == 302, visitor
        built[visitor] = (client, bearer(tokens[visitor]) if visitor in tokens else {})
    return built


def _outcome(response) -> str:
    status = response.status_code
    if status == 200:
        return ALLOW
    if status in (302, 303) and "/login" in response.headers.get("Location", ""):
        return LOGIN
    if status == 401:
        return UNAUTHORIZED
    if status in (403, 404):
        return DENY
    return f"status {status}"


def test_authorization_matrix(clients):
    wrong = []
    for cases in MATRIX.values():
        for path, expected in cases:
            for visitor in VISITORS:
                client, headers = clients[visitor]
                response = client.get(path, headers=headers)
                outcome = _outcome(response)
                if outcome != expected[visitor]:
                    wrong.append(f"{visitor:18} {path:55} expected {expected[visitor]}, "
                                 f"got {outcome}")
                if outcome in (DENY, UNAUTHORIZED, LOGIN):
                    # A refusal shows no figures: no CSV/XLSX body, no JSON results.
                    assert response.mimetype not in ("text/csv", "application/vnd."
                                                     "openxmlformats-officedocument."
                                                     "spreadsheetml.sheet"), path
                    if response.is_json:
                        assert "results" not in response.get_json(), path
                response.close()
    assert not wrong, "\n" + "\n".join(wrong)
