"""The JSON API: tokens, scope, every parameter's bad values, pagination, numbers = service."""

from __future__ import annotations

import pytest

from survey_app.services import reports
from survey_app.services.access import Scope
from survey_app.services.api import tokens as token_service
from tests.web.api.helpers import bearer

SCORES = "/api/v1/scores?metric=nps&period=2026-Q1"


def test_missing_token_gets_401_json_with_a_bearer_challenge(client, county):
    response = client.get(SCORES)
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nope", "Basic abc", "Bearer ", "bearer x" * 100,
                                    "Token sapi_x"])
def test_wrong_token_gets_401(client, hr_token, header):
    response = client.get(SCORES, headers={"Authorization": header})
    assert response.status_code == 401
    assert set(response.get_json()) == {"error", "message"}


def test_revoked_token_gets_401_at_once(client, session, hr_token):
    assert client.get(SCORES, headers=bearer(hr_token)).status_code == 200
    token_service.revoke_token(session, "bi-hr")
    assert client.get(SCORES, headers=bearer(hr_token)).status_code == 401


def test_manager_token_outside_its_subtree_gets_403(client, manager_token):
    for unit in ("B", "ROOT", "B1"):
        response = client.get(f"{SCORES}&unit={unit}", headers=bearer(manager_token))
        assert response.status_code == 403, unit
        assert response.get_json()["error"] == "forbidden"
    assert client.get(f"{SCORES}&unit=A1", headers=bearer(manager_token)).status_code == 200


def test_manager_token_default_unit_is_its_own_subtree(client, manager_token):
    body = client.get(SCORES, headers=bearer(manager_token)).get_json()
    assert body["unit"] == "A"


def test_manager_token_lists_only_its_units(client, manager_token):
    body = client.get("/api/v1/units", headers=bearer(manager_token)).get_json()
    assert [u["code"] for u in body["items"]] == ["A", "A1", "A2"]
    assert body["total"] == 3 and body["next"] is None


def test_rounds_list_the_rounds_above_a_manager_scope(client, manager_token):
    body = client.get("/api/v1/rounds", headers=bearer(manager_token)).get_json()
    assert [(r["code"], r["state"], r["closes_on"]) for r in body["items"]] == [
        ("pulse-2026-03", "closed", "2026-03-20")]


def test_unknown_unit_gets_404(client, hr_token):
    response = client.get(f"{SCORES}&unit=NOPE", headers=bearer(hr_token))
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_scores_equal_the_report_service_with_suppression(client, session, hr_token):
    body = client.get(f"{SCORES}&unit=ROOT&children=true&lang=en",
                      headers=bearer(hr_token)).get_json()
    table = reports.unit_table(session, Scope(everything=True), "ROOT", "nps", "2026-Q1", "en")
    expected = [(table.parent.code, table.total)] + [(r.code, c) for r, c in table.rows]
    assert [r["unit"] for r in body["results"]] == [code for code, _ in expected]
    for row, (_, cell) in zip(body["results"], expected, strict=True):
        assert row["suppressed"] is (not cell.shown)
        if cell.shown:
            assert row["n"] == cell.n and row["value"] == pytest.approx(cell.value, abs=0.005)
            assert row["low"] == pytest.approx(cell.low, abs=0.005)
            assert row["change_previous"]["delta"] == pytest.approx(
                cell.change_previous.delta, abs=0.005)
            d = cell.distribution
            assert row["distribution"] == {"detractors": d.detractors, "passives": d.passives,
                                           "promoters": d.promoters}
            assert sum(row["distribution"].values()) <= row["n"]
        else:
            assert row["n"] is row["value"] is row["low"] is row["high"] is None
            assert row["distribution"] is None
            assert row["change_previous"] is None
            assert row["suppression_reason"] == cell.suppressed
            assert row["suppression_text"]
    hidden = {r["unit"]: r["suppression_reason"] for r in body["results"] if r["suppressed"]}
    assert hidden["B"] == "hidden" and len(hidden) == 2


def test_scores_carry_method_confidence_and_changes(client, hr_token):
    root = client.get(f"{SCORES}&unit=ROOT", headers=bearer(hr_token)).get_json()["results"][0]
    assert (root["method"], root["confidence"], root["threshold"]) == ("score-cc", 0.95, 5)
    assert root["n"] == 25 and root["value"] == 36.0
    assert root["change_previous"]["against"] == "2025-Q4"
    # Changes are shown at the FDR-adjusted level (at least 95 %) and flagged by their interval.
    change = root["change_previous"]
    assert change["confidence"] >= 0.95
    assert change["significant"] == (change["low"] > 0 or change["high"] < 0)
    assert root["change_year"]["against"] == "2025-Q1"
    qwl = client.get("/api/v1/scores?metric=qwl&period=2026-03&unit=ROOT",
                     headers=bearer(hr_token)).get_json()["results"][0]
    assert (qwl["method"], qwl["n"], qwl["value"]) == ("t", 10, 67.0)


