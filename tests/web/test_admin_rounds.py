"""Pulse rounds from the admin pages, and invitation batches whose links exist only once."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from survey_app.models import AuditEvent, Invitation, Survey
from tests.pulse_support import stored_hash
from tests.web.admin_support import ENGLISH, admin_client_fixture, audit_actions  # noqa: F401


def round_form(**overrides):
    data = {"code": "2026-03-pulse", "title": "", "unit": "KAI", "instrument": "staff-pulse:1",
            "opens": "2026-03-02", "closes": "2036-03-15"}
    data.update(overrides)
    return data


def aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_an_admin_creates_closes_and_reopens_a_round(admin_client, make_unit, session):
    make_unit("KAI")
    created = admin_client.post("/admin/rounds", data=round_form(), headers=ENGLISH)
    assert created.status_code == 303 and created.headers["Location"] == "/admin/rounds"
    survey = session.scalars(select(Survey)).one()
    assert aware(survey.opens_at) == datetime(2026, 3, 1, 22, 0, tzinfo=UTC)
    assert aware(survey.closes_at) == datetime(2036, 3, 15, 22, 0, tzinfo=UTC)  # through the 15th
    listing = admin_client.get("/admin/rounds", headers=ENGLISH)
    assert "2026-03-pulse" in listing.text and ">open<" in listing.text
    closed = admin_client.post("/admin/rounds/2026-03-pulse/close", data={"confirm": "yes"},
                               headers=ENGLISH, follow_redirects=True)
    assert "Pulse round 2026-03-pulse is closed." in closed.text
    reopened_without_day = admin_client.post("/admin/rounds/2026-03-pulse/open", headers=ENGLISH,
                                             follow_redirects=True)
    assert "give a new closing time" in reopened_without_day.text
    reopened = admin_client.post("/admin/rounds/2026-03-pulse/open", data={"until": "2036-01-01"},
                                 headers=ENGLISH, follow_redirects=True)
    assert "Pulse round 2026-03-pulse is open." in reopened.text
    assert audit_actions(session)[1:] == ["round.create", "round.close", "round.finalize",
                                          "round.open.refused", "round.open"]


def test_bad_round_input_gets_messages_and_stores_nothing(admin_client, make_unit, session):
    make_unit("KAI")
    cases = {"Bad round code": round_form(code="no spaces please"),
             "must close after it opens": round_form(closes="2026-03-01"),
             "Give a date as YYYY-MM-DD.": round_form(opens="maaliskuu"),
             "Choose one of the options.": round_form(unit="NOPE"),
             "This field is required.": round_form(closes=""),
             "Remove the control characters": round_form(title="line\nbreak\x00")}
    for message, data in cases.items():
        response = admin_client.post("/admin/rounds", data=data, headers=ENGLISH)
        assert response.status_code == 400, message
        assert message in response.text
    assert session.scalars(select(Survey)).all() == []


def test_a_duplicate_round_code_is_a_conflict(admin_client, make_unit, session):
    make_unit("KAI")
    admin_client.post("/admin/rounds", data=round_form(), headers=ENGLISH)
    again = admin_client.post("/admin/rounds", data=round_form(), headers=ENGLISH)
    assert again.status_code == 409 and "already in use" in again.text
    assert audit_actions(session)[-1] == "round.create.refused"


def batch_form(**overrides):
    data = {"round": "R1", "unit": "TEAM", "count": "25", "lang": "sv", "expires": ""}
    data.update(overrides)
    return data


def test_an_invitation_batch_is_the_download_itself_and_only_hashes_are_kept(
        admin_client, make_unit, make_survey, session):
    county = make_unit("KAI")
    make_unit("TEAM", parent=county)
    make_survey(county, kind="pulse", code="R1",
                closes_at=datetime.now(UTC) + timedelta(days=10))
    response = admin_client.post("/admin/invitations", data=batch_form(), headers=ENGLISH)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert 'filename="invitations-R1-TEAM.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["unit_code", "link"] and len(rows) == 26
    tokens = [link.rsplit("/", 1)[1] for _code, link in rows[1:]]
    assert all(link.startswith("http://127.0.0.1:5000/sv/p/") for _code, link in rows[1:])
    assert len(set(tokens)) == 25
    stored = set(session.scalars(select(Invitation.token_hash)))
    assert stored == {stored_hash(token) for token in tokens}
    details = " ".join(session.scalars(select(AuditEvent.detail)))
    assert not any(token in details for token in tokens)
    assert "invitations.create" in audit_actions(session)
    # There is no stored copy: the page offers only the form, and a new POST makes new links.
    page = admin_client.get("/admin/invitations", headers=ENGLISH)
    assert not any(token in page.text for token in tokens)
    second = admin_client.post("/admin/invitations", data=batch_form(count="1"), headers=ENGLISH)
    assert second.text.splitlines()[1].rsplit("/", 1)[1] not in tokens
    assert len(set(session.scalars(select(Invitation.token_hash)))) == 26


def test_invitation_batches_refuse_units_outside_the_round_and_bad_counts(
        admin_client, make_unit, make_survey, session):
    county = make_unit("KAI")
    make_unit("OTHER")
    make_survey(county, kind="pulse", code="R1")
    outside = admin_client.post("/admin/invitations", data=batch_form(unit="OTHER"),
                                headers=ENGLISH)
    assert outside.status_code == 400 and "is not in the round R1" in outside.text
    for count, message in (("0", "Give a number from 1 to 20000."),
                           ("lots", "Give a whole number."),
                           ("999999999999999999999", "Give a number from 1 to 20000.")):
        response = admin_client.post("/admin/invitations", data=batch_form(unit="KAI",
                                                                           count=count),
                                     headers=ENGLISH)
        assert response.status_code == 400 and message in response.text, count
    past = admin_client.post("/admin/invitations", headers=ENGLISH,
                             data=batch_form(unit="KAI", expires="2020-01-01"))
    assert past.status_code == 400 and "The expiry must be in the future." in past.text
    assert session.scalars(select(Invitation)).all() == []
    assert audit_actions(session)[-1] == "invitations.create.refused"


def test_closed_rounds_are_not_offered_for_invitations(admin_client, make_unit, make_survey):
    county = make_unit("KAI")
    now = datetime.now(UTC)
    make_survey(county, kind="pulse", code="OLD", opens_at=now - timedelta(days=9),
                closes_at=now - timedelta(days=1))
    page = admin_client.get("/admin/invitations", headers=ENGLISH)
    assert "There is no scheduled or open pulse round." in page.text
    refused = admin_client.post("/admin/invitations", data=batch_form(round="OLD", unit="KAI"),
                                headers=ENGLISH)
    assert refused.status_code == 400 and "Choose one of the options." in refused.text


def test_an_oversized_form_gets_413_and_creates_nothing(admin_client, make_unit, session):
    make_unit("KAI")
    response = admin_client.post("/admin/rounds", data=round_form(title="x" * 100_000),
                                 headers=ENGLISH)
    assert response.status_code == 413 and "too large" in response.text
    assert session.scalars(select(Survey)).all() == []


def test_a_unit_with_a_single_invitee_needs_a_confirmation(admin_client, make_unit,
                                                           make_survey, session):
    county = make_unit("KAI")
    make_unit("SOLO", parent=county)
    make_survey(county, kind="pulse", code="R1",
                closes_at=datetime.now(UTC) + timedelta(days=10))
    warned = admin_client.post("/admin/invitations", data=batch_form(unit="SOLO", count="1"),
                               headers=ENGLISH)
    assert warned.status_code == 409 and warned.mimetype == "text/html"
    assert "would have only one invitation" in warned.text
    assert 'name="single_invitee"' in warned.text
    assert session.scalars(select(Invitation)).all() == []
    finnish = admin_client.post("/admin/invitations", data=batch_form(unit="SOLO", count="1"),
                                headers={"Accept-Language": "fi"})
    assert finnish.status_code == 409 and "would have only one" not in finnish.text
    confirmed = admin_client.post("/admin/invitations", data=batch_form(
        unit="SOLO", count="1", single_invitee="y"), headers=ENGLISH)
    assert confirmed.status_code == 200 and confirmed.mimetype == "text/csv"
    assert len(session.scalars(select(Invitation)).all()) == 1
    # A second invitation for the unit makes two: no confirmation asked.
    again = admin_client.post("/admin/invitations", data=batch_form(unit="SOLO", count="1"),
                              headers=ENGLISH)
    assert again.status_code == 200 and again.mimetype == "text/csv"


def test_the_cli_refuses_a_single_invitee_unit_without_the_flag(runner, make_unit, make_survey,
                                                                session, tmp_path):
    county = make_unit("KAI")
    make_unit("SOLO", parent=county)
    make_survey(county, kind="pulse", code="R1")
    out = tmp_path / "links.csv"
    args = ["invitations", "create", "--round", "R1", "--unit", "SOLO", "--count", "1",
            "--out", str(out)]
    refused = runner.invoke(args=args)
    assert refused.exit_code != 0 and "--single-invitee-ok" in refused.output
    assert not out.exists() and session.scalars(select(Invitation)).all() == []
    assert runner.invoke(args=[*args, "--single-invitee-ok"]).exit_code == 0
    assert out.exists()
