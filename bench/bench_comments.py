"""Comment batches: publishing the demo county and reading the workbench (SQLite or PostgreSQL).

    .venv/bin/python bench/bench_comments.py sqlite:////tmp/comments.db
    .venv/bin/python bench/bench_comments.py postgresql+psycopg://postgres@127.0.0.1:5432/DB

The database must be new and empty (it is migrated here). Prints the demo load time, the
first publish of 14 months, a second (idempotent) publish, and median times of 7 runs of the
workbench's first and last page, a full-text search, a group and language filter, and the
county page's comment list for a year. Figures: bench/README-comments.md.
"""
import sys, time, statistics
from datetime import date
from survey_app.app import create_app
from survey_app.cli.database import upgrade
from survey_app.db import get_session
from survey_app.services import demo, comments, reports
from survey_app.services.access import Scope
from sqlalchemy import select, func
from survey_app.models import ReleasedComment, CommentBatch, Response

url = sys.argv[1]
upgrade(url)
app = create_app("config.TestConfig", DATABASE_URL=url)
with app.app_context():
    s = get_session()
    t = time.perf_counter(); demo.load(s, seed=1, months=14, until=date(2026, 11, 30), users=False)
    print("demo load", round(time.perf_counter() - t, 1), "s")
    print("answers", s.scalar(select(func.count()).select_from(Response)))
    t = time.perf_counter(); n = comments.publish_comment_batches(s, date(2026, 12, 1), today=date(2026, 12, 1))
    print("publish", n, "batches", s.scalar(select(func.count()).select_from(ReleasedComment)), "comments in", round(time.perf_counter() - t, 2), "s")
    t = time.perf_counter(); comments.publish_comment_batches(s, date(2026, 12, 1), today=date(2026, 12, 1))
    print("publish again (nothing new)", round(time.perf_counter() - t, 2), "s")
    E = Scope(everything=True)
    def timeit(label, fn):
        times = []
        for _ in range(7):
            t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
        print(label, "median", round(statistics.median(times) * 1000, 1), "ms")
    timeit("workbench page 1", lambda: comments.search(s, E, comments.CommentQuery(), 1))
    timeit("workbench last page", lambda: comments.search(s, E, comments.CommentQuery(), 10**6))
    timeit("workbench text search", lambda: comments.search(s, E, comments.CommentQuery(text="jono"), 1))
    timeit("workbench group+lang", lambda: comments.search(s, E, comments.CommentQuery(group="detractor", language="fi"), 1))
    root = s.scalar(select(CommentBatch.unit_id))
    from survey_app.models import OrgUnit
    u = s.get(OrgUnit, root)
    while u.parent_id: u = s.get(OrgUnit, u.parent_id)
    timeit("county page comments (year)", lambda: reports.comments(s, E, u.code, "2026"))
