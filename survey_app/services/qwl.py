"""The one bridge from an instrument's answers to the scoring package's QWL person rule.

The instrument names its factors ``safety``, ``belonging`` and ``goals``; the scoring
package orders them as ``FACTORS``. The per-person rule is the scoring package's (our own
open rule by default); a county's licensed rule is plugged in there, not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import numpy as np

from survey_app.instruments import Instrument, load_instrument
from survey_app.scoring.qwl import FACTORS, QwlInstrument, qwl_person_scores

#: Instrument factor key → scoring factor name.
FACTOR_NAMES = {"safety": "safety", "belonging": "belonging_competence",
                "goals": "goals_creativity"}
#: Measures kept per person in the aggregates: the index and each instrument factor.
MEASURES = ("qwl", *FACTOR_NAMES)


def scoring_instrument(instrument: Instrument) -> QwlInstrument:
    """The scoring package's view of a pulse instrument's QWL items."""
    return _scoring_instrument(instrument.key, instrument.version)


@cache
def _scoring_instrument(key: str, version: int) -> QwlInstrument:
    instrument = load_instrument(key, version)
    items = [item for item in instrument.items if item.factor]
    return QwlInstrument(items=tuple(i.id for i in items),
                         factors=tuple(FACTOR_NAMES[i.factor] for i in items),
                         scale_min=instrument.scale_min, scale_max=instrument.scale_max)


def person_measures(instrument: Instrument, answers: Mapping[str, int | None]) -> dict:
    """Index and factor scores (0–100, None where the rule cannot score) of one person."""
    qwl = scoring_instrument(instrument)
    row = np.array([[np.nan if answers.get(item) is None else float(answers[item])
                     for item in qwl.items]])
    person = qwl_person_scores(row, qwl).person(0)
    result = {"qwl": person["index"]}
    for key, name in FACTOR_NAMES.items():
        result[key] = person[name]
    return result


assert set(FACTOR_NAMES.values()) == set(FACTORS)
