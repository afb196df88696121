"""Query parameters of the API, each checked with a clear 400 message."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from survey_app.errors import InvalidInput
from survey_app.i18n import REPORT_LANGUAGES
from survey_app.periods import GRANULARITIES, Period, PeriodError, parse_period
from survey_app.services.api.catalog import MAX_PAGE, MAX_PER_PAGE
from survey_app.services.reports import METRICS

TRUE, FALSE = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no"})
#: Longest value echoed back in an error message.
_ECHO = 20


def _raw(name: str) -> str | None:
    """The parameter's single value (None when absent); repeating it is an error."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise InvalidInput(_("Give the parameter %(name)s only once.", name=name))
    return values[0] if values else None


def integer(name: str, default: int, low: int, high: int) -> int:
    """A whole number within [low, high]."""
    raw = _raw(name)
    if raw is None:
        return default
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9 or not low <= int(text) <= high:
        raise InvalidInput(_("The parameter %(name)s must be a whole number from %(low)d to "
                             "%(high)d.", name=name, low=low, high=high))
    return int(text)


def page() -> tuple[int, int]:
    """``page`` (from 1) and ``per_page`` (1–200, default 50)."""
    return integer("page", 1, 1, MAX_PAGE), integer("per_page", 50, 1, MAX_PER_PAGE)


def boolean(name: str, default: bool = False) -> bool:
    """true/false (also 1/0, yes/no)."""
    raw = _raw(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise InvalidInput(_("The parameter %(name)s must be true or false.", name=name))


def metric() -> str:
    """Required: nps, enps or qwl."""
    raw = _raw("metric")
    if raw is None or not raw.strip():
        raise InvalidInput(_("The parameter metric is required: nps, enps or qwl."))
    if raw.strip().lower() not in METRICS:
        raise InvalidInput(_("Unknown metric %(value)s; use nps, enps or qwl.",
                             value=raw[:_ECHO]))
    return raw.strip().lower()


def period() -> Period:
    """Required: 2026-03, 2026-Q1, 2026-T1 or 2026."""
    raw = _raw("period")
    if raw is None or not raw.strip():
        raise InvalidInput(_("The parameter period is required, e.g. 2026-Q1."))
    try:
        return parse_period(raw)
    except PeriodError:
        raise InvalidInput(_("The period %(value)s is not valid. Write for example 2026-03, "
                             "2026-Q1, 2026-T1 or 2026.", value=raw[:_ECHO])) from None


def granularity() -> str | None:
    """Optional: month, quarter, tertial or year."""
    raw = _raw("granularity")
    if raw is None:
        return None
    if raw.strip().lower() not in GRANULARITIES:
        raise InvalidInput(_("Unknown granularity %(value)s; use month, quarter, tertial or "
                             "year.", value=raw[:_ECHO]))
    return raw.strip().lower()


def unit_code() -> str | None:
    """Optional unit code (default: the first top unit the token may read)."""
    raw = _raw("unit")
    if raw is None:
        return None
    if not raw.strip() or len(raw) > 40:
        raise InvalidInput(_("The parameter unit must be a unit code of 1–40 characters."))
    return raw.strip()


def language() -> str:
    """Optional ``lang`` of unit names: fi (default), sv or en."""
    raw = _raw("lang")
    if raw is None:
        return "fi"
    if raw not in REPORT_LANGUAGES:
        raise InvalidInput(_("The parameter lang must be fi, sv or en."))
    return raw
