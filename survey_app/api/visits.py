"""``POST /api/v1/visits``: the patient system hands over visits to ask about (visits token).

Body: ``{"visits": [{"unit_code", "phone", "email", "language", "visit_time"}, …]}`` (at most
``MAX_VISITS``). The batch is checked whole: any bad visit → 400 with every problem listed
(``problems``: visit number, field, message) and nothing queued. Otherwise 202 with counts.
"""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from survey_app.api import bp
from survey_app.db import get_session
from survey_app.errors import InvalidInput
from survey_app.services.reach import visits as visit_service


@bp.post("/visits")
def post_visits():
    """Queue asks for a batch of visits (all or nothing)."""
    body = request.get_json(silent=True) if request.is_json else None
    items = body.get("visits") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise InvalidInput(_('Send JSON {"visits": [...]} with the header '
                             "Content-Type: application/json."))
    if len(items) > visit_service.MAX_VISITS:
        raise InvalidInput(_("At most %(max)d visits in one request.",
                             max=visit_service.MAX_VISITS))
    try:
        report = visit_service.queue_visits(get_session(), items,
                                            actor=f"api:{g.api_token.name}"[:120], unit="visit")
    except visit_service.VisitBatchError as error:
        return jsonify({"error": error.code, "message": error.message.split("\n", 1)[0],
                        "problems": [{"visit": n, "field": field or None, "message": reason}
                                     for n, field, reason in error.problems]}), 400
    return jsonify(report.as_dict()), 202
