"""The audit log: who did what, when (Helsinki time, per locale), newest first."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from survey_app.admin.blueprint import bp
from survey_app.db import get_session
from survey_app.services import audit

#: What each audited action is called in the page's language (the code is shown beside it).
ACTION_NAMES = {
    "invitations.create": _l("Invitation links created"),
    "mail.invite": _l("Invitations queued for e-mail"),
    "mail.remind": _l("Reminders queued for e-mail"),
    "posters.download": _l("Poster downloaded"),
    "retention.apply": _l("Old answers deleted"),
    "round.close": _l("Pulse round closed"),
    "round.create": _l("Pulse round created"),
    "round.open": _l("Pulse round opened"),
    "surveys.close": _l("Resident feedback closed"),
    "surveys.open": _l("Resident feedback opened"),
    "token.create": _l("API token created"),
    "token.revoke": _l("API token revoked"),
    "units.import": _l("Unit file imported"),
    "units.sms": _l("SMS asks switched"),
    "user.create": _l("User created"),
    "user.disable": _l("User disabled"),
    "user.enable": _l("User enabled"),
    "user.set_password": _l("Password changed"),
    "visits.queue": _l("Visits queued for asking"),
}
REFUSED = ".refused"


def action_name(action: str) -> str:
    """The action in the page's language; refusals say so; unknown codes as they are."""
    refused = action.endswith(REFUSED)
    base = action.removesuffix(REFUSED)
    name = ACTION_NAMES.get(base)
    if name is None:
        if base.startswith("export."):
            name = _l("Export downloaded")
        else:
            return action
    return str(_l("Refused: %(action)s", action=name)) if refused else str(name)


PAGE_SIZE = 50
#: Pages past this are not offered (keeps the offset a sane number for the database).
MAX_PAGE = 100_000


@bp.get("/audit")
def audit_log():
    """One page of audit events; ``?page=N``."""
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    events = audit.recent(get_session(), limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    return render_template("admin/audit.html", events=events[:PAGE_SIZE], page=page,
                           action_name=action_name,
                           has_next=len(events) > PAGE_SIZE and page < MAX_PAGE)
