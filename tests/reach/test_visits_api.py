"""POST /api/v1/visits: a visits token only; the batch whole; every bad visit in JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from survey_app.models import OutboxMessage
from survey_app.services.api import tokens as token_service
from tests.reach.conftest import visit

URL = "/api/v1/visits"


def _bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def _queued(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(OutboxMessage))


def test_a_visits_token_queues_a_good_batch(client, session, sms_unit):
    sms_unit()
    secret = token_service.create_token(session, "patient-system", "visits").secret
    response = client.post(URL, json={"visits": [visit(), visit(phone="0501112223")]},
                           headers=_bearer(secret))
    assert response.status_code == 202, response.get_json()
    assert response.get_json() == {"queued": 2, "skipped_not_opted_in": 0,
                                   "skipped_asked_recently": 0}
    assert _queued(session) == 2


def test_every_bad_visit_is_listed_in_json_and_nothing_is_queued(client, session, sms_unit):
    sms_unit()
    secret = token_service.create_token(session, "patient-system", "visits").secret
    future = (datetime.now(UTC) + timedelta(hours=3)).isoformat()
    past = datetime.now(UTC) - timedelta(minutes=3)
    body = {"visits": [visit(time=past), visit(phone="123"), visit(unit="NOPE"),
                       visit(time=future), "not an object", visit(time=past)]}
    response = client.post(URL, json=body, headers={**_bearer(secret), "Accept-Language": "en"})
    assert response.status_code == 400
    data = response.get_json()
    assert data["error"] == "invalid_input"
    assert [(p["visit"], p["field"]) for p in data["problems"]] == [
        (2, "phone"), (3, "unit_code"), (4, "visit_time"), (5, None), (6, None)]
    assert "visit 1" in data["problems"][-1]["message"]
    assert _queued(session) == 0


def test_problems_are_translated_by_accept_language(client, session, sms_unit):
    sms_unit()
    secret = token_service.create_token(session, "patient-system", "visits").secret
    response = client.post(URL, json={"visits": [visit(phone="123")]},
                           headers={**_bearer(secret), "Accept-Language": "fi"})
    assert response.status_code == 400
    message = response.get_json()["problems"][0]["message"]
    assert "123" in message and "not a valid" not in message


def test_a_reading_token_cannot_post_visits_and_a_visits_token_cannot_read(client, session,
                                                                           sms_unit):
    sms_unit()
    reader = token_service.create_token(session, "bi", "hr").secret
    writer = token_service.create_token(session, "patient-system", "visits").secret
    assert client.post(URL, json={"visits": [visit()]},
                       headers=_bearer(reader)).status_code == 403
    assert client.get("/api/v1/units", headers=_bearer(writer)).status_code == 403
    assert client.post(URL, json={"visits": [visit()]}).status_code == 401
    assert _queued(session) == 0


def test_a_body_that_is_not_the_json_described_gets_400_json(client, session, sms_unit):
    sms_unit()
    secret = token_service.create_token(session, "patient-system", "visits").secret
    for kwargs in ({"data": "visits"}, {"json": [visit()]}, {"json": {"visits": "x"}},
                   {"json": {"visits": [{"unit_code": 5, "visit_time": []}]}}):
        response = client.post(URL, headers=_bearer(secret), **kwargs)
        assert response.status_code == 400, kwargs
        assert response.get_json()["error"] == "invalid_input"
