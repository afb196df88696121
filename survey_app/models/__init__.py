"""Typed SQLAlchemy models, one module per aggregate; importing this registers them all."""

from survey_app.db import Base
from survey_app.models.aggregate import (
    SCORE_COLUMNS,
    ResidentDaily,
    ResidentItemDaily,
    ResidentMonthly,
    StaffItemCount,
    StaffMeasure,
    StaffRound,
)
from survey_app.models.audit import AuditEvent
from survey_app.models.comment import CommentBatch, ReleasedComment
from survey_app.models.invitation import FinalizedRound, Invitation, PendingMark
from survey_app.models.reach import (
    AskedRecently,
    MailRecipient,
    OutboxMessage,
    ReachCount,
    SmsCode,
)
from survey_app.models.release import Release, ReleasedCell
from survey_app.models.response import Response
from survey_app.models.survey import Survey, SurveyKind
from survey_app.models.unit import OrgUnit, UnitKind
from survey_app.models.user import ApiToken, ApiTokenScope, Role, User, UserScope

__all__ = [
    "SCORE_COLUMNS",
    "ApiToken",
    "ApiTokenScope",
    "AskedRecently",
    "AuditEvent",
    "CommentBatch",
    "Base",
    "FinalizedRound",
    "Invitation",
    "MailRecipient",
    "OrgUnit",
    "PendingMark",
    "Release",
    "ReleasedCell",
    "OutboxMessage",
    "ReachCount",
    "ResidentDaily",
    "ResidentItemDaily",
    "ResidentMonthly",
    "ReleasedComment",
    "Response",
    "Role",
    "SmsCode",
    "StaffItemCount",
    "StaffMeasure",
    "StaffRound",
    "Survey",
    "SurveyKind",
    "UnitKind",
    "User",
    "UserScope",
]
