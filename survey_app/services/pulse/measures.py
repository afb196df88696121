"""A pulse answer's per-person measures (QWL index and factor scores, 0–100).

The pulse part asks only this module; it delegates to ``services.qwl``, the one bridge to
the scoring package's per-person rule, which the demo data and ``rebuild`` use too. So a
stored answer, its aggregates and any rebuild agree, and a county's licensed rule plugs in
in one place.
"""

from __future__ import annotations

from survey_app.services.qwl import MEASURES, person_measures

__all__ = ["MEASURES", "person_measures"]
