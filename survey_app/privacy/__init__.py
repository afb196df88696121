"""Privacy: comment redaction, anonymity thresholds, and the release checks (``gauss`` and
``subtables``, ``audit`` and ``parts``).

Pure Python (no Flask, no database); reports, the API and exports all use this one package.
"""

from survey_app.privacy.redaction import (
    EMAIL_PLACEHOLDER,
    ID_PLACEHOLDER,
    PHONE_PLACEHOLDER,
    RedactionResult,
    redact,
    redact_comment,
)
from survey_app.privacy.thresholds import Thresholds

__all__ = [
    "EMAIL_PLACEHOLDER",
    "ID_PLACEHOLDER",
    "PHONE_PLACEHOLDER",
    "RedactionResult",
    "Thresholds",
    "redact",
    "redact_comment",
]
