"""Pure statistics for NPS, eNPS and QWL: estimates, confidence intervals and comparisons.

numpy and scipy only: nothing here imports Flask, SQLAlchemy or any other part of the app, does
I/O or keeps state. Scalar functions return frozen dataclasses with None where a value is
undefined; grouped functions return column arrays (masked where undefined, never NaN) and solve
all groups at once. Bad input raises `ScoringError`.
"""

from .compare import (
    DIFFERENCE_METHODS,
    Difference,
    Differences,
    FalseDiscovery,
    benjamini_hochberg,
    enps_difference,
    enps_differences,
    nps_difference,
    nps_differences,
    welch_difference,
    welch_differences,
)
from .enps import EnpsInterval, GroupedEnps, enps_interval, grouped_enps, grouped_enps_from_counts
from .errors import ScoringError
from .fdr import FdrLevel, excludes_zero, fdr_adjusted_level
from .funnel import (
    ADJUSTMENTS,
    FUNNEL_LEVELS,
    FunnelLimits,
    Overdispersion,
    estimate_overdispersion,
    mean_funnel_limits,
    nps_funnel_limits,
)
from .means import (
    GroupedMeans,
    MeanInterval,
    MomentSums,
    grouped_mean,
    grouped_mean_from_sums,
    mean_interval,
    mean_interval_from_sums,
)
from .nps import (
    DEFAULT_METHOD,
    METHODS,
    GroupedNps,
    NpsInterval,
    categorise_score_counts,
    grouped_nps,
    grouped_nps_from_counts,
    nps_interval,
)
from .qwl import (
    FACTORS,
    OPEN_QWL_RULE,
    GroupedQwl,
    OpenQwlRule,
    PersonRule,
    PersonScores,
    QwlInstrument,
    QwlInterval,
    grouped_qwl,
    grouped_qwl_from_sums,
    qwl_interval,
    qwl_person_scores,
)

__all__ = [
    "ADJUSTMENTS",
    "DEFAULT_METHOD",
    "DIFFERENCE_METHODS",
    "FACTORS",
    "FUNNEL_LEVELS",
    "METHODS",
    "OPEN_QWL_RULE",
    "Difference",
    "Differences",
    "EnpsInterval",
    "FalseDiscovery",
    "FdrLevel",
    "FunnelLimits",
    "GroupedEnps",
    "GroupedMeans",
    "GroupedNps",
    "GroupedQwl",
    "MeanInterval",
    "MomentSums",
    "NpsInterval",
    "OpenQwlRule",
    "Overdispersion",
    "PersonRule",
    "PersonScores",
    "QwlInstrument",
    "QwlInterval",
    "ScoringError",
    "benjamini_hochberg",
    "categorise_score_counts",
    "enps_difference",
    "enps_differences",
    "enps_interval",
    "estimate_overdispersion",
    "excludes_zero",
    "fdr_adjusted_level",
    "grouped_enps",
    "grouped_enps_from_counts",
    "grouped_mean",
    "grouped_mean_from_sums",
    "grouped_nps",
    "grouped_nps_from_counts",
    "grouped_qwl",
    "grouped_qwl_from_sums",
    "mean_funnel_limits",
    "mean_interval",
    "mean_interval_from_sums",
    "nps_difference",
    "nps_differences",
    "nps_funnel_limits",
    "nps_interval",
    "qwl_interval",
    "qwl_person_scores",
    "welch_difference",
    "welch_differences",
]