def test_granularity_splits_the_period_into_parts(client, hr_token):
    body = client.get("/api/v1/scores?metric=nps&period=2026-T1&granularity=month&unit=A2",
                      headers=bearer(hr_token)).get_json()
    assert [r["period"] for r in body["results"]] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert body["results"][1]["n"] == 9 and body["results"][2]["n"] == 0


@pytest.mark.parametrize("query, fragment", [
    ("metric=xyz&period=2026", "metric"),
    ("period=2026", "metric"),
    ("metric=nps", "period"),
    ("metric=nps&period=2026-13", "period"),
    ("metric=nps&period=2026-Q5", "period"),
    ("metric=nps&period=2026-T4", "period"),
    ("metric=nps&period=1999", "period"),
    ("metric=nps&period=2000&granularity=month", "period"),
    ("metric=nps&period=2000-01", "period"),
    ("metric=qwl&period=2001", "period"),
    ("metric=nps&period=26-Q1", "period"),
    ("metric=nps&period=%00", "period"),
    ("metric=nps&period=2026&granularity=week", "granularity"),
    ("metric=nps&period=2026-Q1&granularity=tertial", "granularity"),
    ("metric=nps&period=2026-03&granularity=year", "granularity"),
    ("metric=nps&period=2026&children=maybe", "children"),
    ("metric=nps&period=2026&children=", "children"),
    ("metric=nps&period=2026&lang=de", "lang"),
    ("metric=nps&period=2026&unit=", "unit"),
    ("metric=nps&period=2026&unit=" + "X" * 41, "unit"),
    ("metric=nps&metric=enps&period=2026", "metric"),
])
def test_bad_score_parameters_get_400_with_a_message(client, hr_token, query, fragment):
    response = client.get(f"/api/v1/scores?{query}",
                          headers={**bearer(hr_token), "Accept-Language": "en"})
    assert response.status_code == 400, response.get_json()
    body = response.get_json()
    assert body["error"] == "invalid_input"
    assert fragment in body["message"].lower()


@pytest.mark.parametrize("path", ["/api/v1/units", "/api/v1/rounds"])
@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=99999999999999999999", "page=x",
                                   "page=1.5", "per_page=0", "per_page=201", "per_page=abc",
                                   "page=%EF%BC%91", "page=1&page=2"])
def test_bad_page_parameters_get_400(client, hr_token, path, query):
    response = client.get(f"{path}?{query}", headers=bearer(hr_token))
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_input"


def test_pagination_walks_every_unit_once_by_next_links(client, hr_token):
    seen, url = [], "/api/v1/units?per_page=3"
    while url:
        body = client.get(url, headers=bearer(hr_token)).get_json()
        seen += [u["code"] for u in body["items"]]
        url = body["next"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 7


def test_a_page_past_the_end_is_empty(client, hr_token):
    body = client.get("/api/v1/units?page=50", headers=bearer(hr_token)).get_json()
    assert body["items"] == [] and body["next"] is None and body["total"] == 7


def test_error_messages_follow_accept_language(client, hr_token):
    finnish = client.get("/api/v1/scores?metric=x&period=2026",
                         headers={**bearer(hr_token), "Accept-Language": "fi"}).get_json()
    swedish = client.get("/api/v1/scores?metric=x&period=2026",
                         headers={**bearer(hr_token), "Accept-Language": "sv"}).get_json()
    assert finnish["message"].startswith("Tuntematon mittari")
    assert swedish["message"].startswith("Okänt mått")


def test_unknown_path_and_wrong_method_get_json_errors(client, hr_token):
    missing = client.get("/api/v1/nothing", headers=bearer(hr_token))
    assert missing.status_code == 404 and missing.get_json()["error"]
    post = client.post("/api/v1/units", headers=bearer(hr_token))
    assert post.status_code == 405 and post.get_json()["error"]


def test_token_use_records_the_day_not_the_time(client, session, hr_token):
    assert token_service.get_token(session, "bi-hr").last_used_on is None
    client.get("/api/v1/units", headers=bearer(hr_token))
    session.expire_all()
    used = token_service.get_token(session, "bi-hr").last_used_on
    assert used is not None and not hasattr(used, "hour")


def test_responses_are_not_cached_and_set_no_cookie(client, hr_token):
    response = client.get("/api/v1/units", headers=bearer(hr_token))
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_rate_limit_answers_429_json_per_token(make_app, session, county):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_API="3 per minute")
    first = token_service.create_token(session, "one", "hr").secret
    second = token_service.create_token(session, "two", "hr").secret
    client = app.test_client()
    statuses = [client.get("/api/v1/units", headers=bearer(first)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/units", headers=bearer(first))
    assert limited.get_json()["error"] == "too_many_requests"
    assert client.get("/api/v1/units", headers=bearer(second)).status_code == 200
