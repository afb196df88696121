"""Privacy: comment redaction, anonymity thresholds and small-group suppression.

Pure Python (no Flask, no database); reports, the API and exports all use this one package.
"""

from survey_app.privacy.indexed import suppress_indexed
from survey_app.privacy.redaction import (
    EMAIL_PLACEHOLDER,
    ID_PLACEHOLDER,
    PHONE_PLACEHOLDER,
    RedactionResult,
    redact,
    redact_comment,
)
from survey_app.privacy.suppression import (
    Cell,
    OwnAnswers,
    Relation,
    Suppression,
    period_relations,
    suppress,
    tree_relations,
    violations,
)
from survey_app.privacy.thresholds import Thresholds

__all__ = [
    "EMAIL_PLACEHOLDER",
    "ID_PLACEHOLDER",
    "PHONE_PLACEHOLDER",
    "Cell",
    "OwnAnswers",
    "RedactionResult",
    "Relation",
    "Suppression",
    "Thresholds",
    "period_relations",
    "redact",
    "redact_comment",
    "suppress",
    "suppress_indexed",
    "tree_relations",
    "violations",
]
