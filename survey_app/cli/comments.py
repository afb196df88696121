"""``survey-app comments publish [--until DATE]``: release comments in frozen batches."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from survey_app.db import get_session
from survey_app.periods import helsinki_now
from survey_app.privacy import Thresholds
from survey_app.services.comments import publish_comment_batches

comments_group = AppGroup("comments", help="Release comments in frozen batches.")


@comments_group.command("publish")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Batch the complete months before this day (default: today).")
def publish_command(until) -> None:
    """Batch each unit's comments of complete months, at least PRIVACY_MIN_COMMENTS a batch."""
    day = until.date() if until else helsinki_now().date()
    created = publish_comment_batches(get_session(), day,
                                      Thresholds.from_config(current_app.config))
    click.echo(f"Released {created} new comment batches (months before "
               f"{min(day, helsinki_now().date()).replace(day=1)}).")
