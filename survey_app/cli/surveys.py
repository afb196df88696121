"""``survey-app surveys open|close|list`` and ``survey-app posters``: resident feedback."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask.cli import AppGroup, with_appcontext

from survey_app.db import get_session
from survey_app.errors import SurveyAppError
from survey_app.services import survey as survey_service
from survey_app.services.survey import posters

surveys_group = AppGroup("surveys", help="Resident feedback collections over unit subtrees.")
HELSINKI = ZoneInfo("Europe/Helsinki")


def _moment(value: str | None) -> datetime | None:
    """``2026-03-01`` (Helsinki midnight) or an ISO date-time (naive = Helsinki) → aware UTC."""
    if not value:
        return None
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), time(0), HELSINKI)
        else:
            moment = datetime.fromisoformat(value)
            moment = moment if moment.tzinfo else moment.replace(tzinfo=HELSINKI)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or ISO date-time") \
            from None
    return moment.astimezone(UTC)


@surveys_group.command("open")
@click.option("--unit", "unit_code", required=True, help="Code of the subtree's root unit.")
@click.option("--instrument", default="resident-feedback", show_default=True)
@click.option("--version", type=int, default=1, show_default=True)
@click.option("--opens", help="Opening day or moment (Helsinki time); default now.")
@click.option("--closes", help="Closing day or moment (Helsinki time); default open-ended.")
def open_command(unit_code: str, instrument: str, version: int, opens: str | None,
                 closes: str | None) -> None:
    """Open resident feedback for a unit and everything below it."""
    try:
        survey = survey_service.open_resident_survey(
            get_session(), unit_code, instrument, version, _moment(opens), _moment(closes))
    except SurveyAppError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Opened {survey.code} for {unit_code} with {survey.instrument_key} "
               f"v{survey.instrument_version}.")


@surveys_group.command("close")
@click.argument("code")
def close_command(code: str) -> None:
    """Close the resident survey CODE now."""
    try:
        survey = survey_service.close_survey(get_session(), code)
    except SurveyAppError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Closed {survey.code}.")


@surveys_group.command("list")
@click.option("--unit", "unit_code", help="Only surveys rooted at this unit.")
def list_command(unit_code: str | None) -> None:
    """List resident surveys, newest first: code, unit, instrument, Helsinki days, state."""
    now = datetime.now(UTC)
    for survey in survey_service.list_resident_surveys(get_session(), unit_code):
        state = "open" if survey.is_open(now) else "closed"
        closes = _helsinki_date(survey.closes_at) if survey.closes_at else "-"
        click.echo(f"{survey.code}  {survey.unit.code}  {survey.instrument_key} "
                   f"v{survey.instrument_version}  {_helsinki_date(survey.opens_at)}  "
                   f"{closes}  {state}")


def _helsinki_date(moment: datetime) -> str:
    """The Helsinki calendar day of a stored moment."""
    return moment.astimezone(HELSINKI).date().isoformat()


@click.command("posters")
@click.option("--unit", "unit_code", required=True, help="Unit the poster invites to answer on.")
@click.option("--lang", "languages", default="fi,sv,en", show_default=True,
              help="Comma-separated languages (selko = plain Finnish), up to six.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def posters_command(unit_code: str, languages: str, out: Path) -> None:
    """Write a printable A4 SVG poster with a QR code per language."""
    try:
        codes = posters.parse_languages(languages)
        unit = survey_service.public_unit(get_session(), unit_code)
    except SurveyAppError as error:
        raise click.ClickException(error.message) from None
    out.write_text(posters.poster_svg(unit, codes), encoding="utf-8")
    click.echo(f"Wrote {out} ({', '.join(codes)}).")
