"""Who may open what: every report, admin and API route × every kind of visitor.

Visitors: anonymous; a manager of another unit (B); the manager of A; hr; admin; an API token
of A's subtree (in scope for A1) and one of B's (out of scope for A1); and, crossing the wires,
a logged-in hr user calling the API without a token and a valid token on the report pages.
Admin POST routes are sent empty: for an admin they must get past the guard (their handler
answers 2xx/3xx/400/404), for everyone else they must be refused before the handler runs.
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
REACHED = "reached"      # a POST got past the guard (its handler answered: 2xx/3xx/400/404)
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
ADMIN = {**BOARD, "hr": DENY, "hr_session_on_api": DENY}
ADMIN_POST = {**ADMIN, "admin": REACHED}

#: endpoint → [(path, expected outcome per visitor)].
MATRIX = {
    "reports.overview": [("/reports/", REPORT), ("/reports/?unit=A1&period=2026-Q1", REPORT_A1)],
    "reports.unit_table": [("/reports/units", REPORT),
                           ("/reports/units?unit=A&period=2026-Q1", REPORT_A1)],
    "reports.unit_page": [("/reports/unit/A1?period=2026-Q1", REPORT_A1),
                          ("/reports/unit/ROOT?period=2026-Q1", {**REPORT_A1, "manager": DENY})],
    "reports.funnel": [("/reports/funnel", REPORT), ("/reports/funnel?unit=A1", REPORT_A1)],
    "reports.comment_workbench": [("/reports/comments", REPORT),
                                  ("/reports/comments?unit=A1&q=x", REPORT_A1)],
    "reports.comment_export": [("/reports/comments.csv", REPORT),
                               ("/reports/comments.csv?unit=A1", REPORT_A1)],
    "reports.chart_download": [("/reports/chart/nps.svg", REPORT),
                               ("/reports/chart/nps.svg?unit=A1&period=2026-Q1", REPORT_A1)],
    "board.board": [("/reports/board", BOARD)],
    "board.board_pdf": [("/reports/board/pdf?period=2026-Q1", BOARD)],
    "exports.download": [("/reports/export/units.csv?unit=A&period=2026-Q1", REPORT_A1),
                         ("/reports/export/unit.xlsx?unit=A1&period=2026-Q1", REPORT_A1),
                         ("/reports/export/overview.csv", REPORT)],
    "api.openapi_document": [("/api/v1/openapi.json", PUBLIC)],
    "api.units": [("/api/v1/units", API)],
    "api.rounds": [("/api/v1/rounds", API)],
    "api.scores": [("/api/v1/scores?unit=A1&period=2026-Q1&metric=nps", API_A1),
                   ("/api/v1/scores?unit=ROOT&period=2026&metric=nps",
                    {**API_A1, "token_in": DENY, "token_on_reports": DENY})],
    "admin.home": [("/admin/", ADMIN)],
    "admin.audit_log": [("/admin/audit", ADMIN)],
    "admin.releases": [("/admin/releases", ADMIN)],
    "admin.units": [("/admin/units", ADMIN)],
    "admin.upload_units": [("/admin/units/upload", ADMIN),
                           ("POST /admin/units/upload", ADMIN_POST)],
    "admin.surveys": [("/admin/surveys", ADMIN)],
    "admin.open_survey": [("POST /admin/surveys", ADMIN_POST)],
    "admin.close_survey": [("POST /admin/surveys/no-such-survey/close", ADMIN_POST)],
    "admin.rounds": [("/admin/rounds", ADMIN)],
    "admin.create_round": [("POST /admin/rounds", ADMIN_POST)],
    "admin.open_round": [("POST /admin/rounds/no-such-round/open", ADMIN_POST)],
    "admin.close_round": [("POST /admin/rounds/no-such-round/close", ADMIN_POST)],
    "admin.invitations": [("/admin/invitations", ADMIN), ("POST /admin/invitations", ADMIN_POST)],
    "admin.poster": [("/admin/posters", ADMIN), ("POST /admin/posters", ADMIN_POST)],
    "admin.tokens": [("/admin/tokens", ADMIN)],
    "admin.create_token": [("POST /admin/tokens", ADMIN_POST)],
    "admin.revoke_token": [("POST /admin/tokens/999999/revoke", ADMIN_POST)],
    "admin.users": [("/admin/users", ADMIN)],
    "admin.user": [("/admin/users/ville", ADMIN)],
    "admin.create_user": [("/admin/users/new", ADMIN), ("POST /admin/users/new", ADMIN_POST)],
    "admin.set_active": [("POST /admin/users/ville/active", ADMIN_POST)],
    "admin.set_password": [("POST /admin/users/ville/password", ADMIN_POST)],
    "api.post_visits": [("POST /api/v1/visits", {**API, "token_in": DENY, "token_out": DENY,
                                                 "token_on_reports": DENY})],
    "admin.reach": [("/admin/reach", ADMIN)],
    "admin.unit_sms": [("POST /admin/reach/units/A1/sms", ADMIN_POST)],
    "admin.mail_invitations": [("/admin/reach/mail", ADMIN)],
    "admin.mail_invite": [("POST /admin/reach/mail/invite", ADMIN_POST)],
    "admin.mail_remind": [("POST /admin/reach/mail/remind", ADMIN_POST)],
    "admin.bulk_invitations": [("/admin/invitations/bulk", ADMIN),
                               ("POST /admin/invitations/bulk", ADMIN_POST)],
    "admin.round_status": [("/admin/rounds/no-such-round", {**ADMIN, "admin": DENY})],
    "admin.confirm_close_round": [("/admin/rounds/no-such-round/close", {**ADMIN, "admin": DENY})],
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
    create_user(session, "ville", PASSWORD, "manager", ["A"])  # the admin POSTs' target
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


def _outcome(response, method: str) -> str:
    status = response.status_code
    if status in (302, 303) and "/login" in response.headers.get("Location", ""):
        return LOGIN
    if status == 401:
        return UNAUTHORIZED
    if method == "POST" and status != 403 and status < 500:
        return REACHED
    if status == 200:
        return ALLOW
    if status in (403, 404):
        return DENY
    return f"status {status}"


def test_authorization_matrix(clients):
    wrong = []
    for cases in MATRIX.values():
        for target, expected in cases:
            method, _, path = target.rpartition(" ")
            method = method or "GET"
            for visitor in VISITORS:
                client, headers = clients[visitor]
                response = client.open(path, method=method, headers=headers)
                outcome = _outcome(response, method)
                if outcome != expected[visitor]:
                    wrong.append(f"{visitor:18} {target:55} expected {expected[visitor]}, "
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
