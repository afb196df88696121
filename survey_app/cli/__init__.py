"""The ``survey-app`` command: a Flask CLI group over ``create_app``."""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup


def _create_app():
    from survey_app.app import create_app

    return create_app()


def register(app: Flask) -> None:
    """Attach every command group to ``app.cli``."""
    from survey_app.cli import (
        comments,
        database,
        demo,
        mail,  # noqa: F401  (adds ``invitations send|remind``)
        outbox,
        releases,
        retention,
        rounds,
        surveys,
        tokens,
        translations,
        units,
        users,
        visits,
    )
    from survey_app.cli_score import score_command

    for command in (database.db_group, units.units_group, users.users_group, demo.demo_command,
                    translations.translations_group, score_command,
                    retention.retention_group, rounds.rounds_group, rounds.invitations_group,
                    surveys.surveys_group, surveys.posters_command, tokens.tokens_group,
                    comments.comments_group, releases.releases_group,
                    visits.visits_group, outbox.outbox_group):
        app.cli.add_command(command)


main = FlaskGroup(
    create_app=_create_app,
    add_default_commands=True,
    load_dotenv=False,
    help="Kyselypalvelu: anonymous resident and staff surveys for a wellbeing services county.",
)
