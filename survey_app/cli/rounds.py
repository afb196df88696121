"""``survey-app rounds create|list|open|close|finalize`` and ``survey-app invitations create``.

Moments are read and shown in Europe/Helsinki. Invitation links go to a new file exactly
once; nothing here prints or logs a token.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from survey_app.db import get_session
from survey_app.errors import SurveyAppError
from survey_app.i18n import LANGUAGES
from survey_app.services import pulse

rounds_group = AppGroup("rounds", help="Staff pulse rounds (times in Europe/Helsinki).")
invitations_group = AppGroup("invitations", help="Single-use invitations to pulse rounds.")


def _local(moment: datetime | None) -> str:
    return moment.astimezone(pulse.HELSINKI).strftime("%Y-%m-%d %H:%M") if moment else "-"


def _now() -> datetime:
    return datetime.now(UTC)


def _fail(error: SurveyAppError):
    return click.ClickException(error.message)


@rounds_group.command("create")
@click.argument("code")
@click.option("--unit", "unit_code", required=True, help="Root of the covered subtree.")
@click.option("--opens", required=True, help="YYYY-MM-DD or 'YYYY-MM-DD HH:MM', Helsinki time.")
@click.option("--closes", required=True, help="YYYY-MM-DD (through that day) or a time.")
@click.option("--instrument", default=None, help="KEY:VERSION (default: newest pulse one).")
@click.option("--title", default="")
def create_command(code, unit_code, opens, closes, instrument, title) -> None:
    """Create the pulse round CODE over a unit subtree."""
    try:
        spec = None
        if instrument:
            key, _sep, version = instrument.partition(":")
            if not version.isdigit():
                raise click.BadParameter("use KEY:VERSION, e.g. staff-pulse:1",
                                         param_hint="--instrument")
            spec = (key, int(version))
        survey = pulse.create_round(get_session(), code, unit_code, pulse.parse_moment(opens),
                                   pulse.parse_moment(closes, end_of_day=True), spec, title)
    except SurveyAppError as error:
        raise _fail(error) from None
    click.echo(f"Created round {survey.code}: {_local(survey.opens_at)} – "
               f"{_local(survey.closes_at)} (Helsinki).")


@rounds_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def list_command(fmt: str) -> None:
    """Every round with its state and invitations created / used."""
    rounds = pulse.list_rounds(get_session(), _now())
    if fmt == "json":
        click.echo(json.dumps([{"code": r.code, "unit": r.unit_code, "instrument": r.instrument,
                                "opens": _local(r.opens_at), "closes": _local(r.closes_at),
                                "state": r.state, "invitations": r.invitations, "used": r.used}
                               for r in rounds], ensure_ascii=False, indent=2))
        return
    for r in rounds:
        click.echo(f"{r.code}  {r.unit_code}  {r.instrument}  {_local(r.opens_at)} – "
                   f"{_local(r.closes_at)}  {r.state}  invitations {r.invitations}, used {r.used}")


@rounds_group.command("open")
@click.argument("code")
@click.option("--until", default=None, help="New closing time (needed to reopen a closed round).")
def open_command(code: str, until: str | None) -> None:
    """Open round CODE now."""
    try:
        closes = pulse.parse_moment(until, end_of_day=True) if until else None
        survey = pulse.open_round(get_session(), code, _now(), closes)
    except SurveyAppError as error:
        raise _fail(error) from None
    click.echo(f"Round {survey.code} is open until {_local(survey.closes_at)} (Helsinki).")


@rounds_group.command("close")
@click.argument("code")
def close_command(code: str) -> None:
    """Close round CODE now."""
    try:
        survey = pulse.close_round(get_session(), code, _now())
    except SurveyAppError as error:
        raise _fail(error) from None
    click.echo(f"Round {survey.code} closed and finalised.")


@rounds_group.command("finalize")
def finalize_command() -> None:
    """Finalise every closed round that needs it (safe to run at any time, e.g. nightly).

    Writes the remaining used marks and re-stores the round's invitations and answers in
    random order, so that nothing in storage pairs an answer with an invitation.
    """
    done = pulse.finalize_closed_rounds(get_session(), _now())
    click.echo(f"Finalised {len(done)} rounds" + (f": {', '.join(done)}." if done else "."))
    if _commit_timestamps_on():
        click.echo("Warning: track_commit_timestamp is on; it puts a time on every stored row "
                   "version. Turn it off for the staff survey database.", err=True)


def _commit_timestamps_on() -> bool:
    """True when PostgreSQL keeps commit times (which would date every answer)."""
    from sqlalchemy import text

    session = get_session()
    if session.get_bind().dialect.name != "postgresql":
        return False
    return session.scalar(text("SHOW track_commit_timestamp")) == "on"


@invitations_group.command("create")
@click.option("--round", "round_code", required=True)
@click.option("--unit", "unit_code", default=None, help="One unit; use with --count.")
@click.option("--count", type=click.IntRange(1), default=None)
@click.option("--sizes", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="CSV of unit_code,count for several units of the round.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="New CSV file for the links (never overwritten).")
@click.option("--lang", type=click.Choice(LANGUAGES), default="fi")
@click.option("--expires", default=None, help="YYYY-MM-DD (through that day) or a time.")
@click.option("--single-invitee-ok", is_flag=True,
              help="Create invitations even for a unit that would have only one.")
def create_invitations_command(round_code, unit_code, count, sizes, out, lang, expires,
                               single_invitee_ok) -> None:
    """Create invitations and write their links, once, to OUT for a mail merge."""
    if bool(sizes) == bool(unit_code or count) or (unit_code is None) != (count is None):
        raise click.UsageError("give either --unit and --count, or --sizes")
    try:
        counts = pulse.parse_sizes(sizes.read_bytes()) if sizes else {unit_code: count}
        single = pulse.single_invitee_units(get_session(), round_code, counts)
        if single and not single_invitee_ok:
            raise click.ClickException(
                f"{', '.join(single)}: only one invitation in the round, so its answer is "
                "that person's answer. Invite such a unit together with a larger one, or "
                "pass --single-invitee-ok to create it anyway.")
        expires_at = pulse.parse_moment(expires, end_of_day=True) if expires else None
        report = pulse.create_invitations(
            get_session(), round_code, counts, out, current_app.config["PUBLIC_BASE_URL"], lang,
            expires_at, now=_now())
    except SurveyAppError as error:
        raise _fail(error) from None
    click.echo(f"Created {report.total} invitations for round {report.round_code} "
               f"({len(report.counts)} units); links written to {report.path}.")
    click.echo("Keep the file safe and delete it after sending: the links cannot be shown again.")
