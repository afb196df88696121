"""``survey-app visits import FILE.csv``: queue SMS (or e-mail) asks after visits."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from survey_app.db import get_session
from survey_app.errors import SurveyAppError
from survey_app.services.reach import visits as visit_service

visits_group = AppGroup("visits", help="Visits to ask about by SMS or e-mail afterwards.")


@visits_group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(csv_file: Path) -> None:
    """Queue asks for the visits in CSV_FILE (unit_code,phone,email,language,visit_time).

    visit_time is ISO 8601; without an offset it is Helsinki time. The whole file is refused,
    listing every bad line, if any line is bad.
    """
    try:
        report = visit_service.import_visits_file(get_session(), csv_file.read_bytes())
    except SurveyAppError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Queued {report.queued}; not asked: {report.skipped_unit} (unit has not "
               f"opted in), {report.skipped_recent} (asked within the ask interval).")
