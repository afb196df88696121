"""``survey-app retention apply [--dry-run] [--days N]``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from survey_app.db import get_session
from survey_app.services import retention

retention_group = AppGroup("retention", help="Delete old raw answers and comments.")


@retention_group.command("apply")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep this many days (default: RETENTION_DAYS).")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
def apply_command(days: int | None, dry_run: bool) -> None:
    """Delete raw answers and comments older than the retention time; aggregates stay."""
    days = days or int(current_app.config["RETENTION_DAYS"])
    session = get_session()
    result = (retention.plan if dry_run else retention.apply)(session, days)
    verb = "Would delete" if dry_run else "Deleted"
    click.echo(f"{verb} {result.resident_answers} resident and {result.staff_answers} staff "
               f"answers older than {result.cutoff} and {result.comment_batches} comment "
               "batches whose last month ended by then (aggregates are kept).")
