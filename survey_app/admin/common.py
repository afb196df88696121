"""Helpers shared by the admin views: who acts, form errors, choices, Helsinki days."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from survey_app.db import get_session
from survey_app.errors import NotFound, SurveyAppError
from survey_app.i18n import current_language
from survey_app.instruments import available
from survey_app.services import audit
from survey_app.services.pulse import parse_moment
from survey_app.services.units import list_units

#: Longest code or username a URL may name (usernames are at most 80, codes 60).
MAX_NAME = 120
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def actor() -> str:
    """The audit name of the logged-in admin."""
    return current_user.username


def now() -> datetime:
    """The current moment, aware UTC."""
    return datetime.now(UTC)


def name_from_path(value: str) -> str:
    """A code or username taken from the URL, or NotFound for what cannot be one.

    Checked before any query: PostgreSQL refuses NUL characters in text outright.
    """
    if not value or len(value) > MAX_NAME or CONTROL_CHARACTERS.search(value):
        raise NotFound()
    return value


def form_errors(form) -> list[tuple[str, str]]:
    """``(field id, "Label: message")`` for the error summary, in field order."""
    return [(field.id, f"{field.label.text}: {message}")
            for field in form if field.errors for message in field.errors]


def refuse(action: str, reason: str) -> None:
    """Record in the audit log that an admin action was refused, and why."""
    audit.record_refusal(get_session(), actor(), action, reason)


def refuse_form(action: str, form) -> None:
    """Record a refused form: which fields were wrong (not what was typed into them)."""
    refuse(action, "invalid input: " + ", ".join(field.name for field in form if field.errors))


def refuse_and_return(action: str, error: SurveyAppError, endpoint: str, **values):
    """For one-button actions: audit the refusal, show it, and go back to the list."""
    refuse(action, error.message)
    flash(error.message, "error")
    return redirect(url_for(endpoint, **values), code=303)


def state_names() -> dict[str, str]:
    """Translated names of the states of a survey or round."""
    return {"scheduled": _("scheduled"), "open": _("open"), "closed": _("closed")}


def unit_choices(active_only: bool = False) -> list[tuple[str, str]]:
    """Every unit in tree order, indented by depth, named in the page's language."""
    lang = current_language()
    return [SelectChoice(unit.code, f"{'— ' * unit.depth}{unit.code} · {unit.name(lang)}")
            for unit in list_units(get_session()) if unit.active or not active_only]


def instrument_choices(kind: str) -> list[tuple[str, str]]:
    """``key:version`` of every instrument of this kind."""
    return [SelectChoice(f"{key}:{version}", f"{key} v{version}")
            for key, version, found in available() if found == kind]


def split_instrument(value: str) -> tuple[str, int]:
    """``"staff-pulse:1"`` → ``("staff-pulse", 1)`` (the value came from the choices)."""
    key, _sep, version = value.partition(":")
    return key, int(version)


def day_start(day: date | None) -> datetime | None:
    """Helsinki midnight at the start of ``day``, as aware UTC."""
    return parse_moment(day.isoformat()) if day else None


def day_end(day: date | None) -> datetime | None:
    """Helsinki midnight after ``day`` (open through that day), as aware UTC."""
    return parse_moment(day.isoformat(), end_of_day=True) if day else None
