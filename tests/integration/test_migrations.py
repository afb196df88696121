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
