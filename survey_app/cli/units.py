"""``survey-app units import|list``."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from survey_app.db import get_session
from survey_app.errors import SurveyAppError
from survey_app.services import units as unit_service

units_group = AppGroup("units", help="Organisation units (service units and staff teams).")


@units_group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(csv_file: Path) -> None:
    """Create or update units from CSV_FILE (code,parent_code,name_fi,name_sv,name_en,kind).

    The whole file is refused, listing every bad line, if any line is bad.
    """
    try:
        report = unit_service.import_units(get_session(), csv_file.read_bytes())
    except SurveyAppError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Created {len(report.created)}, updated {len(report.updated)}, "
               f"unchanged {report.unchanged}.")


@units_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def list_command(fmt: str) -> None:
    """List units in tree order."""
    units = unit_service.list_units(get_session())
    codes = {unit.id: unit.code for unit in units}
    if fmt == "json":
        rows = [unit_service.unit_as_dict(u, codes.get(u.parent_id)) for u in units]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for unit in units:
        flag = "" if unit.active else "  (inactive)"
        click.echo(f"{'  ' * unit.depth}{unit.code}  {unit.name_fi}  [{unit.kind.value}]{flag}")
