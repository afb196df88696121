"""The audit log: who did what, when (Helsinki time, per locale), newest first."""

from __future__ import annotations

from flask import render_template, request

from survey_app.admin.blueprint import bp
from survey_app.db import get_session
from survey_app.services import audit

PAGE_SIZE = 50
#: Pages past this are not offered (keeps the offset a sane number for the database).
MAX_PAGE = 100_000


@bp.get("/audit")
def audit_log():
    """One page of audit events; ``?page=N``."""
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    events = audit.recent(get_session(), limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    return render_template("admin/audit.html", events=events[:PAGE_SIZE], page=page,
                           has_next=len(events) > PAGE_SIZE and page < MAX_PAGE)
