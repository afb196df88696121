"""Report pages and publishing at 10 M answers on PostgreSQL, current code against a baseline.

Steps (each a subcommand, so the 10 M database is built once and kept)::

    python bench/bench_10m.py build   [--answers 10000000] [--url ...]
    python bench/bench_10m.py publish [--url ...]          # month by month, each timed
    python bench/bench_10m.py pages   --code /work/wt/bench --code /work/wt/bench-base [--runs 5]

``build`` reuses the county generator of ``bench_reports.py`` (157 units, answers 2025-01 …
2026-10 by COPY, with the aggregates, twelve monthly staff rounds), then gives 0.5 % of the
resident answers and 5 % of the staff answers a comment (aggregate comment counts kept in step)
and creates the user ``hr``. ``publish`` releases the ledger as the nightly job does, one
``releases.publish(session, until, Thresholds(), today=until)`` per month, and times each,
with the comment batches (called inside ``publish``) timed apart. ``pages`` times every report
page in fresh processes: create the app, log in through the real form (GET /login for the CSRF
token, POST /login), then the page once (the cold request) and five more (warm); each
``--code`` checkout is run with ``PYTHONPATH`` set to it, alternately, on the same database.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench10m"
PASSWORD = "bench-password-10m"
PAGES = ("after-login", "/reports/", "/reports/units", "/reports/unit/D0",
         "/reports/unit/D0-A0-U0", "/reports/funnel", "/reports/board", "/reports/comments",
         "/reports/comments?q=odotus", "/reports/chart/nps.svg", "/reports/chart/nps.png",
         "/reports/export/units.csv", "/reports/export/unit.xlsx?unit=D0-A0-U0",
         "manager:after-login")
#: A manager of three units in two areas (like the demo's manager.kuhmo): "manager:<page>"
#: logs in as this user; the page after login is then the units side by side.
MANAGER_UNITS = ["D0-A0-U0", "D0-A0-U1", "D1-A0-U0"]
COMMENTS = ("Odotusaika oli liian pitkä", "Hoitaja oli ystävällinen ja kuunteli",
            "Ajanvaraus toimi hyvin", "Tiedotus oli epäselvää", "Kiitos hyvästä palvelusta",
            "Pysäköinti on vaikeaa", "Lääkäri selitti asiat selkeästi")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _app(url: str):
    from survey_app.app import create_app

    return create_app("config.Config", DATABASE_URL=url, SECRET_KEY="bench-10m-" * 4)


# --- build ------------------------------------------------------------------------------

def build(url: str, answers: int, generate: bool = True) -> None:
    """The county (bench_reports generator), comments, and the HR user."""
    sys.path.insert(0, str(HERE))
    import bench_reports

    started = time.perf_counter()
    if generate:
        bench_reports.create_database(url)
        generated = bench_reports.generate(url, answers)
        log(f"generated {generated} in {time.perf_counter() - started:.0f} s")
    add_comments(url)
    app = _app(url)
    with app.app_context():
        from survey_app.db import get_session
        from survey_app.services.users import create_user

        session = get_session()
        create_user(session, "hr", PASSWORD, "hr")
        session.commit()
    ensure_manager(url)
    log(f"build done in {time.perf_counter() - started:.0f} s")


def ensure_manager(url: str) -> None:
    """The manager user of ``MANAGER_UNITS`` (created when missing, so that databases built
    before it existed can be used as they are)."""
    from sqlalchemy import select

    app = _app(url)
    with app.app_context():
        from survey_app.db import get_session
        from survey_app.models import User
        from survey_app.services.users import create_user

        session = get_session()
        if session.scalar(select(User).where(User.username == "manager")) is None:
            create_user(session, "manager", PASSWORD, "manager", MANAGER_UNITS)
            session.commit()


def add_comments(url: str) -> None:
    """Comments on 0.5 % of resident and 5 % of staff answers; aggregate counts in step."""
    import psycopg
    from sqlalchemy.engine import make_url

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    texts = "ARRAY[" + ", ".join(f"'{t}'" for t in COMMENTS) + "]"
    with psycopg.connect(dsn) as raw:
        log("comments on answers")
        raw.execute("SELECT setseed(0.2026)")
        raw.execute(f"UPDATE response SET comment = ({texts})[1 + floor(random() * "
                    f"{len(COMMENTS)})::int] WHERE random() < CASE WHEN survey_id = 1 "
                    "THEN 0.005 ELSE 0.05 END")
        raw.execute("UPDATE resident_daily d SET comments = c.n FROM (SELECT survey_id, "
                    "unit_id, day, channel, count(*) AS n FROM response WHERE comment IS NOT "
                    "NULL AND survey_id = 1 GROUP BY 1, 2, 3, 4) c WHERE d.survey_id = "
                    "c.survey_id AND d.unit_id = c.unit_id AND d.day = c.day AND d.channel = "
                    "c.channel")
        raw.execute("UPDATE resident_monthly m SET comments = c.n FROM (SELECT survey_id, "
                    "unit_id, CAST(date_trunc('month', day) AS DATE) AS month, sum(comments) "
                    "AS n FROM resident_daily GROUP BY 1, 2, 3) c WHERE m.survey_id = "
                    "c.survey_id AND m.unit_id = c.unit_id AND m.month = c.month")
        raw.execute("UPDATE staff_round r SET comments = c.n FROM (SELECT survey_id, unit_id, "
                    "count(*) AS n FROM response WHERE comment IS NOT NULL AND survey_id > 1 "
                    "GROUP BY 1, 2) c WHERE r.survey_id = c.survey_id AND r.unit_id = c.unit_id")
        counts = raw.execute("SELECT survey_id = 1, count(*) FROM response WHERE comment IS "
                             "NOT NULL GROUP BY 1").fetchall()
        raw.commit()
        raw.autocommit = True
        raw.execute("VACUUM ANALYZE response")
    log(f"comments (resident?, count): {counts}")


# --- publish ----------------------------------------------------------------------------

def publish(url: str, first: date, last: date) -> list[dict]:
    """Release month by month (``until`` = the first of the next month); time each."""
    from survey_app.privacy import Thresholds
    from survey_app.services import releases

    # The package exports the function under the module's name; patch the module itself.
    publish_module = sys.modules["survey_app.services.releases.publish"]

    comment_seconds = []
    original = publish_module.publish_comment_batches

    def timed_comments(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            comment_seconds.append(time.perf_counter() - start)

    publish_module.publish_comment_batches = timed_comments
    app = _app(url)
    rows = []
    with app.app_context():
        from survey_app.db import get_session

        session = get_session()
        month = first
        while month <= last:
            until = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            start = time.perf_counter()
            result = releases.publish(session, until, Thresholds(), today=until)
            total = time.perf_counter() - start
            row = {"month": month.isoformat()[:7], "total_s": total,
                   "comments_s": comment_seconds[-1], "cells_s": total - comment_seconds[-1],
                   "released": result.months + result.rounds, "cells": result.cells,
                   "hidden": result.hidden, "comment_batches": result.comment_batches}
            rows.append(row)
            log(f"{row['month']}: {total:.2f} s (cells {row['cells_s']:.2f} s, comments "
                f"{row['comments_s']:.2f} s) {row['released']} cells={result.cells} "
                f"hidden={result.hidden} batches={result.comment_batches}")
            month = until
    return rows


# --- pages ------------------------------------------------------------------------------

def one(url: str, page: str, warm: int, precompile: bool, profile: str | None,
        gc_freeze: bool = False, wsgi: bool = False) -> dict:
    """In this (fresh) process: app, real login, the page once (cold) and ``warm`` times.

    ``precompile`` compiles every template first; ``gc_freeze`` then moves everything alive
    into the permanent generation (``gc.freeze()``), as a server could after loading the app.
    ``wsgi`` prepares the app as the checkout's ``wsgi.py`` does before gunicorn forks
    (``survey_app.app.prepare_workers`` where the checkout has it, else templates, locales and
    ``gc.freeze()``, which is what older ``wsgi.py`` files did).
    """
    import gc

    import survey_app

    timings = {"code": str(Path(survey_app.__file__).parents[1])}
    start = time.perf_counter()
    app = _app(url)
    timings["create_app_ms"] = 1000 * (time.perf_counter() - start)
    if wsgi:
        from survey_app import app as app_module

        start = time.perf_counter()
        if hasattr(app_module, "prepare_workers"):
            app_module.prepare_workers(app)
        else:
            app_module.compile_templates(app)
            app_module.preload_locales()
            gc.collect()
            gc.freeze()
        timings["prepare_ms"] = 1000 * (time.perf_counter() - start)
    if precompile:
        start = time.perf_counter()
        for name in app.jinja_env.list_templates(extensions=("html", "svg", "txt")):
            app.jinja_env.get_template(name)
        timings["precompile_ms"] = 1000 * (time.perf_counter() - start)
    if gc_freeze:
        gc.collect()
        gc.freeze()
    client = app.test_client()
    start = time.perf_counter()
    form = client.get("/login")
    timings["get_login_ms"] = 1000 * (time.perf_counter() - start)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text).group(1)
    start = time.perf_counter()
    user, page = ("manager", page.removeprefix("manager:")) if page.startswith("manager:") \
        else ("hr", page)
    answer = client.post("/login", data={"csrf_token": token, "username": user,
                                         "password": PASSWORD})
    timings["post_login_ms"] = 1000 * (time.perf_counter() - start)
    if answer.status_code != 302:
        raise SystemExit(f"login failed: {answer.status_code}")
    path = answer.headers["Location"] if page == "after-login" else page
    timings["path"] = path
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    response = client.get(path)
    timings["first_ms"] = 1000 * (time.perf_counter() - start)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    timings["status"] = response.status_code
    timings["bytes"] = len(response.data)
    warm_ms = []
    for _ in range(warm):
        start = time.perf_counter()
        again = client.get(path)
        warm_ms.append(1000 * (time.perf_counter() - start))
        assert again.status_code == response.status_code
    timings["warm_median_ms"] = statistics.median(warm_ms) if warm_ms else None
    return timings


def pages(url: str, codes: list[str], runs: int, warm: int, precompile: bool,
          only: list[str] | None, out: Path | None) -> dict:
    """Every page × every code × ``runs`` fresh processes, interleaved; medians."""
    results: dict[tuple[str, str], list[dict]] = {}
    chosen = only or list(PAGES)
    if any(page.startswith("manager:") for page in chosen):
        ensure_manager(url)
    for run in range(runs):
        for page in chosen:
            for code in codes:
                command = ["nice", "-n", "10", sys.executable, str(Path(__file__)), "one",
                           "--url", url, "--page", page, "--warm", str(warm)]
                if precompile or code.endswith((":precompile", ":freeze")):
                    command.append("--precompile")
                if code.endswith(":freeze"):
                    command.append("--gc-freeze")
                if code.endswith(":wsgi"):
                    command.append("--wsgi")
                folder = code.removesuffix(":precompile").removesuffix(":freeze") \
                    .removesuffix(":wsgi")
                done = subprocess.run(command, env={**os.environ, "PYTHONPATH": folder},
                                      capture_output=True, text=True, check=False)
                if done.returncode:
                    raise SystemExit(f"{code} {page}: {done.stderr[-2000:]}")
                timing = json.loads(done.stdout.strip().splitlines()[-1])
                assert Path(timing["code"]) == Path(folder).resolve(), timing["code"]
                results.setdefault((page, code), []).append(timing)
        log(f"run {run + 1}/{runs} done")
    summary = {}
    for (page, code), rows in results.items():
        summary.setdefault(page, {})[code] = {
            "status": sorted({r["status"] for r in rows}),
            "first_median_ms": statistics.median(r["first_ms"] for r in rows),
            "first_all_ms": [round(r["first_ms"], 1) for r in rows],
            "warm_median_ms": statistics.median(r["warm_median_ms"] for r in rows),
            "post_login_median_ms": statistics.median(r["post_login_ms"] for r in rows),
            "create_app_median_ms": statistics.median(r["create_app_ms"] for r in rows),
            "precompile_median_ms": statistics.median(r.get("precompile_ms", 0) for r in rows),
            "bytes": rows[0]["bytes"]}
    if out:
        out.write_text(json.dumps(summary, indent=1))
    print(f"{'page':32s} " + " ".join(f"{Path(c).name + ' first/warm':>28s}" for c in codes))
    for page, by_code in summary.items():
        cells = []
        for code in codes:
            s = by_code[code]
            cells.append(f"{s['first_median_ms']:9.1f} / {s['warm_median_ms']:7.1f} "
                         f"{','.join(map(str, s['status'])):>7s}")
        print(f"{page:32s} " + " ".join(f"{c:>28s}" for c in cells), flush=True)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    for name in ("build", "publish", "pages", "one"):
        step = sub.add_parser(name)
        step.add_argument("--url", default=URL)
    sub.choices["build"].add_argument("--answers", type=int, default=10_000_000)
    sub.choices["build"].add_argument("--skip-generate", action="store_true",
                                      help="the county is there: add comments and the user")
    sub.choices["publish"].add_argument("--first", default="2025-01")
    sub.choices["publish"].add_argument("--last", default="2026-11")
    sub.choices["publish"].add_argument("--out", type=Path)
    sub.choices["pages"].add_argument("--code", action="append", required=True,
                                      help="a checkout; DIR:precompile compiles the templates "
                                           "before logging in, DIR:freeze also calls "
                                           "gc.freeze() after that, DIR:wsgi prepares the "
                                           "app as its wsgi.py does")
    sub.choices["pages"].add_argument("--runs", type=int, default=5)
    sub.choices["pages"].add_argument("--warm", type=int, default=5)
    sub.choices["pages"].add_argument("--precompile", action="store_true",
                                      help="compile every template before logging in")
    sub.choices["pages"].add_argument("--page", action="append", help="only these pages")
    sub.choices["pages"].add_argument("--out", type=Path)
    sub.choices["one"].add_argument("--page", required=True)
    sub.choices["one"].add_argument("--warm", type=int, default=5)
    sub.choices["one"].add_argument("--precompile", action="store_true")
    sub.choices["one"].add_argument("--profile")
    sub.choices["one"].add_argument("--gc-freeze", action="store_true")
    sub.choices["one"].add_argument("--wsgi", action="store_true")
    args = parser.parse_args()
    if args.step == "build":
        build(args.url, args.answers, generate=not args.skip_generate)
    elif args.step == "publish":
        def first_of(text):
            return date(int(text[:4]), int(text[5:7]), 1)

        rows = publish(args.url, first_of(args.first), first_of(args.last))
        totals = [r["total_s"] for r in rows]
        log(f"publish: all months {sum(totals):.1f} s, median month "
            f"{statistics.median(totals):.2f} s, max {max(totals):.2f} s "
            f"({rows[totals.index(max(totals))]['month']})")
        if args.out:
            args.out.write_text(json.dumps(rows, indent=1))
    elif args.step == "pages":
        pages(args.url, args.code, args.runs, args.warm, args.precompile, args.page, args.out)
    else:
        print(json.dumps(one(args.url, args.page, args.warm, args.precompile, args.profile,
                             args.gc_freeze, args.wsgi)))


if __name__ == "__main__":
    main()
