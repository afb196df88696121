"""Keep the report aggregates in step with the responses (DESIGN §3).

``add_resident`` and ``add_staff`` run inside the transaction that inserts the response
(one upsert statement per table), so an answer and its aggregate are stored together or
not at all. ``AggregateBuffer`` does the same for many responses at once (demo data,
``rebuild``), with the same row rules.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from survey_app.models import (
    ResidentDaily,
    ResidentItemDaily,
    ResidentMonthly,
    Response,
    StaffItemCount,
    StaffMeasure,
    StaffRound,
    Survey,
    SurveyKind,
)

#: Value stored for a "cannot say" answer in the item-count tables.
CANNOT_SAY = 0


def score_increments(score: int | None, has_comment: bool) -> dict[str, int]:
    """Column increments of one response in a score-count row."""
    increments = {"n": 1, "comments": int(has_comment)}
    if score is not None:
        increments[f"c{score}"] = 1
    return increments


def item_values(answers: Mapping[str, int | None]) -> list[tuple[str, int]]:
    """(item, value) pairs with "cannot say" (None) stored as 0."""
    return [(item, CANNOT_SAY if value is None else int(value)) for item, value in answers.items()]


def add_resident(session: Session, response: Response) -> None:
    """Add one resident response to the per-day aggregates (flushes, no commit)."""
    key = {"survey_id": response.survey_id, "unit_id": response.unit_id,
           "day": response.day, "channel": response.channel}
    increments = score_increments(response.score, bool(response.comment))
    _upsert_counts(session, ResidentDaily, [{**key, **increments}])
    _upsert_counts(session, ResidentMonthly, [
        {"survey_id": response.survey_id, "unit_id": response.unit_id,
         "month": response.day.replace(day=1), **increments}])
    items = [{"survey_id": response.survey_id, "unit_id": response.unit_id, "day": response.day,
              "item": item, "value": value, "count": 1}
             for item, value in item_values(response.answers)]
    _upsert_counts(session, ResidentItemDaily, items)


def add_resident_details(session: Session, survey_id: int, unit_id: int, day: date,
                         channel: str, answers: Mapping[str, int | None],
                         has_comment: bool) -> None:
    """Add the statements and comment that complete a stored short answer (flushes).

    The answer's 0–10 score and its ``n`` were counted when it was stored: only the statement
    counts and the comment count move here.
    """
    if has_comment:
        _upsert_counts(session, ResidentDaily, [
            {"survey_id": survey_id, "unit_id": unit_id, "day": day, "channel": channel,
             "n": 0, "comments": 1}])
        _upsert_counts(session, ResidentMonthly, [
            {"survey_id": survey_id, "unit_id": unit_id, "month": day.replace(day=1), "n": 0,
             "comments": 1}])
    _upsert_counts(session, ResidentItemDaily, [
        {"survey_id": survey_id, "unit_id": unit_id, "day": day, "item": item, "value": value,
         "count": 1} for item, value in item_values(answers)])


def add_staff(session: Session, response: Response, measures: Mapping[str, float | None]) -> None:
    """Add one staff response: eNPS counts, index sums (``qwl`` and factors), item counts."""
    key = {"survey_id": response.survey_id, "unit_id": response.unit_id}
    _upsert_counts(session, StaffRound, [
        {**key, **score_increments(response.score, bool(response.comment))}])
    measure_rows = [{**key, "measure": name, "n": 1, "total": value, "total_sq": value * value}
                    for name, value in measures.items() if value is not None]
    _upsert_counts(session, StaffMeasure, measure_rows)
    items = [{**key, "item": item, "value": value, "count": 1}
             for item, value in item_values(response.answers)]
    _upsert_counts(session, StaffItemCount, items)


class AggregateBuffer:
    """Accumulates many responses in memory and writes them with one upsert per table."""

    def __init__(self) -> None:
        self.daily: dict[tuple, Counter] = defaultdict(Counter)
        self.monthly: dict[tuple, Counter] = defaultdict(Counter)
        self.items: Counter = Counter()
        self.staff: dict[tuple, Counter] = defaultdict(Counter)
        self.measures: dict[tuple, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
        self.staff_items: Counter = Counter()

    def add_resident(self, survey_id: int, unit_id: int, day: date, channel: str,
                     score: int | None, answers: Mapping[str, int | None], has_comment: bool):
        """Count one resident response."""
        increments = score_increments(score, has_comment)
        self.daily[(survey_id, unit_id, day, channel)].update(increments)
        self.monthly[(survey_id, unit_id, day.replace(day=1))].update(increments)
        for item, value in item_values(answers):
            self.items[(survey_id, unit_id, day, item, value)] += 1

    def add_staff(self, survey_id: int, unit_id: int, score: int | None,
                  answers: Mapping[str, int | None], measures: Mapping[str, float | None],
                  has_comment: bool):
        """Count one staff response."""
        self.staff[(survey_id, unit_id)].update(score_increments(score, has_comment))
        for name, value in measures.items():
            if value is not None:
                stats = self.measures[(survey_id, unit_id, name)]
                stats[0] += 1
                stats[1] += value
                stats[2] += value * value
        for item, value in item_values(answers):
            self.staff_items[(survey_id, unit_id, item, value)] += 1

    def flush(self, session: Session) -> None:
        """Write everything accumulated (upserts add to existing rows) and clear the buffer."""
        _upsert_counts(session, ResidentDaily, [
            {"survey_id": s, "unit_id": u, "day": d, "channel": c, **counts}
            for (s, u, d, c), counts in self.daily.items()])
        _upsert_counts(session, ResidentMonthly, [
            {"survey_id": s, "unit_id": u, "month": m, **counts}
            for (s, u, m), counts in self.monthly.items()])
        _upsert_counts(session, ResidentItemDaily, [
            {"survey_id": s, "unit_id": u, "day": d, "item": i, "value": v, "count": n}
            for (s, u, d, i, v), n in self.items.items()])
        _upsert_counts(session, StaffRound, [
            {"survey_id": s, "unit_id": u, **counts} for (s, u), counts in self.staff.items()])
        _upsert_counts(session, StaffMeasure, [
            {"survey_id": s, "unit_id": u, "measure": m, "n": n, "total": t, "total_sq": q}
            for (s, u, m), (n, t, q) in self.measures.items()])
        _upsert_counts(session, StaffItemCount, [
            {"survey_id": s, "unit_id": u, "item": i, "value": v, "count": n}
            for (s, u, i, v), n in self.staff_items.items()])
        self.__init__()


def rebuild(session: Session, staff_measures=None, batch: int = 20_000) -> None:
    """Recompute every aggregate from the raw responses (only valid before retention ran).

    ``staff_measures(survey, response)`` returns the per-person measures of a staff response;
    without it only the stored ``qwl_index`` is used.
    """
    for table in (ResidentDaily, ResidentMonthly, ResidentItemDaily, StaffRound, StaffMeasure,
                  StaffItemCount):
        session.execute(delete(table))
    surveys = {s.id: s for s in session.scalars(select(Survey))}
    buffer = AggregateBuffer()
    rows = session.execute(select(Response).execution_options(yield_per=batch)).scalars()
    for count, response in enumerate(rows, start=1):
        survey = surveys[response.survey_id]
        if survey.kind == SurveyKind.RESIDENT:
            buffer.add_resident(response.survey_id, response.unit_id, response.day,
                                response.channel, response.score, response.answers,
                                bool(response.comment))
        else:
            measures = (staff_measures(survey, response) if staff_measures
                        else {"qwl": response.qwl_index})
            buffer.add_staff(response.survey_id, response.unit_id, response.score,
                             response.answers, measures, bool(response.comment))
        if count % batch == 0:
            buffer.flush(session)
    buffer.flush(session)
    session.commit()


def _upsert_counts(session: Session, model, rows: Iterable[dict]) -> None:
    """INSERT … ON CONFLICT (primary key) DO UPDATE SET column = column + excluded.column.

    One statement compiled once per table and dialect, run as an executemany.
    """
    rows = list(rows)
    if not rows:
        return
    connection = session.connection()
    statement, value_columns = _upsert_statement(model, connection.dialect.name)
    # Every row must carry every column for one executemany.
    rows = [{**dict.fromkeys(value_columns, 0), **row} for row in rows]
    connection.execute(statement, rows)


@cache
def _upsert_statement(model, dialect: str):
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    keys = [column.name for column in model.__table__.primary_key.columns]
    value_columns = tuple(c.name for c in model.__table__.columns if c.name not in keys)
    statement = insert(model.__table__)
    statement = statement.on_conflict_do_update(
        index_elements=keys,
        set_={name: model.__table__.c[name] + statement.excluded[name] for name in value_columns},
    )
    return statement, value_columns
