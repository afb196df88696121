"""Resident feedback opened and closed from the admin pages; poster downloads."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from survey_app.models import Survey
from tests.web.admin_support import ENGLISH, admin_client_fixture, audit_actions  # noqa: F401

INSTRUMENT = "resident-feedback:1"


def open_form(unit="HOSP", **overrides):
    data = {"unit": unit, "instrument": INSTRUMENT, "opens": "2026-01-01", "closes": ""}
    data.update(overrides)
    return data


def test_an_admin_opens_and_closes_resident_feedback_for_a_subtree(admin_client, make_unit,
                                                                 session):
    hospital = make_unit("HOSP")
    make_unit("HOSP-ER", parent=hospital)
    response = admin_client.post("/admin/surveys", data=open_form(), headers=ENGLISH)
    assert response.status_code == 303 and response.headers["Location"] == "/admin/surveys"
    survey = session.scalars(select(Survey)).one()
    opens = survey.opens_at if survey.opens_at.tzinfo else survey.opens_at.replace(tzinfo=UTC)
    assert opens == datetime(2025, 12, 31, 22, 0, tzinfo=UTC)  # Helsinki midnight
    assert survey.closes_at is None and survey.unit_id == hospital.id
    listing = admin_client.get("/admin/surveys", headers=ENGLISH)
    assert "resident-HOSP-1" in listing.text and "until closed" in listing.text
    closed = admin_client.post(f"/admin/surveys/{survey.code}/close", headers=ENGLISH,
                               follow_redirects=True)
    assert "Resident feedback resident-HOSP-1 is closed." in closed.text
    session.expire_all()
    assert session.get(Survey, survey.id).closes_at is not None
    assert audit_actions(session)[-2:] == ["surveys.open", "surveys.close"]


def test_bad_survey_input_is_shown_and_nothing_is_stored(admin_client, make_unit, session):
    make_unit("HOSP")
    cases = [open_form(unit="NOPE"), open_form(opens="31.12.2026"),
             open_form(instrument="staff-pulse:1"), open_form(closes="2025-06-01")]
    for data in cases:
        response = admin_client.post("/admin/surveys", data=data, headers=ENGLISH)
        assert response.status_code == 400, data
        assert "error-summary" in response.text
    assert session.scalars(select(Survey)).all() == []
    texts = [admin_client.post("/admin/surveys", data=d, headers=ENGLISH).text for d in cases]
    assert "Choose one of the options." in texts[0]
    assert "Give a date as YYYY-MM-DD." in texts[1]
    assert "The closing moment must come after the opening moment." in texts[3]
    assert audit_actions(session)[-1] == "surveys.open.refused"


def test_overlapping_feedback_is_a_conflict_with_a_message(admin_client, make_unit, session):
    make_unit("HOSP")
    admin_client.post("/admin/surveys", data=open_form(), headers=ENGLISH)
    again = admin_client.post("/admin/surveys", data=open_form(), headers=ENGLISH)
    assert again.status_code == 409
    assert "already open in that time" in again.text


def test_closing_an_unknown_or_closed_survey_is_a_message_not_an_error(admin_client, make_unit,
                                                                      session):
    unknown = admin_client.post("/admin/surveys/NOPE/close", headers=ENGLISH,
                                follow_redirects=True)
    assert unknown.status_code == 200
    assert "No resident survey with the code NOPE." in unknown.text
    assert audit_actions(session)[-1] == "surveys.close.refused"


def test_a_poster_downloads_as_an_a4_svg_and_is_audited(admin_client, make_unit, session):
    make_unit("HOSP", kind="resident")
    response = admin_client.post("/admin/posters", data={"unit": "HOSP",
                                                         "languages": ["fi", "sv", "selko"]})
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert 'filename="poster-HOSP.svg"' in response.headers["Content-Disposition"]
    assert 'width="210mm"' in response.text and response.text.count('class="qr"') == 3
    assert audit_actions(session)[-1] == "posters.download"


def test_posters_refuse_staff_units_and_too_many_languages(admin_client, make_unit):
    make_unit("TEAM", kind="staff")
    make_unit("HOSP", kind="resident")
    staff = admin_client.post("/admin/posters", data={"unit": "TEAM", "languages": ["fi"]},
                              headers=ENGLISH)
    assert staff.status_code == 404 and "error-summary" in staff.text
    seven = admin_client.post("/admin/posters", headers=ENGLISH, data={
        "unit": "HOSP", "languages": ["fi", "sv", "en", "ru", "uk", "et", "ar"]})
    assert seven.status_code == 400 and "one to six" in seven.text
    nothing = admin_client.post("/admin/posters", data={"unit": "HOSP"}, headers=ENGLISH)
    assert nothing.status_code == 400 and "This field is required." in nothing.text
