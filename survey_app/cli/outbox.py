"""``survey-app outbox run [--once]`` and ``outbox status|purge``: the SMS and e-mail sender.

Run it from a systemd timer every minute with ``--once`` (see README "Reaching people"), or
as a service without ``--once``. Several workers may run at once: a row is claimed by one.
"""

from __future__ import annotations

import signal
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from survey_app.db import get_session
from survey_app.models import OutboxMessage
from survey_app.services.reach import mail as reach_mail
from survey_app.services.reach import outbox
from survey_app.services.reach.gateways import sms_gateway

outbox_group = AppGroup("outbox", help="The outbox of SMS and e-mail messages.")


def _senders() -> outbox.Senders:
    return outbox.Senders(sms_gateway(), reach_mail.connection_factory())


@outbox_group.command("run")
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
@click.option("--poll", type=float, default=5.0, show_default=True,
              help="Seconds to wait when nothing is due (without --once).")
def run_command(once: bool, poll: float) -> None:
    """Send due messages; retries back off, failures end as dead letters."""
    senders = _senders()
    try:
        if once:
            report = outbox.run_until_idle(get_session(), senders)
            click.echo(f"Sent {report.sent}, to retry {report.retried}, dead {report.dead}, "
                       f"expired {report.expired}, unsure after a crash {report.unsure}.")
            return
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_args: stopping.append(True))
        factory = current_app.extensions["sqlalchemy_sessionmaker"]
        outbox.run_forever(factory, senders, poll, should_stop=lambda: bool(stopping))
    finally:
        senders.close()


@outbox_group.command("status")
def status_command() -> None:
    """Messages per kind and state (counts only)."""
    rows = get_session().execute(select(OutboxMessage.kind, OutboxMessage.state,
                                        func.count()).group_by(OutboxMessage.kind,
                                                               OutboxMessage.state))
    for kind, state, count in sorted(rows):
        click.echo(f"{kind}\t{state}\t{count}")


@outbox_group.command("purge")
@click.option("--keep-days", type=click.IntRange(0), default=30, show_default=True)
def purge_command(keep_days: int) -> None:
    """Delete settled messages, used or expired codes and lapsed ask memory."""
    removed = outbox.purge(get_session(), datetime.now(UTC), keep_days)
    click.echo(f"Removed {removed} rows.")
