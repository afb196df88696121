"""The worker's cache of submission targets (unit → open survey) is only a hint: every write
re-checks it, so a closed survey or a deactivated unit never takes an answer, and a newly
opened deeper survey takes over at the latest when the cached entry expires."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from survey_app.models import Response
from survey_app.services.survey import Target, TargetCache, find_target
from tests.web.resident_helpers import VALID, count_rows, nothing_stored


@pytest.fixture
def cached(make_app):
    """An app whose target cache keeps entries for an hour (so only re-checks can refresh)."""
    return make_app(SUBMIT_TARGET_CACHE_SECONDS=3600)


def _survey_ids(session) -> list[int]:
    session.expire_all()
    return [row for row in session.scalars(select(Response.survey_id))]


def test_an_answer_fills_the_cache_and_the_next_one_uses_it(cached, make_unit, make_survey,
                                                            session):
    unit = make_unit("T-HIT")
    survey = make_survey(unit)
    client = cached.test_client()
    assert client.post("/fi/s/T-HIT", data=VALID).status_code == 303
    kept = cached.extensions["survey_targets"].get("T-HIT")
    assert (kept.unit_id, kept.survey_id) == (unit.id, survey.id)
    assert client.post("/fi/s/T-HIT", data=VALID).status_code == 303
    assert _survey_ids(session) == [survey.id, survey.id]


def test_a_survey_closed_after_it_was_cached_takes_no_answer(cached, make_unit, make_survey,
                                                             session):
    unit = make_unit("T-CLOSE")
    survey = make_survey(unit)
    client = cached.test_client()
    assert client.post("/fi/s/T-CLOSE", data=VALID).status_code == 303
    survey.closes_at = datetime.now(UTC) - timedelta(seconds=1)
    session.commit()
    response = client.post("/fi/s/T-CLOSE", data=VALID)
    assert response.status_code == 410
    assert "ei kerätä" in response.get_data(as_text=True)
    assert count_rows(session) == 1
    assert cached.extensions["survey_targets"].get("T-CLOSE") is None


def test_a_unit_deactivated_after_it_was_cached_is_a_404(cached, make_unit, make_survey,
                                                         session):
    unit = make_unit("T-OFF")
    make_survey(unit)
    client = cached.test_client()
    assert client.post("/fi/s/T-OFF", data=VALID).status_code == 303
    unit.active = False
    session.commit()
    assert client.post("/fi/s/T-OFF", data=VALID).status_code == 404
    assert count_rows(session) == 1


def test_when_the_cached_survey_closes_the_answer_goes_to_the_one_now_open(
        cached, make_unit, make_survey, session):
    unit = make_unit("T-NEXT")
    first = make_survey(unit, code="first")
    client = cached.test_client()
    assert client.post("/fi/s/T-NEXT", data=VALID).status_code == 303
    first.closes_at = datetime.now(UTC) - timedelta(seconds=1)
    session.commit()
    second = make_survey(unit, code="second")
    assert client.post("/fi/s/T-NEXT", data=VALID).status_code == 303
    assert _survey_ids(session) == [first.id, second.id]


def test_a_deeper_survey_takes_over_when_the_entry_expires(make_app, make_unit, make_survey,
                                                           session):
    app = make_app(SUBMIT_TARGET_CACHE_SECONDS=30)
    root = make_unit("T-ROOT")
    ward = make_unit("T-WARD", parent=root)
    whole = make_survey(root, code="whole")
    client = app.test_client()
    assert client.post("/fi/s/T-WARD", data=VALID).status_code == 303
    own = make_survey(ward, code="own")
    assert client.post("/fi/s/T-WARD", data=VALID).status_code == 303   # still cached
    # The cache's own clock moves past the entry's lifetime, relative to the real clock
    # (a fixed value would depend on how long the machine has been up).
    app.extensions["survey_targets"].clock = lambda: time.monotonic() + 31
    assert client.post("/fi/s/T-WARD", data=VALID).status_code == 303
    assert _survey_ids(session) == [whole.id, whole.id, own.id]


def test_with_the_cache_off_every_answer_looks_the_unit_up(make_app, make_unit, make_survey,
                                                           session):
    app = make_app(SUBMIT_TARGET_CACHE_SECONDS=0)
    root = make_unit("T-R0")
    ward = make_unit("T-W0", parent=root)
    whole = make_survey(root, code="whole0")
    client = app.test_client()
    assert client.post("/fi/s/T-W0", data=VALID).status_code == 303
    own = make_survey(ward, code="own0")
    assert client.post("/fi/s/T-W0", data=VALID).status_code == 303
    assert _survey_ids(session) == [whole.id, own.id]
    assert app.extensions["survey_targets"].get("T-W0") is None


def test_invalid_answers_with_a_cached_target_show_the_form_and_store_nothing(
        cached, make_unit, make_survey, session):
    unit = make_unit("T-BAD", name_fi="Sotkamon terveysasema")
    make_survey(unit)
    client = cached.test_client()
    cached.extensions["survey_targets"].put(find_target(session, "T-BAD"))
    response = client.post("/fi/s/T-BAD", data={**VALID, "recommend": "11"})
    assert response.status_code == 400
    assert "Sotkamon terveysasema" in response.get_data(as_text=True)
    assert nothing_stored(session)


def test_the_cache_is_bounded_and_expires():
    cache = TargetCache(seconds=60, max_entries=4)
    for index in range(5):
        cache.put(Target(index, f"U{index}", 1, "resident-feedback", 1))
    kept = [code for code in (f"U{i}" for i in range(5)) if cache.get(code)]
    assert kept == ["U2", "U3", "U4"]
    cache.forget("U4")
    assert cache.get("U4") is None
    off = TargetCache(seconds=0)
    off.put(Target(1, "U", 1, "resident-feedback", 1))
    assert off.get("U") is None


@pytest.mark.parametrize("start", [0.0, 10_000.0, 1e9])  # a fresh boot, 2.8 h up, 30 years up
def test_a_cache_entry_expires_by_the_injected_clock_whatever_the_uptime(start):
    now = [start]
    cache = TargetCache(seconds=30, clock=lambda: now[0])
    cache.put(Target(1, "U", 1, "resident-feedback", 1))
    now[0] = start + 29.9
    assert cache.get("U") is not None
    now[0] = start + 30.1
    assert cache.get("U") is None


def test_a_survey_with_another_instrument_version_validates_the_answer_again(
        cached, make_unit, make_survey, session, monkeypatch):
    # A county swaps in new wordings as instrument version 2, here one whose statements are
    # answered on a 1–3 scale: an answer of 5, fine for version 1, is refused by version 2.
    from dataclasses import replace as changed

    from survey_app.instruments import load_instrument as real_load
    from survey_app.survey import views

    def load(key, version):
        first = real_load(key, 1)
        return first if version == 1 else changed(first, version=2, scale_max=3)

    monkeypatch.setattr(views, "load_instrument", load)
    unit = make_unit("T-V2")
    first = make_survey(unit, code="v1")
    client = cached.test_client()
    assert client.post("/fi/s/T-V2", data=VALID).status_code == 303
    first.closes_at = datetime.now(UTC) - timedelta(seconds=1)
    session.commit()
    make_survey(unit, code="v2", instrument=("resident-feedback", 2))
    response = client.post("/fi/s/T-V2", data={**VALID, "useful": "5"})
    assert response.status_code == 400
    assert _survey_ids(session) == [first.id]
    assert client.post("/fi/s/T-V2", data={**VALID, "useful": "3", "listened_to": "2",
                                           "timely_access": "1", "clear_information": "3"}
                       ).status_code == 303
    assert len(_survey_ids(session)) == 2
