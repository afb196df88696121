"""The comment workbench: search, filter and page through released comments; CSV of a view.

Thin: the filters come from the query string, :mod:`survey_app.services.comments` reads only
released batches within the user's scope. A bad filter answers 400 with the form and an
inline, translated error; it never shows a comment.
"""

from __future__ import annotations

import re

from flask import Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from survey_app.auth.access import current_scope
from survey_app.db import get_session
from survey_app.errors import InvalidInput
from survey_app.i18n import current_language
from survey_app.privacy import Thresholds
from survey_app.services import comments, reports
from survey_app.services.audit import record
from survey_app.services.reports import files
from survey_app.services.reports.common import as_period
from survey_app.services.reports.tables import Column, Table

from . import comment_labels
from .views import _page_number, bp

#: Query-string names of the filters, in the order the form and the links use.
FILTERS = ("q", "unit", "kind", "batch", "group", "lang", "period")


def _query() -> comments.CommentQuery:
    """The filters from the query string (InvalidInput for a malformed one)."""
    args = request.args
    batch = args.get("batch", "")
    if batch and not batch.isdigit():
        raise InvalidInput(_("Unknown batch."))
    period = as_period(args["period"]) if args.get("period") else None
    return comments.check_query(comments.CommentQuery(
        unit=args.get("unit") or None, kind=args.get("kind") or None,
        batch=int(batch) if batch else None, group=args.get("group") or None,
        language=args.get("lang") or None, text=args.get("q", "").strip(), period=period))


def _options(session, scope, query: comments.CommentQuery | None, lang: str) -> dict:
    """The choices of the filter form, all within the scope."""
    unit = query.unit if query else None
    kind = query.kind if query else None
    as_of = reports.default_as_of()
    return {"units": reports.units_in_scope(session, scope, lang),
            "batches": comments.batches(session, scope, unit, kind, lang),
            "languages": comments.languages(session, scope,
                                            comments.CommentQuery(unit=unit, kind=kind)),
            "groups": comment_labels.GROUP_NAMES, "kinds": comment_labels.KIND_NAMES,
            "periods": reports.recent_periods(as_of), "as_of": as_of}


@bp.get("/comments")
def comment_workbench():
    """Released comments, 50 a page, with full-text search and filters."""
    session, scope, lang = get_session(), current_scope(), current_language()
    values = {name: request.args.get(name, "") for name in FILTERS}
    try:
        query, page = _query(), _page_number()
        result = comments.search(session, scope, query, page, lang)
        error, status = None, 200
    except InvalidInput as problem:
        query, result, error, status = None, None, problem.message, 400
    options = _options(session, scope, query, lang)
    chooser = {"unit": values["unit"] or None, "period": values["period"] or None,
               "as_of": options["as_of"]}
    return render_template("reports/comments.html", result=result, values=values,
                           options=options, error=error, chooser=chooser,
                           threshold=Thresholds.from_config(current_app.config)), status


@bp.get("/comments.csv")
def comment_export():
    """The filtered view as CSV (every page), through the same batch rules; audited."""
    session, scope, lang = get_session(), current_scope(), current_language()
    query = _query()
    rows = tuple((c.batch.unit_code, c.batch.unit_name, comment_labels.kind_name(c.batch.kind),
                  c.batch.first_month, c.batch.last_month, c.batch.id,
                  comment_labels.language_name(c.language) if c.language else "",
                  comment_labels.group_name(c.score_group), c.text)
                 for c in comments.all_matching(session, scope, query, lang))
    table = Table("comments", _("Comments"), tuple(Column(header) for header in (
        _("Unit code"), _("Unit"), _("Respondents"), _("First month"), _("Last month"),
        _("Batch"), _("Language"), _("Score group"), _("Comment"))), rows)
    body = files.csv_bytes(table, lang if lang in files.CSV_DIALECTS else "en")
    # The audit log notes the filters, never a comment or the words searched for.
    detail = " ".join(f"{name}={request.args.get(name, '')[:40]}" for name in FILTERS
                      if name != "q") + f" text={'yes' if query.text else 'no'} rows={len(rows)}"
    record(session, current_user.username, "export.csv", f"comments {detail}")
    session.commit()
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"comments-{query.unit or 'all'}")
    return Response(body, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{stem}.csv"', "Cache-Control": "no-store"})
