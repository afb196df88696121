"""``survey-app users create|list|disable|enable|set-password``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from survey_app.db import get_session
from survey_app.errors import SurveyAppError
from survey_app.services import users as user_service

users_group = AppGroup("users", help="Report and admin users.")


def _run(action):
    try:
        return action()
    except SurveyAppError as error:
        raise click.ClickException(error.message) from None


@users_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "hr", "manager"]), required=True)
@click.option("--unit", "units", multiple=True, help="Unit code a manager may see (repeatable).")
@click.password_option(help="At least 12 characters; asked for when not given.")
def create_command(username: str, role: str, units: tuple[str, ...], password: str) -> None:
    """Create a user."""
    _run(lambda: user_service.create_user(get_session(), username, password, role, list(units)))
    click.echo(f"Created {role} {username}.")


@users_group.command("list")
def list_command() -> None:
    """List users with role, scope and state."""
    for user in user_service.list_users(get_session()):
        scope = ",".join(s.unit.code for s in user.scopes) or "-"
        state = "active" if user.active else "disabled"
        click.echo(f"{user.username}\t{user.role.value}\t{scope}\t{state}")


@users_group.command("disable")
@click.argument("username")
def disable_command(username: str) -> None:
    """Disable a user and end their sessions."""
    _run(lambda: user_service.set_active(get_session(), username, False))
    click.echo(f"Disabled {username}.")


@users_group.command("enable")
@click.argument("username")
def enable_command(username: str) -> None:
    """Enable a disabled user."""
    _run(lambda: user_service.set_active(get_session(), username, True))
    click.echo(f"Enabled {username}.")


@users_group.command("set-password")
@click.argument("username")
@click.password_option(help="At least 12 characters; asked for when not given.")
def set_password_command(username: str, password: str) -> None:
    """Set a user's password (ends their sessions)."""
    _run(lambda: user_service.set_password(get_session(), username, password))
    click.echo(f"Password set for {username}.")
