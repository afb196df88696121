"""``survey-app invitations send|remind``: pulse invitations and reminders by e-mail.

The e-mails themselves go out with ``survey-app outbox run`` (SMTP, ``MAIL_*`` settings).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app

from survey_app.cli.rounds import invitations_group
from survey_app.db import get_session
from survey_app.errors import SurveyAppError
from survey_app.services.reach import staff_mail


@invitations_group.command("send")
@click.option("--round", "round_code", required=True)
@click.option("--recipients", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV email,unit_code,lang: one person per line.")
def send_command(round_code: str, recipients: Path) -> None:
    """E-mail one single-use link per person, in their language (queued in the outbox).

    The whole file is refused, listing every bad line, if any line is bad. People already
    invited to the round by e-mail are not invited again.
    """
    try:
        report = staff_mail.send_invitations(
            get_session(), round_code, recipients.read_bytes(),
            current_app.config["PUBLIC_BASE_URL"], datetime.now(UTC))
    except SurveyAppError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Queued {report.queued} invitations ({len(report.per_unit)} units); "
               f"{report.already_invited} already invited. Send them with "
               "'survey-app outbox run --once'.")


@invitations_group.command("remind")
@click.option("--round", "round_code", required=True)
@click.option("--only-non-respondents", is_flag=True,
              help="Remind only those who have not answered. This lets whoever holds "
                   "REACH_KEY see who has answered (never what); off by default.")
def remind_command(round_code: str, only_non_respondents: bool) -> None:
    """Queue a reminder to everyone invited by e-mail ("if you have already answered, thank
    you"), or with --only-non-respondents to those who have not answered."""
    try:
        report = staff_mail.send_reminders(get_session(), round_code, datetime.now(UTC),
                                           only_non_respondents)
    except SurveyAppError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Queued {report.queued} reminders.")
