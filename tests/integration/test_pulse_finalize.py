"""Finalising rounds: idempotent, picked up after a scheduled close, redone for late marks;
and what a changed token key or the migration to keyed hashes do to existing links."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import create_engine, func, select, text

from survey_app.cli.database import alembic_config
from survey_app.models import AuditEvent, FinalizedRound, Invitation, PendingMark, Response
from survey_app.services import pulse
from tests.pulse_support import answer_form, issue_tokens, used_count


def _open_round(make_unit, make_survey, code="fin", hours=2):
    team = make_unit(f"KAI-{code.upper()}", kind="staff")
    survey = make_survey(team, kind="pulse", code=code,
                         closes_at=datetime.now(UTC) + timedelta(hours=hours))
    return team, survey


def test_a_scheduled_close_is_finalised_once_by_the_cli_and_again_only_for_late_marks(
        app, client, runner, session, make_unit, make_survey):
    team, survey = _open_round(make_unit, make_survey)
    tokens = issue_tokens(session, survey, team, 4)
    for token in tokens[:3]:
        assert client.post(f"/fi/p/{token}", data=answer_form()).status_code == 303
    assert used_count(session) == 3 and session.scalar(
        select(func.count()).select_from(PendingMark)) == 3
    with app.app_context():
        assert pulse.finalize_closed_rounds(session, datetime.now(UTC)) == []  # still open
        later = survey.closes_at + timedelta(minutes=1)
        assert [s.code for s in pulse.rounds_to_finalize(session, later)] == ["fin"]
        assert pulse.finalize_closed_rounds(session, later) == ["fin"]
        assert pulse.finalize_closed_rounds(session, later) == []
        # An answer that slipped in as the round closed leaves a pending mark: done again.
        session.add(PendingMark(guard="f" * 64, survey_id=survey.id, unit_id=team.id))
        session.commit()
        assert pulse.finalize_closed_rounds(session, later) == ["fin"]
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(PendingMark)) == 0
    assert session.scalar(select(func.count()).select_from(Invitation)
                          .where(Invitation.used)) == 3
    assert session.scalar(select(func.count()).select_from(Response)) == 3
    assert session.get(FinalizedRound, survey.id) is not None
    actions = session.scalars(select(AuditEvent.action)).all()
    assert actions.count("round.finalize") == 2
    result = runner.invoke(args=["rounds", "finalize"])
    assert result.exit_code == 0 and "Finalised 0 rounds." in result.output, result.output


def test_the_cli_finalises_rounds_whose_closing_time_has_passed(runner, session, make_unit,
                                                                make_survey):
    team = make_unit("KAI-PAST", kind="staff")
    survey = make_survey(team, kind="pulse", code="past",
                         opens_at=datetime.now(UTC) - timedelta(days=9),
                         closes_at=datetime.now(UTC) - timedelta(days=2))
    issue_tokens(session, survey, team, 2)
    result = runner.invoke(args=["rounds", "finalize"])
    assert result.exit_code == 0 and "Finalised 1 rounds: past." in result.output
    assert runner.invoke(args=["rounds", "finalize"]).output.startswith("Finalised 0 rounds")


def test_reopening_a_finalised_round_finalises_it_again_at_its_next_close(
        app, client, session, make_unit, make_survey):
    team, survey = _open_round(make_unit, make_survey, "again")
    first, second = issue_tokens(session, survey, team, 2)
    assert client.post(f"/fi/p/{first}", data=answer_form()).status_code == 303
    now = datetime.now(UTC)
    with app.app_context():
        pulse.close_round(session, "again", now)
        assert client.get(f"/fi/p/{first}").status_code == 409
        assert client.get(f"/fi/p/{second}").status_code == 410
        pulse.open_round(session, "again", now, until=now + timedelta(days=1))
        assert session.get(FinalizedRound, survey.id) is None
        assert client.post(f"/fi/p/{second}", data=answer_form()).status_code == 303
        assert client.post(f"/fi/p/{first}", data=answer_form()).status_code == 409
        pulse.close_round(session, "again", now + timedelta(minutes=1))
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Invitation)
                          .where(Invitation.used)) == 2
    assert session.scalar(select(func.count()).select_from(PendingMark)) == 0


def test_a_new_token_key_invalidates_unused_links(make_app, session, make_unit, make_survey):
    team, survey = _open_round(make_unit, make_survey, "rekey")
    (token,) = issue_tokens(session, survey, team, 1)
    assert make_app().test_client().get(f"/fi/p/{token}").status_code == 200
    moved = make_app(TOKEN_KEY="n" * 40).test_client().get(f"/fi/p/{token}")
    assert moved.status_code == 404 and "kutsulinkki ei ole voimassa" in moved.text


def test_migration_0003_rekeys_existing_invitations_so_their_links_keep_working(
        make_app, session, make_unit, make_survey):
    app = make_app()
    team, survey = _open_round(make_unit, make_survey, "legacy")
    session.close()
    url = app.config["DATABASE_URL"]
    config = alembic_config(url)
    command.downgrade(config, "0002")
    token = "L" * 43
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO invitation (survey_id, unit_id, token_hash, used) "
            "VALUES (:s, :u, :h, false)"),
            {"s": survey.id, "u": team.id, "h": hashlib.sha256(token.encode()).hexdigest()})
    with app.app_context():
        command.upgrade(config, "head")
    with engine.connect() as connection:
        stored = connection.scalar(text("SELECT token_hash FROM invitation"))
    engine.dispose()
    assert stored != hashlib.sha256(token.encode()).hexdigest()
    client = app.test_client()
    assert client.get(f"/fi/p/{token}").status_code == 200
    assert client.post(f"/fi/p/{token}", data=answer_form()).status_code == 303
    assert client.post(f"/fi/p/{token}", data=answer_form()).status_code == 409


def test_link_used_counts_pending_marks(app, client, session, make_unit, make_survey):
    team, survey = _open_round(make_unit, make_survey, "usedq")
    answered, waiting = issue_tokens(session, survey, team, 2)
    assert client.post(f"/fi/p/{answered}", data=answer_form()).status_code == 303
    with app.app_context():
        assert pulse.link_used(session, answered) is True
        assert pulse.link_used(session, waiting) is False
        assert pulse.link_used(session, "A" * 43) is None
        assert pulse.link_used(session, "not a token") is None
    assert session.scalar(select(func.count()).select_from(Invitation)
                          .where(Invitation.used)) == 0


def test_bad_links_keep_their_translated_404_409_410_with_marks_pending_or_written(
        app, client, session, make_unit, make_survey):
    team, survey = _open_round(make_unit, make_survey, "bad")
    used, unused = issue_tokens(session, survey, team, 2)
    assert client.post(f"/sv/p/{used}", data=answer_form()).status_code == 303
    again = client.post(f"/sv/p/{used}", data=answer_form())  # mark still pending
    assert again.status_code == 409 and "Inbjudningen har redan använts" in again.text
    unknown = client.get(f"/uk/p/{'Z' * 43}")
    assert unknown.status_code == 404 and "Це посилання-запрошення недійсне" in unknown.text
    with app.app_context():
        pulse.close_round(session, "bad", datetime.now(UTC))
    closed = client.get(f"/ar/p/{unused}")
    assert closed.status_code == 410 and "انتهت جولة الاستطلاع هذه." in closed.text
    assert client.post(f"/so/p/{used}", data=answer_form()).status_code == 409  # mark written
    assert session.scalar(select(func.count()).select_from(Response)) == 1


def test_an_unreachable_guard_redis_is_a_translated_503_and_stores_nothing(
        make_app, session, make_unit, make_survey):
    from tests.faults.support import free_port

    team, survey = _open_round(make_unit, make_survey, "noredis")
    (token,) = issue_tokens(session, survey, team, 1)
    app = make_app(PULSE_GUARD_URL=f"redis://127.0.0.1:{free_port()}/0")
    client = app.test_client()
    assert client.get(f"/fi/p/{token}").status_code == 503
    posted = client.post(f"/fi/p/{token}", data=answer_form())
    assert posted.status_code == 503 and "Mitään ei tallennettu" in posted.text
    assert session.scalar(select(func.count()).select_from(Response)) == 0


def test_pending_guards_are_unlogged_on_postgresql_and_deletes_overwrite_on_sqlite(session):
    if session.get_bind().dialect.name == "postgresql":
        persistence = session.scalar(text(
            "SELECT relpersistence FROM pg_class WHERE relname = 'invitation_pending'"))
        assert persistence == "u"
    else:
        assert session.scalar(text("PRAGMA secure_delete")) == 1
