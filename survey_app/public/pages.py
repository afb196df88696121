"""Public pages that belong to no questionnaire: the front page and the accessibility statement."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    """Logged-in users go to their reports; others see what the service is."""
    if current_user.is_authenticated and "reports.overview" in _endpoints():
        return redirect(url_for("reports.overview"))
    return render_template("public/index.html")


@bp.get("/<lang>/")
def index_in_language(lang: str):
    """The front page in a given language."""
    return render_template("public/index.html")


@bp.get("/<lang>/accessibility")
def accessibility(lang: str):
    """Saavutettavuusseloste: the accessibility statement, linked from every page."""
    return render_template("public/accessibility.html")


def _endpoints() -> set[str]:
    from flask import current_app

    return set(current_app.view_functions)
