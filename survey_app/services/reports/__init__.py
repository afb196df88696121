"""Reports: the one place that turns released cells into report numbers.

Pages, the JSON API and exports all call these functions; each takes the reader's Scope and
raises Forbidden (403) for a unit outside it, NotFound (404) for an unknown unit, InvalidInput
(400) for a bad period, metric or sort. Every result is plain frozen data (see ``results``).
"""

from survey_app.services.reports.common import (
    TREND_LENGTH,
    default_as_of,
    default_period,
    recent_periods,
)
from survey_app.services.reports.results import (
    METRIC_KINDS,
    METRICS,
    Change,
    ChannelShare,
    Comment,
    CommentList,
    Distribution,
    FactorCell,
    Funnel,
    FunnelLimit,
    FunnelPoint,
    MetricCell,
    MetricSummary,
    Overview,
    StatementCell,
    UnitDetail,
    UnitRef,
    UnitTable,
)
from survey_app.services.reports.service import (
    SORTS,
    comments,
    funnel,
    overview,
    unit_detail,
    unit_table,
    units_in_scope,
)

__all__ = [
    "METRICS", "METRIC_KINDS", "SORTS", "TREND_LENGTH", "Change", "ChannelShare", "Comment",
    "CommentList", "Distribution", "FactorCell", "Funnel", "FunnelLimit", "FunnelPoint",
    "MetricCell", "MetricSummary", "Overview", "StatementCell", "UnitDetail", "UnitRef",
    "UnitTable", "comments", "default_as_of", "default_period", "recent_periods",
    "units_in_scope", "funnel", "overview", "unit_detail", "unit_table",
]
