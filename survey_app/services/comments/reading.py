"""Reading released comments: every comment reader (unit pages, workbench, CSV) goes here.

Only released batches are read, within the reader's scope, 50 comments a page in a fixed
order (newest batch first, then the batch's stored random order). Filters select whole label
classes that :mod:`survey_app.privacy.batch_labels` made at least k large, and full-text
search matches only text that is already released, so no filter shows more than the batches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, literal_column, or_, select
from sqlalchemy.orm import Session

from survey_app.errors import Forbidden, InvalidInput, NotFound
from survey_app.models import CommentBatch, OrgUnit, ReleasedComment
from survey_app.periods import Period, period_of
from survey_app.privacy.batch_labels import SCORE_GROUPS
from survey_app.services.access import Scope

#: Comments per page, everywhere.
PAGE_SIZE = 50
#: The language filter's value for comments whose language is not shown.
OTHER_LANGUAGE = "other"
KINDS = ("resident", "pulse")
#: PostgreSQL text-search configuration of the full-text search.
SEARCH_CONFIG = "finnish"
_MAX_QUERY = 200
#: NUL cannot even be sent to PostgreSQL; no filter needs any control character.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class CommentQuery:
    """What to list: a unit's subtree, a kind, a batch, a score group, a language, a text."""

    unit: str | None = None
    kind: str | None = None
    batch: int | None = None
    group: str | None = None
    language: str | None = None
    text: str = ""
    period: Period | None = None


@dataclass(frozen=True, slots=True)
class BatchRef:
    """A released batch as readers see it: whose, which kind, which months, how many."""

    id: int
    unit_code: str
    unit_name: str
    kind: str
    first_month: str
    last_month: str
    size: int

    @property
    def span(self) -> str:
        """``2026-01–2026-03``, or one month."""
        if self.first_month == self.last_month:
            return self.first_month
        return f"{self.first_month}–{self.last_month}"

    def __str__(self) -> str:
        return f"{self.unit_name}, {self.span}"


@dataclass(frozen=True, slots=True)
class ListedComment:
    """One released comment with the labels its batch allows."""

    text: str
    language: str | None
    score_group: str | None
    batch: BatchRef

    @property
    def batch_id(self) -> int:
        """The batch's id (for grouping a page by batch)."""
        return self.batch.id


@dataclass(frozen=True, slots=True)
class CommentPage:
    """One page of comments and where it is in the whole filtered list."""

    comments: tuple[ListedComment, ...]
    total: int
    page: int
    pages: int
    per_page: int = PAGE_SIZE


def check_query(query: CommentQuery) -> CommentQuery:
    """The query, or InvalidInput naming the bad filter (a translated message)."""
    if query.kind not in (None, *KINDS):
        raise InvalidInput(_("Unknown survey kind."))
    if query.group not in (None, *SCORE_GROUPS):
        raise InvalidInput(_("Unknown score group."))
    if any(_CONTROL.search(value or "") for value in (query.text, query.unit, query.language)):
        raise InvalidInput(_("The filters contain control characters; remove them."))
    if len(query.text) > _MAX_QUERY:
        raise InvalidInput(_("The search text is too long: at most %(max)d characters.",
                             max=_MAX_QUERY))
    if query.language is not None and len(query.language) > 12:
        raise InvalidInput(_("Unknown language."))
    return query


def search(session: Session, scope: Scope, query: CommentQuery, page: int = 1,
           lang: str = "fi", per_page: int = PAGE_SIZE) -> CommentPage:
    """One page of the released comments that match ``query`` within ``scope``."""
    if _whole_batches(check_query(query)):
        return _search_batches(session, scope, query, page, lang, per_page)
    statement = _filtered(session, scope, query)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page, pages = _page_of(total, page, per_page)
    rows = session.execute(
        statement.add_columns(ReleasedComment.text, ReleasedComment.language,
                              ReleasedComment.score_group)
        .order_by(CommentBatch.last_month.desc(), CommentBatch.id.desc(),
                  ReleasedComment.position)
        .limit(per_page).offset((page - 1) * per_page)).all()
    batches = _batch_refs(session, {row.batch_id for row in rows}, lang)
    comments = tuple(ListedComment(row.text, row.language, row.score_group,
                                   batches[row.batch_id]) for row in rows)
    return CommentPage(comments, total, page, pages, per_page)


