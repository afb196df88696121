"""Pulse rounds and invitation batches through the services and the CLI."""

from __future__ import annotations

import csv
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from survey_app.errors import Conflict, InvalidInput
from survey_app.models import AuditEvent, Invitation, Survey
from survey_app.services import pulse
from tests.pulse_support import stored_hash


def _links(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def tree(make_unit):
    """A county with a region and two teams, and one unit outside the region."""
    county = make_unit("KAI")
    region = make_unit("KAI-SOS", parent=county)
    team_a = make_unit("KAI-SOS-A", parent=region, kind="staff")
    team_b = make_unit("KAI-SOS-B", parent=region, kind="staff")
    other = make_unit("KAI-TEK", parent=county, kind="staff")
    return {"county": county, "region": region, "a": team_a, "b": team_b, "other": other}


def test_parse_moment_reads_helsinki_time_in_winter_and_summer():
    assert pulse.parse_moment("2026-01-15 08:00") == datetime(2026, 1, 15, 6, 0, tzinfo=UTC)
    assert pulse.parse_moment("2026-06-15 08:00") == datetime(2026, 6, 15, 5, 0, tzinfo=UTC)
    assert pulse.parse_moment("2026-03-31", end_of_day=True) == datetime(2026, 3, 31, 21, 0,
                                                                          tzinfo=UTC)
    with pytest.raises(InvalidInput):
        pulse.parse_moment("31.3.2026")


def test_round_life_cycle_from_scheduled_to_open_to_closed(app, session, tree):
    now = datetime.now(UTC)
    with app.app_context():
        survey = pulse.create_round(session, "2026-03-pulse", "KAI-SOS", now + timedelta(days=1),
                                    now + timedelta(days=8))
        assert survey.instrument_key == "staff-pulse" and survey.instrument_version == 1
        assert pulse.round_state(survey, now) == pulse.SCHEDULED
        pulse.open_round(session, "2026-03-pulse", now)
        assert pulse.round_state(session.get(Survey, survey.id), now) == pulse.OPEN
        later = now + timedelta(hours=1)
        pulse.close_round(session, "2026-03-pulse", later)
        assert pulse.round_state(session.get(Survey, survey.id), later) == pulse.CLOSED
        with pytest.raises(Conflict):
            pulse.close_round(session, "2026-03-pulse", later)
        with pytest.raises(InvalidInput):
            pulse.open_round(session, "2026-03-pulse", later)
        pulse.open_round(session, "2026-03-pulse", later, until=later + timedelta(days=2))
        assert pulse.round_state(session.get(Survey, survey.id), later) == pulse.OPEN
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["round.create", "round.open", "round.close", "round.finalize", "round.open"]


def test_create_round_refuses_bad_codes_orders_and_duplicates(app, session, tree):
    now = datetime.now(UTC)
    with app.app_context():
        with pytest.raises(InvalidInput):
            pulse.create_round(session, "bad code", "KAI", now, now + timedelta(days=1))
        with pytest.raises(InvalidInput):
            pulse.create_round(session, "r1", "KAI", now, now - timedelta(days=1))
        pulse.create_round(session, "r1", "KAI", now, now + timedelta(days=1))
        with pytest.raises(Conflict):
            pulse.create_round(session, "r1", "KAI", now, now + timedelta(days=1))
    assert session.scalar(select(func.count()).select_from(Survey)) == 1


def test_invitations_store_only_distinct_hashes_and_write_links_once(app, session, tree,
                                                                     make_survey, tmp_path):
    survey = make_survey(tree["region"], kind="pulse", code="r1")
    out = tmp_path / "links.csv"
    with app.app_context():
        report = pulse.create_invitations(session, "r1", {"KAI-SOS-A": 25}, out,
                                          "https://kysely.example.fi", "sv")
    assert report.total == 25
    links = _links(out)
    assert len(links) == 25 and {row["unit_code"] for row in links} == {"KAI-SOS-A"}
    tokens = [row["link"].removeprefix("https://kysely.example.fi/sv/p/") for row in links]
    assert all(len(token) == 43 for token in tokens) and len(set(tokens)) == 25
    stored = session.scalars(select(Invitation).where(Invitation.survey_id == survey.id)).all()
    assert {i.token_hash for i in stored} == {stored_hash(t) for t in tokens}
    assert not {i.token_hash for i in stored} & {hashlib.sha256(t.encode()).hexdigest()
                                                 for t in tokens}
    assert all(i.unit_id == tree["a"].id and not i.used for i in stored)
    audit = session.scalars(select(AuditEvent.detail)
                            .where(AuditEvent.action == "invitations.create")).one()
    assert "25" in audit and not any(token in audit for token in tokens)
    assert out.stat().st_mode & 0o077 == 0


def test_rerunning_a_batch_never_reveals_old_tokens(app, session, tree, make_survey, tmp_path):
    make_survey(tree["region"], kind="pulse", code="r1")
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    with app.app_context():
        pulse.create_invitations(session, "r1", {"KAI-SOS-A": 5}, first, "http://x")
        with pytest.raises(InvalidInput):
            pulse.create_invitations(session, "r1", {"KAI-SOS-A": 5}, first, "http://x")
        pulse.create_invitations(session, "r1", {"KAI-SOS-A": 5}, second, "http://x")
    old = {row["link"] for row in _links(first)}
    assert len(_links(first)) == 5
    assert not old & {row["link"] for row in _links(second)}
    assert session.scalar(select(func.count()).select_from(Invitation)) == 10
    assert not list(tmp_path.glob(".*.part"))


def test_sizes_file_makes_invitations_for_a_subtree_all_or_nothing(app, session, tree,
                                                                   make_survey, tmp_path):
    make_survey(tree["region"], kind="pulse", code="r1")
    with app.app_context():
        counts = pulse.parse_sizes(b"unit_code,count\nKAI-SOS-A,3\nKAI-SOS-B,4\n")
        pulse.create_invitations(session, "r1", counts, tmp_path / "ok.csv", "http://x")
        with pytest.raises(InvalidInput):
            pulse.create_invitations(session, "r1", {"KAI-SOS-A": 2, "KAI-TEK": 2},
                                     tmp_path / "bad.csv", "http://x")
        with pytest.raises(InvalidInput):
            pulse.parse_sizes(b"KAI-SOS-A,three\n")
    per_unit = dict(session.execute(select(Invitation.unit_id, func.count())
                                    .group_by(Invitation.unit_id)).all())
    assert per_unit == {tree["a"].id: 3, tree["b"].id: 4}
    assert not (tmp_path / "bad.csv").exists()


def test_cli_creates_lists_opens_and_closes_rounds_and_makes_invitations(app, runner, session,
                                                                         tree, tmp_path):
    result = runner.invoke(args=["rounds", "create", "2026-T1-pulse", "--unit", "KAI-SOS",
                                 "--opens", "2020-01-01 08:00", "--closes", "2099-12-31"])
    assert result.exit_code == 0, result.output
    assert "2020-01-01 08:00" in result.output
    sizes = tmp_path / "sizes.csv"
    sizes.write_text("unit_code,count\nKAI-SOS-A,2\nKAI-SOS-B,3\n", encoding="utf-8")
    out = tmp_path / "links.csv"
    result = runner.invoke(args=["invitations", "create", "--round", "2026-T1-pulse",
                                 "--sizes", str(sizes), "--out", str(out),
                                 "--expires", "2099-01-01"])
    assert result.exit_code == 0, result.output
    assert "Created 5 invitations" in result.output
    assert all("/fi/p/" in row["link"] for row in _links(out))
    assert not any(row["link"] in result.output for row in _links(out))
    result = runner.invoke(args=["invitations", "create", "--round", "2026-T1-pulse", "--unit",
                                 "KAI-SOS-A", "--count", "2", "--out", str(out)])
    assert result.exit_code != 0 and "links.csv" in result.output and len(_links(out)) == 5
    listing = runner.invoke(args=["rounds", "list"])
    assert "2026-T1-pulse" in listing.output and "invitations 5, used 0" in listing.output
    assert "open" in listing.output
    result = runner.invoke(args=["rounds", "close", "2026-T1-pulse"])
    assert result.exit_code == 0, result.output
    assert "closed" in runner.invoke(args=["rounds", "list"]).output
    result = runner.invoke(args=["rounds", "open", "2026-T1-pulse", "--until", "2099-06-30"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["rounds", "open", "nope"])
    assert result.exit_code != 0 and "nope" in result.output


def test_a_failed_commit_leaves_neither_rows_nor_a_links_file(app, session, tree, make_survey,
                                                             tmp_path, monkeypatch):
    make_survey(tree["region"], kind="pulse", code="r1")
    out = tmp_path / "links.csv"

    def broken_commit():
        raise RuntimeError("database went away")

    with app.app_context():
        monkeypatch.setattr(session, "commit", broken_commit)
        with pytest.raises(RuntimeError):
            pulse.create_invitations(session, "r1", {"KAI-SOS-A": 3}, out, "http://x")
        monkeypatch.undo()
    assert not out.exists() and not list(tmp_path.glob(".*.part"))
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_no_invitations_for_a_closed_round(app, session, tree, make_survey, tmp_path):
    now = datetime.now(UTC)
    make_survey(tree["region"], kind="pulse", code="old", opens_at=now - timedelta(days=9),
                closes_at=now - timedelta(days=2))
    with app.app_context(), pytest.raises(InvalidInput):
        pulse.create_invitations(session, "old", {"KAI-SOS-A": 1}, tmp_path / "x.csv",
                                 "http://x", now=now)
    assert not (tmp_path / "x.csv").exists()
