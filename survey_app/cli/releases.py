"""``survey-app releases publish [--until DATE] [--no-wait]`` and ``survey-app releases list``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from survey_app.db import get_session
from survey_app.privacy import Thresholds
from survey_app.services import releases
from survey_app.services.releases import ledger

releases_group = AppGroup("releases", help="Publish released cells (run nightly) and list them.")


@releases_group.command("publish")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Release what is complete before this day (default: today in Helsinki).")
@click.option("--no-wait", is_flag=True,
              help="Exit at once when another publish is running instead of waiting for it.")
def publish_command(until, no_wait: bool) -> None:
    """Release every complete resident month and every closed staff round not yet released."""
    today = releases.helsinki_today()
    day = until.date() if until else today
    if day > today:
        # A month released before it ends would never get the answers of its last days.
        raise click.ClickException(
            f"--until {day.isoformat()} is after today ({today.isoformat()}): only months that "
            f"have ended can be released (to test with later dates, run under faketime)")
    session = get_session()
    try:
        result = releases.publish(session, day, Thresholds.from_config(current_app.config),
                                  wait=not no_wait)
    except releases.ReleaseError as error:
        raise click.ClickException(str(error)) from None
    if result.finalized:
        click.echo(f"Finalised {len(result.finalized)} closed staff rounds "
                   f"({', '.join(result.finalized)}).")
    if result.comment_batches:
        click.echo(f"Released {result.comment_batches} comment batches.")
    if not (result.months or result.rounds):
        click.echo(f"Nothing to release before {day.isoformat()}; the ledger is up to date.")
        return
    click.echo(f"Released {len(result.months)} resident months "
               f"({', '.join(result.months) or '-'}) and {len(result.rounds)} staff rounds "
               f"({', '.join(result.rounds) or '-'}): {result.cells} cells, "
               f"{result.hidden} hidden.")


@releases_group.command("list")
def list_command() -> None:
    """Every release, oldest first: what it covers, when, k, cells and hidden cells."""
    rows = ledger.release_summaries(get_session())
    if not rows:
        click.echo("No releases yet. Run: survey-app releases publish")
        return
    for row in rows:
        click.echo(f"{row.id:>5}  {row.kind:<15} {row.covers:<14} {row.created_on.isoformat()}  "
                   f"k={row.threshold}  cells={row.cells}  hidden={row.hidden}")
