"""Employee NPS: the NPS mathematics under staff-survey names, so reports read naturally.

eNPS asks staff how likely they are to recommend their workplace (0–10); the categories, the
estimate and every interval are exactly those of `survey_app.scoring.nps`.
"""

from __future__ import annotations

from .nps import (
    DEFAULT_METHOD,
    GroupedNps,
    NpsInterval,
    grouped_nps,
    grouped_nps_from_counts,
    nps_interval,
)

EnpsInterval = NpsInterval
GroupedEnps = GroupedNps


def enps_interval(
    detractors, passives, promoters, confidence=0.95, method=DEFAULT_METHOD
) -> NpsInterval:
    """eNPS of one group with a confidence interval; formulas and edge cases of `nps_interval`."""
    return nps_interval(detractors, passives, promoters, confidence, method)


def grouped_enps(keys, scores, confidence=0.95, method=DEFAULT_METHOD) -> GroupedNps:
    """eNPS per distinct key from raw 0–10 answers; see `grouped_nps`."""
    return grouped_nps(keys, scores, confidence, method)


def grouped_enps_from_counts(
    detractors, passives, promoters, confidence=0.95, method=DEFAULT_METHOD, keys=None
) -> GroupedNps:
    """eNPS for many groups from category counts; see `grouped_nps_from_counts`."""
    return grouped_nps_from_counts(detractors, passives, promoters, confidence, method, keys)
