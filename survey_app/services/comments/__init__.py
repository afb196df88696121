"""Comments in frozen batches: publishing them and reading them (issue 12 §4, issue 16)."""

from survey_app.services.comments.publish import ConcurrentPublish, publish_comment_batches
from survey_app.services.comments.reading import (
    KINDS,
    OTHER_LANGUAGE,
    PAGE_SIZE,
    BatchRef,
    CommentPage,
    CommentQuery,
    ListedComment,
    all_matching,
    batches,
    check_query,
    languages,
    search,
)

__all__ = [
    "KINDS", "OTHER_LANGUAGE", "PAGE_SIZE", "BatchRef", "CommentPage", "CommentQuery",
    "ConcurrentPublish", "ListedComment", "all_matching", "batches", "check_query", "languages",
    "publish_comment_batches", "search",
]
