"""The one adapter between a pulse answer and the QWL per-person rule of ``scoring``.

Everything else in the pulse part asks this module for a person's measures, so a county's
licensed rule replaces ``RULE`` here and nothing else changes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache

from survey_app.instruments import Instrument, load_instrument
from survey_app.scoring import OPEN_QWL_RULE, PersonRule, QwlInstrument, qwl_person_scores

#: The per-person rule in use: our own open rule (not a licensed QWL index).
RULE: PersonRule = OPEN_QWL_RULE
#: Instrument factor key → the factor name used by ``scoring``.
SCORING_FACTORS = {"safety": "safety", "belonging": "belonging_competence",
                   "goals": "goals_creativity"}
#: Names of the stored measures (``StaffMeasure.measure``): the index, then each factor.
MEASURES: tuple[str, ...] = ("qwl", *SCORING_FACTORS)


def qwl_instrument(instrument: Instrument) -> QwlInstrument:
    """The scoring view of an instrument: item ids, their factors and the scale."""
    return _qwl_instrument(instrument.key, instrument.version)


@cache
def _qwl_instrument(key: str, version: int) -> QwlInstrument:
    instrument = load_instrument(key, version)
    items = tuple(item for item in instrument.items if item.factor in SCORING_FACTORS)
    return QwlInstrument(tuple(item.id for item in items),
                         tuple(SCORING_FACTORS[item.factor] for item in items),
                         float(instrument.scale_min), float(instrument.scale_max),
                         frozenset(instrument.data.get("reversed_items", ())))


def person_measures(instrument: Instrument,
                    answers: Mapping[str, int | None]) -> dict[str, float | None]:
    """``{"qwl": …, "safety": …, "belonging": …, "goals": …}`` on 0–100; None where not scorable.

    ``answers`` maps item ids to scale values, None for "cannot say" (left out by the rule).
    """
    spec = qwl_instrument(instrument)
    row = [math.nan if answers.get(item) is None else float(answers[item]) for item in spec.items]
    person = qwl_person_scores([row], spec, RULE).person(0)
    result = {"qwl": person["index"]}
    result.update({key: person[name] for key, name in SCORING_FACTORS.items()})
    return result
