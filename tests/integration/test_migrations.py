"""Alembic migrations run up and down on SQLite and PostgreSQL and match the models."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from survey_app.cli.database import alembic_config
from survey_app.db import Base
from survey_app.models.comment import include_in_autogenerate


def test_database_at_head_matches_the_models(database_url):
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include_in_autogenerate})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_migrations_go_down_to_base_and_up_again(make_app):
    app = make_app()
    url = app.config["DATABASE_URL"]
    config = alembic_config(url)
    command.downgrade(config, "base")
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    command.upgrade(config, "head")
    assert "response" in inspect(engine).get_table_names()
    engine.dispose()


def test_db_upgrade_command_reports_head(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "head" in result.output


def test_migration_0002_backfills_monthly_aggregates_from_daily_rows(make_app, make_unit,
                                                                      make_survey, session):
    from datetime import date

    from sqlalchemy import text

    app = make_app()
    unit = make_unit("U")
    survey = make_survey(unit)
    session.close()
    config = alembic_config(app.config["DATABASE_URL"])
    command.downgrade(config, "0001")
    engine = create_engine(app.config["DATABASE_URL"])
    columns = "survey_id, unit_id, day, channel, n, comments, " + ", ".join(
        f"c{v}" for v in range(11))
    rows = [(date(2026, 3, 2), "sms", 2), (date(2026, 3, 30), "qr", 3),
            (date(2026, 4, 1), "sms", 1)]
    with engine.begin() as connection:
        for day, channel, n in rows:
            values = [survey.id, unit.id, day, channel, n, 0] + [n if v == 10 else 0
                                                                  for v in range(11)]
            placeholders = ", ".join(f":p{i}" for i in range(len(values)))
            insert = f"INSERT INTO resident_daily ({columns}) VALUES ({placeholders})"
            connection.execute(text(insert), {f"p{i}": value for i, value in enumerate(values)})
    command.upgrade(config, "head")
    with engine.connect() as connection:
        months = connection.execute(text(
            "SELECT month, n, c10 FROM resident_monthly ORDER BY month")).all()
    engine.dispose()
    assert [(str(m)[:10], n, c10) for m, n, c10 in months] == [("2026-03-01", 5, 5),
                                                                ("2026-04-01", 1, 1)]


def test_migration_0008_backfills_the_languages_of_released_batches(make_app, make_unit,
                                                                      session):
    from sqlalchemy import text

    app = make_app()
    unit = make_unit("U")
    session.close()
    config = alembic_config(app.config["DATABASE_URL"])
    command.downgrade(config, "0007")
    engine = create_engine(app.config["DATABASE_URL"])
    with engine.begin() as connection:
        for batch_id, languages in ((1, ["sv", "fi", None, "fi"]), (2, [None, None])):
            connection.execute(text(
                "INSERT INTO comment_batch (id, unit_id, kind, first_month, last_month, "
                "released_on, size) VALUES (:id, :unit, 'resident', '2026-01-01', "
                "'2026-01-01', '2026-02-01', :size)"),
                {"id": batch_id, "unit": unit.id, "size": len(languages)})
            for position, language in enumerate(languages):
                connection.execute(text(
                    "INSERT INTO released_comment (batch_id, position, text, language) "
                    "VALUES (:batch, :position, 'x', :language)"),
                    {"batch": batch_id, "position": position, "language": language})
    command.upgrade(config, "head")
    with engine.connect() as connection:
        stored = connection.execute(text(
            "SELECT id, languages FROM comment_batch ORDER BY id")).all()
    engine.dispose()
    assert [tuple(row) for row in stored] == [(1, "fi sv"), (2, "")]