def _page_of(total: int, page: int, per_page: int) -> tuple[int, int]:
    """The page to show (clamped to 1 … pages) and the number of pages (at least 1)."""
    pages = max(1, -(-total // per_page))
    return min(max(1, int(page)), pages), pages


def _whole_batches(query: CommentQuery) -> bool:
    """True when the query selects whole batches (no filter on the comments themselves)."""
    return not (query.group or query.language or query.text.strip())


def _search_batches(session: Session, scope: Scope, query: CommentQuery, page: int, lang: str,
                    per_page: int) -> CommentPage:
    """:func:`search` for whole batches: counted and paged from the batches' sizes, then only
    the page's comments read (a batch's positions are 0 … size − 1 and retention removes
    batches whole), instead of sorting every comment of the subtree for one page."""
    rows = session.execute(
        select(CommentBatch.id, CommentBatch.size)
        .join(OrgUnit, OrgUnit.id == CommentBatch.unit_id)
        .where(*_batch_conditions(session, scope, query))
        .order_by(CommentBatch.last_month.desc(), CommentBatch.id.desc())).all()
    total = sum(int(size) for _, size in rows)
    page, pages = _page_of(total, page, per_page)
    start, end = (page - 1) * per_page, page * per_page
    parts, offset = [], 0
    for batch_id, size in rows:
        if offset >= end:
            break
        if offset + size > start:
            parts.append((int(batch_id), max(0, start - offset), min(size, end - offset)))
        offset += size
    comments: list[ListedComment] = []
    if parts:
        found = session.execute(
            select(ReleasedComment.batch_id, ReleasedComment.position, ReleasedComment.text,
                   ReleasedComment.language, ReleasedComment.score_group)
            .where(or_(*[and_(ReleasedComment.batch_id == batch_id,
                              ReleasedComment.position >= low, ReleasedComment.position < high)
                         for batch_id, low, high in parts]))).all()
        rank = {batch_id: i for i, (batch_id, _, _) in enumerate(parts)}
        found.sort(key=lambda row: (rank[row.batch_id], row.position))
        batches = _batch_refs(session, set(rank), lang)
        comments = [ListedComment(row.text, row.language, row.score_group,
                                  batches[row.batch_id]) for row in found]
    return CommentPage(tuple(comments), total, page, pages, per_page)


def all_matching(session: Session, scope: Scope, query: CommentQuery, lang: str = "fi",
                 chunk: int = 1000):
    """Every matching comment, in page order, fetched ``chunk`` at a time (for CSV)."""
    first = search(session, scope, query, 1, lang, chunk)
    yield from first.comments
    for page in range(2, first.pages + 1):
        yield from search(session, scope, query, page, lang, chunk).comments


def batches(session: Session, scope: Scope, unit: str | None = None, kind: str | None = None,
            lang: str = "fi", limit: int = 300) -> tuple[BatchRef, ...]:
    """Released batches in scope (a unit's subtree when given), newest first, for choosers."""
    statement = (select(CommentBatch.id).join(OrgUnit, OrgUnit.id == CommentBatch.unit_id)
                 .where(scope.unit_filter(), *_unit_condition(session, scope, unit)))
    if kind in KINDS:
        statement = statement.where(CommentBatch.kind == kind)
    ids = session.scalars(statement.order_by(CommentBatch.last_month.desc(),
                                             CommentBatch.id.desc()).limit(limit)).all()
    refs = _batch_refs(session, set(ids), lang)
    return tuple(refs[i] for i in ids)


def languages(session: Session, scope: Scope, query: CommentQuery | None = None
              ) -> tuple[str, ...]:
    """Language codes shown on some released comment matching ``query`` in scope, sorted."""
    query = CommentQuery(**{**_fields(query or CommentQuery()), "language": None})
    if _whole_batches(check_query(query)):
        shown = session.scalars(select(CommentBatch.languages).distinct()
                                .join(OrgUnit, OrgUnit.id == CommentBatch.unit_id)
                                .where(*_batch_conditions(session, scope, query)))
        return tuple(sorted({code for codes in shown for code in codes.split()}))
    statement = (_filtered(session, scope, check_query(query))
                 .where(ReleasedComment.language.is_not(None))
                 .with_only_columns(ReleasedComment.language).distinct())
    return tuple(sorted(session.scalars(statement)))


def _fields(query: CommentQuery) -> dict:
    return {name: getattr(query, name) for name in CommentQuery.__dataclass_fields__}


def _batch_conditions(session: Session, scope: Scope, query: CommentQuery) -> list:
    """The filters on batches (scope, unit subtree, kind, batch, period); ``OrgUnit`` is the
    batch's unit."""
    conditions = [scope.unit_filter(), *_unit_condition(session, scope, query.unit)]
    if query.kind:
        conditions.append(CommentBatch.kind == query.kind)
    if query.batch is not None:
        conditions.append(CommentBatch.id == query.batch)
    if query.period is not None:
        conditions += [CommentBatch.first_month < query.period.end,
                       CommentBatch.last_month >= query.period.start]
    return conditions


def _filtered(session: Session, scope: Scope, query: CommentQuery) -> Select:
    """The released comments matching every filter (selects the batch id only)."""
    statement = (select(ReleasedComment.batch_id)
                 .join(CommentBatch, CommentBatch.id == ReleasedComment.batch_id)
                 .join(OrgUnit, OrgUnit.id == CommentBatch.unit_id)
                 .where(*_batch_conditions(session, scope, query)))
    if query.group:
        statement = statement.where(ReleasedComment.score_group == query.group)
    if query.language == OTHER_LANGUAGE:
        statement = statement.where(ReleasedComment.language.is_(None))
    elif query.language:
        statement = statement.where(ReleasedComment.language == query.language)
    if query.text.strip():
        statement = statement.where(_text_condition(session, query.text.strip()))
    return statement


def _unit_condition(session: Session, scope: Scope, code: str | None) -> list:
    """The subtree of unit ``code`` (NotFound / Forbidden as the report pages), or nothing."""
    if not code:
        return []
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == str(code)))
    if unit is None:
        raise NotFound(_("No unit with the code %(code)s.", code=str(code)[:40]))
    if not scope.allows(unit):
        raise Forbidden()
    return [OrgUnit.path.startswith(unit.path, autoescape=True)]


def _text_condition(session: Session, text: str):
    """Finnish full-text search on PostgreSQL; every word as a substring elsewhere."""
    if session.get_bind().dialect.name == "postgresql":
        config = literal_column(f"'{SEARCH_CONFIG}'::regconfig")
        return func.to_tsvector(config, ReleasedComment.text).bool_op("@@")(
            func.websearch_to_tsquery(config, text))
    words = text.split()[:10]
    return and_(*[ReleasedComment.text.ilike(f"%{_escape_like(word)}%", escape="\\")
                  for word in words])


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _batch_refs(session: Session, ids: set[int], lang: str) -> dict[int, BatchRef]:
    if not ids:
        return {}
    rows = session.execute(select(CommentBatch, OrgUnit).join(
        OrgUnit, OrgUnit.id == CommentBatch.unit_id).where(CommentBatch.id.in_(ids))).all()
    return {batch.id: BatchRef(batch.id, unit.code, unit.name(lang), batch.kind,
                               _month(batch.first_month), _month(batch.last_month), batch.size)
            for batch, unit in rows}


def _month(day: date) -> str:
    return period_of(day, "month").label
