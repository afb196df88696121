"""The admin home page: links to every task."""

from __future__ import annotations

from flask import render_template

from survey_app.admin.blueprint import bp


@bp.get("/")
def home():
    """Links to the admin tasks."""
    return render_template("admin/home.html")
