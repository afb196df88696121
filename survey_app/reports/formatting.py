"""Numbers, intervals and changes as text in the page's locale (``−12,5`` in Finnish)."""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _

from survey_app.services.reports import Change, MetricCell
from survey_app.services.reports.texts import suppression_text

MINUS = "\u2212"


def number(value: float | None, digits: int = 1) -> str:
    """A score in the current locale with a true minus sign (−12,5); an en dash for no value.

    A value that rounds to zero is written without a sign.
    """
    if value is None:
        return "–"
    rounded = round(float(value), digits) + 0.0
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    text = format_decimal(abs(rounded), format=pattern)
    return MINUS + text if rounded < 0 else text


def signed(value: float | None) -> str:
    """A change with its sign (+3,2 / −1,0 / 0,0)."""
    if value is None:
        return "–"
    text = number(value)
    return "+" + text if round(float(value), 1) > 0 else text


def interval(low: float | None, high: float | None) -> str:
    """``−17,5 … −6,7`` (English ``−17.5 to −6.7``), or an en dash when undefined."""
    if low is None or high is None:
        return "–"
    return _("%(low)s to %(high)s", low=number(low), high=number(high))


def cell_text(cell: MetricCell) -> str:
    """The score of a cell, or why it is not shown, or that nobody answered."""
    if not cell.shown:
        return suppression_text(cell.suppressed, cell.threshold)
    if not cell.n:
        return _("No answers")
    return number(cell.value)


def change_text(change: Change | None) -> str:
    """``+5,0 (−2,1 … 12,0), significant`` or an en dash."""
    if change is None or change.delta is None:
        return "–"
    text = f"{signed(change.delta)} ({interval(change.low, change.high)})"
    if change.significant:
        text += " " + _("significant")
    return text


def helpers() -> dict:
    """The functions for templates."""
    return {"fmt_number": number, "fmt_interval": interval, "fmt_cell": cell_text,
            "fmt_change": change_text, "fmt_signed": signed}
