"""``survey-app demo``: load the demo county."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("demo")
@click.option("--seed", default=2026, show_default=True, help="Random seed (same seed, same data).")
@click.option("--months", default=14, show_default=True, help="Months of answers up to today.")
@click.option("--if-empty", is_flag=True, help="Do nothing when units already exist.")
@with_appcontext
def demo_command(seed: int, months: int, if_empty: bool) -> None:
    """Load a realistic demo county modelled on Kainuu, with answers."""
    from survey_app.db import get_session
    from survey_app.services import demo

    session = get_session()
    if if_empty and demo.has_units(session):
        click.echo("Units exist already; demo data not loaded.")
        return
    out = Path(current_app.instance_path) / "demo-invitations.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with click.progressbar(length=100, label="Loading the demo county") as bar:
        summary = demo.load(session, seed=seed, months=months, progress=bar.update,
                            invitations_out=out, base_url=current_app.config["PUBLIC_BASE_URL"])
    click.echo(summary)
    # Reports read released cells only: release every complete month and closed round now,
    # as the nightly ``survey-app releases publish`` would have done.
    from survey_app.privacy import Thresholds
    from survey_app.services import releases

    result = releases.publish(session, releases.helsinki_today(),
                              Thresholds.from_config(current_app.config))
    click.echo(f"Released {len(result.months)} resident months and {len(result.rounds)} staff "
               f"rounds ({result.cells} cells, {result.hidden} hidden) "
               f"and {result.comment_batches} comment batches.")
