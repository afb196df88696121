"""``survey-app tokens create|list|revoke``: API tokens for BI tools."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from survey_app.db import get_session
from survey_app.errors import SurveyAppError
from survey_app.services.api import tokens as token_service

tokens_group = AppGroup("tokens", help="API tokens for BI tools (read-only, scoped like users).")


def _run(action):
    try:
        return action()
    except SurveyAppError as error:
        raise click.ClickException(error.message) from None


@tokens_group.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(["hr", "manager", "visits"]), required=True,
              help="visits: may only post visits (POST /api/v1/visits) and reads nothing.")
@click.option("--unit", "units", multiple=True, help="Unit code a manager token may read "
              "(repeatable).")
def create_command(name: str, role: str, units: tuple[str, ...]) -> None:
    """Create a token and print it once: it cannot be shown again."""
    created = _run(lambda: token_service.create_token(get_session(), name, role, list(units)))
    click.echo(f"Created {role} token {created.token.name} (id {created.token.id}). "
               "Copy it now; it is not stored and cannot be shown again:", err=True)
    click.echo(created.secret)


@tokens_group.command("list")
def list_command() -> None:
    """List tokens: id, name, role, scope, state, created and last-used day."""
    for token in token_service.list_tokens(get_session()):
        scope = ",".join(s.unit.code for s in token.scopes) or "-"
        state = "revoked" if token.revoked else "active"
        last = token.last_used_on.isoformat() if token.last_used_on else "never"
        click.echo(f"{token.id}\t{token.name}\t{token.role.value}\t{scope}\t{state}\t"
                   f"created {token.created_on.isoformat()} by {token.created_by}\tused {last}")


@tokens_group.command("revoke")
@click.argument("name_or_id")
def revoke_command(name_or_id: str) -> None:
    """Revoke a token by name or id; it stops working at once."""
    token = _run(lambda: token_service.revoke_token(get_session(), name_or_id))
    click.echo(f"Revoked {token.name}.")
