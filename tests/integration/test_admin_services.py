"""Service pieces the admin pages rely on: in-memory invitation links, audited refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from survey_app.errors import InvalidInput
from survey_app.models import AuditEvent, Invitation
from survey_app.services import audit, pulse
from tests.pulse_support import stored_hash


def test_invitation_links_are_returned_and_only_their_hashes_committed(app, session, make_unit,
                                                                        make_survey):
    county = make_unit("KAI")
    team = make_unit("KAI-A", parent=county, kind="staff")
    make_survey(county, kind="pulse", code="r1")
    with app.app_context():
        links = pulse.create_invitation_links(session, "r1", {"KAI": 2, team.code: 3},
                                              "https://kysely.example/", "fi", actor="ada")
    assert [code for code, _link in links] == ["KAI", "KAI", "KAI-A", "KAI-A", "KAI-A"]
    assert all(link.startswith("https://kysely.example/fi/p/") for _code, link in links)
    tokens = {link.rsplit("/", 1)[1] for _code, link in links}
    session.expire_all()
    assert set(session.scalars(select(Invitation.token_hash))) == {stored_hash(t)
                                                                   for t in tokens}
    event = session.scalars(select(AuditEvent)).one()
    assert (event.actor, event.action) == ("ada", "invitations.create")
    assert event.detail == "round r1 lang fi KAI 2, KAI-A 3"


def test_a_failed_commit_hands_out_no_links_and_stores_nothing(app, session, make_unit,
                                                                make_survey, monkeypatch):
    county = make_unit("KAI")
    make_survey(county, kind="pulse", code="r1")

    def broken_commit():
        raise RuntimeError("database went away")

    with app.app_context():
        monkeypatch.setattr(session, "commit", broken_commit)
        with pytest.raises(RuntimeError):
            pulse.create_invitation_links(session, "r1", {"KAI": 3}, "http://x")
        monkeypatch.undo()
        with pytest.raises(InvalidInput):
            pulse.create_invitation_links(session, "r1", {"KAI": 0}, "http://x")
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_a_refusal_is_stored_even_after_a_failed_change(app, session, make_unit):
    make_unit("KAI")
    session.add(Invitation(survey_id=999, unit_id=999, token_hash="x" * 64, used=False))
    audit.record_refusal(session, "ada", "units.import", "2 problem(s)")
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0
    event = session.scalars(select(AuditEvent)).one()
    assert (event.actor, event.action, event.detail) == ("ada", "units.import.refused",
                                                         "2 problem(s)")
