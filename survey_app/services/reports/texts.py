"""Texts shared by the API, exports, the board report and the public pages."""

from __future__ import annotations

from flask_babel import gettext as _

from survey_app.scoring import DEFAULT_METHOD


def suppression_text(reason: str | None, threshold: int) -> str:
    """Why a cell shows no numbers, in the current language ('' when it is shown)."""
    if reason is None:
        return ""
    if reason == "not_released":
        return _("Not released yet")
    # Every hidden cell says the same, whatever the reason: a label such as "fewer than 5"
    # would tell a reader a bound on the hidden count.
    return _("Hidden so that a small group cannot be worked out")


def metric_name(metric: str) -> str:
    """NPS, eNPS, QWL or a QWL factor, in the current language."""
    names = {
        "nps": _("Resident NPS"),
        "enps": _("Staff eNPS"),
        "qwl": _("Quality of working life (QWL)"),
        "safety": _("Safety"),
        "belonging": _("Belonging and competence"),
        "goals": _("Goals and creativity"),
    }
    return names.get(metric, metric)


def method_name(metric: str) -> str:
    """The interval method as the API names it: ``score-cc`` (Tango's score interval with a
    continuity correction, `survey_app.scoring.DEFAULT_METHOD`) for NPS/eNPS, ``t`` for means."""
    return DEFAULT_METHOD if metric in ("nps", "enps") else "t"
