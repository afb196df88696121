"""Comment batches: publishing the demo county and reading the workbench (SQLite or PostgreSQL).

    .venv/bin/python bench/bench_comments.py sqlite:////tmp/comments.db
    .venv/bin/python bench/bench_comments.py postgresql+psycopg://postgres@127.0.0.1:5432/DB

The database must be new and empty (it is migrated here). Prints the demo load time, the
first publish of 14 months, a second (idempotent) publish, and median times of 7 runs of the
workbench's first and last page, a full-text search, a group and language filter, and the
county page's comment list for a year. Figures: bench/README-comments.md.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date

from sqlalchemy import func, select

from survey_app.app import create_app
from survey_app.cli.database import upgrade
from survey_app.db import get_session
from survey_app.models import CommentBatch, OrgUnit, ReleasedComment, Response
from survey_app.services import comments, demo, reports
from survey_app.services.access import Scope

EVERYTHING = Scope(everything=True)
DAY = date(2026, 12, 1)


def timed(label: str, action, runs: int = 7) -> None:
    """Print the median time of ``runs`` calls in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    print(f"{label}: median {statistics.median(times) * 1000:.1f} ms")


def once(label: str, action):
    """Print how long one call took; return its result."""
    start = time.perf_counter()
    result = action()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def county_root(session) -> str:
    unit = session.get(OrgUnit, session.scalar(select(CommentBatch.unit_id).limit(1)))
    while unit.parent_id is not None:
        unit = session.get(OrgUnit, unit.parent_id)
    return unit.code


def main(url: str) -> None:
    upgrade(url)
    app = create_app("config.TestConfig", DATABASE_URL=url)
    with app.app_context():
        session = get_session()
        once("demo load", lambda: demo.load(session, seed=1, months=14,
                                            until=date(2026, 11, 30), users=False))
        print("answers", session.scalar(select(func.count()).select_from(Response)))
        batches = once("publish", lambda: comments.publish_comment_batches(
            session, DAY, today=DAY))
        released = session.scalar(select(func.count()).select_from(ReleasedComment))
        print(f"{batches} batches, {released} comments")
        once("publish again", lambda: comments.publish_comment_batches(session, DAY, today=DAY))
        query = comments.CommentQuery
        timed("workbench page 1", lambda: comments.search(session, EVERYTHING, query(), 1))
        timed("workbench last page", lambda: comments.search(session, EVERYTHING, query(), 10**6))
        timed("workbench text search", lambda: comments.search(
            session, EVERYTHING, query(text="jono"), 1))
        timed("workbench group+language", lambda: comments.search(
            session, EVERYTHING, query(group="detractor", language="fi"), 1))
        root = county_root(session)
        timed("county page comments (year)", lambda: reports.comments(
            session, EVERYTHING, root, "2026"))


if __name__ == "__main__":
    main(sys.argv[1])
