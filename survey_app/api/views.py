"""The API's endpoints: thin views over `survey_app.services.api.catalog`."""

from __future__ import annotations

from flask import g, jsonify, request, url_for

from survey_app.api import bp, params
from survey_app.api.openapi import document
from survey_app.db import get_session
from survey_app.services.api import catalog
from survey_app.services.reports import Change, MetricCell
from survey_app.services.reports.texts import method_name, suppression_text

#: Confidence level of every interval the report service gives.
CONFIDENCE = 0.95


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 description of this API (no token needed)."""
    response = jsonify(document(request.host_url.rstrip("/")))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/units")
def units():
    """Units the token may read, by code, paginated."""
    number, per_page = params.page()
    session = get_session()
    listing = catalog.list_units(session, g.api_scope, number, per_page)
    parents = catalog.parent_codes(session, listing.items)
    items = [{"code": u.code, "parent": parents.get(u.parent_id), "kind": u.kind.value,
              "active": u.active, "depth": u.depth,
              "names": {"fi": u.name_fi, "sv": u.name_sv, "en": u.name_en}}
             for u in listing.items]
    return jsonify(_paged(listing, items, "api.units"))


@bp.get("/rounds")
def rounds():
    """Pulse rounds that cover a unit the token may read, newest first, paginated."""
    number, per_page = params.page()
    listing = catalog.list_rounds(get_session(), g.api_scope, number, per_page)
    items = []
    for survey in listing.items:
        opens, closes = catalog.round_days(survey)
        items.append({"code": survey.code, "title": survey.title, "unit": survey.unit.code,
                      "opens_on": opens.isoformat(),
                      "closes_on": closes.isoformat() if closes else None,
                      "state": catalog.round_state(survey)})
    return jsonify(_paged(listing, items, "api.rounds"))


@bp.get("/scores")
def scores():
    """A metric of a unit (and its children) in a period or in each part of it."""
    metric, period = params.metric(), params.period()
    unit, granularity = params.unit_code(), params.granularity()
    children, lang = params.boolean("children"), params.language()
    rows = catalog.scores(get_session(), g.api_scope, metric, unit, period, granularity,
                          children, lang)
    return jsonify({
        "metric": metric,
        "period": period.label,
        "granularity": granularity or period.granularity,
        "unit": rows[0].unit.code,
        "results": [dict(_unit_json(row), **cell_json(row.cell)) for row in rows],
    })


def _unit_json(row: catalog.ScoreRow) -> dict:
    return {"unit": row.unit.code, "name": row.unit.name, "role": row.role}


def cell_json(cell: MetricCell) -> dict:
    """A score cell as the API shows it; a hidden cell has the reason and no numbers."""
    shown = cell.shown
    return {
        "period": cell.period,
        "n": cell.n if shown else None,
        "value": _round(cell.value) if shown else None,
        "low": _round(cell.low) if shown else None,
        "high": _round(cell.high) if shown else None,
        "method": method_name(cell.metric),
        "confidence": CONFIDENCE,
        "threshold": cell.threshold,
        "suppressed": not shown,
        "suppression_reason": cell.suppressed,
        "suppression_text": suppression_text(cell.suppressed, cell.threshold) or None,
        "distribution": _distribution_json(cell) if shown else None,
        "change_previous": _change_json(cell.change_previous) if shown else None,
        "change_year": _change_json(cell.change_year) if shown else None,
    }


def _distribution_json(cell: MetricCell) -> dict | None:
    d = cell.distribution
    if d is None:
        return None
    return {"detractors": d.detractors, "passives": d.passives, "promoters": d.promoters}


def _change_json(change: Change | None) -> dict | None:
    if change is None:
        return None
    return {"against": change.against, "delta": _round(change.delta), "low": _round(change.low),
            "high": _round(change.high), "p": _round(change.p, 4),
            "adjusted_p": _round(change.adjusted_p, 4), "significant": change.significant,
            "confidence": _round(change.confidence, 4)}


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def _paged(listing: catalog.Page, items: list, endpoint: str) -> dict:
    """Items with page, per_page, total and a ``next`` link (None on the last page)."""
    following = (url_for(endpoint, page=listing.page + 1, per_page=listing.per_page,
                         _external=True) if listing.has_next else None)
    return {"items": items, "page": listing.page, "per_page": listing.per_page,
            "total": listing.total, "next": following}
