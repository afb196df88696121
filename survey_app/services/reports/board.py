"""The board's strategy report: the county's three indicators and each service area.

Everything comes from the report service with an unrestricted scope: the county total is the
overview of the tree's root, the service areas are the root's children in a unit table per
metric. Suppression, intervals and changes are therefore exactly those of the report pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from survey_app.periods import Period
from survey_app.privacy import Thresholds
from survey_app.services import reports
from survey_app.services.access import Scope

EVERYTHING = Scope(everything=True)


@dataclass(frozen=True, slots=True)
class BoardReport:
    """The county overview (with trends) and one service-area table per metric."""

    overview: reports.Overview
    areas: dict[str, reports.UnitTable]
    thresholds: Thresholds

    @property
    def period(self) -> str:
        """The report's period label."""
        return self.overview.period


def default_period(as_of: date | None = None) -> Period:
    """The latest complete tertial (the Finnish interim-report period): only it is released."""
    from survey_app.services.reports.common import latest_complete

    return latest_complete(as_of or reports.default_as_of(), "tertial")


def board_report(session: Session, period: Period | str, lang: str, *,
                 as_of: date | None = None, thresholds: Thresholds | None = None
                 ) -> BoardReport:
    """The whole county (first root) in ``period``, with its service areas."""
    from survey_app.services.api.catalog import reportable
    from survey_app.services.reports.common import as_period, current_thresholds

    period = reportable(as_period(period))
    thresholds = current_thresholds(thresholds)
    overview = reports.overview(session, EVERYTHING, None, period, lang, as_of=as_of,
                                thresholds=thresholds)
    areas = {metric: reports.unit_table(session, EVERYTHING, overview.unit.code, metric,
                                        overview.period, lang, as_of=as_of,
                                        thresholds=thresholds)
             for metric in reports.METRICS}
    return BoardReport(overview, areas, thresholds)


def plain_method_text(thresholds: Thresholds) -> list[str]:
    """The methods paragraph in plain language, one sentence group per entry."""
    return [
        _("NPS tells how willingly residents would recommend the service: the share of those "
          "who answered 9–10 minus the share of those who answered 0–6, from −100 to 100. "
          "eNPS asks the same of staff about their workplace. QWL is the average of the staff's "
          "quality-of-working-life index from 0 to 100."),
        _("Each figure comes with a 95-percent interval. It shows how much the figure could vary "
          "by chance: with fewer answers the interval is wider."),
        _("The interval is built to contain the true figure at least 94.5 times out of 100, "
          "also for small units where nearly everyone gives the same answer."),
        _("A change is called significant exactly when its interval, widened for the many "
          "comparisons in the report, does not include zero."),
        _("To protect anonymity, no figure is shown for fewer than %(resident)d resident or "
          "%(staff)d staff answers, and another figure is hidden too when a hidden one could "
          "otherwise be worked out from the rest.", resident=thresholds.resident,
          staff=thresholds.staff),
    ]
