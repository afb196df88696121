"""Staff pulse rounds: rounds, single-use invitations, and answering."""

from survey_app.services.pulse.finalize import finalize_closed_rounds, rounds_to_finalize
from survey_app.services.pulse.invitations import (
    BatchReport,
    create_invitation_links,
    create_invitations,
    invitation_count,
    new_token,
    parse_sizes,
    single_invitee_units,
    token_hash,
    token_key,
)
from survey_app.services.pulse.marks import guards_in_database, mark_batch
from survey_app.services.pulse.rounds import (
    CLOSED,
    HELSINKI,
    OPEN,
    SCHEDULED,
    RoundSummary,
    close_round,
    create_round,
    get_round,
    list_rounds,
    open_round,
    parse_moment,
    round_state,
)
from survey_app.services.pulse.submission import (
    CANNOT_SAY,
    AnswerErrors,
    InvitationExpired,
    InvitationUsed,
    OpenInvitation,
    PulseAnswer,
    RoundNotOpen,
    UnknownInvitation,
    comment_limit,
    link_used,
    open_invitation,
    parse_answer,
    submit,
)
from survey_app.services.qwl import MEASURES, person_measures

__all__ = [
    "CANNOT_SAY", "CLOSED", "HELSINKI", "MEASURES", "OPEN", "SCHEDULED", "AnswerErrors",
    "BatchReport", "InvitationExpired", "InvitationUsed", "OpenInvitation", "PulseAnswer",
    "RoundNotOpen", "RoundSummary", "UnknownInvitation", "close_round", "comment_limit",
    "create_invitation_links", "create_invitations", "create_round", "finalize_closed_rounds",
    "get_round", "guards_in_database", "invitation_count", "link_used", "list_rounds",
    "mark_batch", "new_token",
    "rounds_to_finalize", "single_invitee_units", "token_key",
    "open_invitation", "open_round", "parse_answer", "parse_moment", "parse_sizes",
    "person_measures", "round_state", "submit", "token_hash",
]
