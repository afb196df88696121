"""The release ledger: what has been published, when, and how much of it is hidden."""

from __future__ import annotations

from flask import render_template

from survey_app.admin.blueprint import bp
from survey_app.db import get_session
from survey_app.services.releases import ledger


@bp.get("/releases")
def releases():
    """Every release, newest first (read-only: releases are made by the nightly publish)."""
    rows = list(reversed(ledger.release_summaries(get_session())))
    return render_template("admin/releases.html", releases=rows)
