"""Unit file upload (all or nothing, every bad line shown) and the unit list."""

from __future__ import annotations

from flask import render_template

from survey_app.admin.blueprint import bp
from survey_app.admin.common import actor, form_errors, refuse, refuse_form
from survey_app.admin.forms import UnitUploadForm
from survey_app.db import get_session
from survey_app.services.units import COLUMNS, UnitImportError, import_units, list_units


@bp.get("/units")
def units():
    """Every unit in tree order."""
    return render_template("admin/units.html", units=list_units(get_session()))


@bp.route("/units/upload", methods=["GET", "POST"])
def upload_units():
    """Upload a unit CSV: import it whole, or show every bad line and import nothing."""
    form = UnitUploadForm()
    context = {"form": form, "columns": COLUMNS, "problems": [], "report": None}
    if not form.validate_on_submit():
        context["errors"] = form_errors(form)
        if not form.is_submitted():
            return render_template("admin/units_upload.html", **context)
        refuse_form("units.import", form)
        return render_template("admin/units_upload.html", **context), 400
    try:
        context["report"] = import_units(get_session(), form.file.data.read(), actor=actor())
    except UnitImportError as error:
        refuse("units.import", f"{len(error.problems)} problem(s); first: "
               f"{error.problems[0][1]} (line {error.problems[0][0]})")
        context["problems"] = error.problems
        return render_template("admin/units_upload.html", **context), 400
    return render_template("admin/units_upload.html", **context)
