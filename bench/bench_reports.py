"""Benchmark: county overview + unit table for one quarter, from aggregates vs raw answers.

Generates a county (1 + 6 + 30 + 120 units), N resident answers spread over 2025-01 … 2026-10
(default 10 million), written twice into PostgreSQL with COPY: as per-day aggregate rows
(resident_daily, resident_item_daily) and as raw response rows; plus a year of monthly pulse
rounds (raw rows and aggregates). Then, in the same run, it times

- the report service (``overview`` + ``unit_table`` for 2026-Q3) reading the aggregates;
- the same two calls with the aggregate reads swapped for GROUP BY over the raw responses
  (the numbers must come out identical);
- the two report pages through the Flask test client (server time, HTML rendered).

Usage (PostgreSQL must be reachable; the database is created and dropped):

    python bench/bench_reports.py [--answers 10000000] [--repeat 15] [--keep]
        [--url postgresql+psycopg://postgres@127.0.0.1:5432/survey_bench_reports]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Integer, cast, create_engine, extract, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from survey_app.cli.database import upgrade  # noqa: E402

CHANNELS = ("sms", "qr", "kiosk", "web", "paper")
CHANNEL_SHARE = np.array([0.45, 0.25, 0.15, 0.10, 0.05])
ITEMS = ("timely_access", "listened_to", "safety", "clear_information", "useful")
FIRST_DAY, LAST_DAY = date(2025, 1, 1), date(2026, 10, 31)
QUARTER = "2026-Q3"
NULL = "\\N"


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def create_database(url: str) -> str:
    """Drop and create the bench database; return its URL."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    upgrade(url)
    return url


def drop_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def copy_rows(raw, table: str, columns: tuple[str, ...], lines) -> None:
    """COPY text lines (already tab-separated) into ``table``."""
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for chunk in lines:
                copy.write(chunk)


def build_units(raw) -> tuple[np.ndarray, int]:
    """The county tree; returns the leaf unit ids and the root id."""
    rows, next_id = [], 1

    def add(code, parent, path_parent, name):
        nonlocal next_id
        unit_id = next_id
        next_id += 1
        path = f"{path_parent}{unit_id}/"
        parent_text = str(parent) if parent else NULL
        rows.append(f"{unit_id}\t{code}\t{parent_text}\t{path}\t{name}\t{name}\t{name}\tboth\tt\n")
        return unit_id, path

    root, root_path = add("KAINUU", None, "/", "Kainuu")
    leaves = []
    for d in range(6):
        div, div_path = add(f"D{d}", root, root_path, f"Division {d}")
        for a in range(5):
            area, area_path = add(f"D{d}-A{a}", div, div_path, f"Area {d}.{a}")
            for u in range(4):
                leaf, _ = add(f"D{d}-A{a}-U{u}", area, area_path, f"Unit {d}.{a}.{u}")
                leaves.append(leaf)
    copy_rows(raw, "org_unit", ("id", "code", "parent_id", "path", "name_fi", "name_sv",
                                "name_en", "kind", "active"), ["".join(rows)])
    with raw.cursor() as cursor:
        cursor.execute("SELECT setval('org_unit_id_seq', %s)", (next_id,))
    return np.array(leaves), root


def add_surveys(raw, root: int) -> list[tuple[int, datetime]]:
    """One resident survey and twelve monthly pulse rounds (Nov 2025 … Oct 2026)."""
    rows = [f"1\tresident-all\tresident\t{root}\tresident-feedback\t1\t"
            "2024-12-31 22:00:00+00\t\\N\t\n"]
    rounds = []
    for i in range(12):
        month = 11 + i
        year, month = 2025 + (month - 1) // 12, (month - 1) % 12 + 1
        closes = datetime(year, month, 25, 12, 0, tzinfo=UTC)
        rows.append(f"{i + 2}\tpulse-{year}-{month:02d}\tpulse\t{root}\tstaff-pulse\t1\t"
                    f"{(closes - timedelta(days=14)).isoformat()}\t{closes.isoformat()}\t\n")
        rounds.append((i + 2, closes))
    copy_rows(raw, "survey", ("id", "code", "kind", "unit_id", "instrument_key",
                              "instrument_version", "opens_at", "closes_at", "title"),
              ["".join(rows)])
    with raw.cursor() as cursor:
        cursor.execute("SELECT setval('survey_id_seq', 20)")
    return rounds


def resident_counts(rng, leaves: np.ndarray, answers: int):
    """Counts per (unit, day, channel, score): arrays of keys and an (m × 11) count matrix."""
    days = np.arange(np.datetime64(FIRST_DAY), np.datetime64(LAST_DAY) + 1)
    units, n_days = leaves.size, days.size
    # Unit sizes vary tenfold; weekends are quiet.
    weight = rng.lognormal(0, 0.7, units)[:, None] * np.where(
        (days.astype("datetime64[D]").view("int64") - 4) % 7 >= 5, 0.3, 1.0)[None, :]
    expected = answers * weight / weight.sum()
    per_day = rng.poisson(expected)
    per_day = _fix_total(rng, per_day, answers)
    per_channel = rng.multinomial(per_day.reshape(-1), CHANNEL_SHARE).reshape(units, n_days, 5)
    # Each unit has its own score profile (NPS roughly −20 … 70).
    base = np.array([2, 1, 1, 2, 2, 4, 6, 10, 18, 22, 32], dtype=float)
    profiles = base[None, :] * rng.lognormal(0, 0.25, (units, 11))
    profiles /= profiles.sum(axis=1, keepdims=True)
    unit_index = np.repeat(np.arange(units), n_days * 5)
    flat = per_channel.reshape(-1)
    scores = np.zeros((flat.size, 11), dtype=np.int64)
    for u in range(units):  # one multinomial call per unit (120 calls), not per row
        rows = unit_index == u
        scores[rows] = rng.multinomial(flat[rows], profiles[u])
    day_index = np.tile(np.repeat(np.arange(n_days), 5), units)
    channel_index = np.tile(np.arange(5), units * n_days)
    keep = flat > 0
    return (leaves[unit_index[keep]], days[day_index[keep]], channel_index[keep],
            scores[keep])


def _fix_total(rng, counts: np.ndarray, total: int) -> np.ndarray:
    """Nudge Poisson counts so they add up to exactly ``total``."""
    flat = counts.reshape(-1).copy()
    gap = total - int(flat.sum())
    if gap:
        cells = rng.choice(flat.size, abs(gap), p=flat / flat.sum() if gap < 0 else None)
        np.add.at(flat, cells, np.sign(gap))
        flat = np.maximum(flat, 0)
        flat[np.argmax(flat)] += total - int(flat.sum())
    return flat.reshape(counts.shape)


def write_resident(raw, rng, unit_ids, days, channels, scores) -> None:
    """Aggregate rows (daily + items) and the same answers as raw response rows, all by COPY."""
    day_text = days.astype(str)
    n = scores.sum(axis=1)
    log(f"COPY resident_daily: {n.size:,} rows")
    lines = (f"1\t{u}\t{d}\t{CHANNELS[c]}\t{t}\t" + "\t".join(map(str, s)) + "\t0\n"
             for u, d, c, t, s in zip(unit_ids.tolist(), day_text, channels.tolist(),
                                      n.tolist(), scores.tolist(), strict=True))
    copy_rows(raw, "resident_daily",
              ("survey_id", "unit_id", "day", "channel", "n",
               *[f"c{i}" for i in range(11)], "comments"), _chunks(lines))
    counts = ", ".join(["n", "comments"] + [f"c{i}" for i in range(11)])
    sums = ", ".join(f"SUM({c})" for c in counts.split(", "))
    log("INSERT resident_monthly from resident_daily (what add_resident keeps in step live)")
    with raw.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO resident_monthly (survey_id, unit_id, month, {counts}) "
            f"SELECT survey_id, unit_id, CAST(date_trunc('month', day) AS DATE), {sums} "
            "FROM resident_daily GROUP BY 1, 2, 3")
    raw.commit()
    # Statement answers per unit and day (channels pooled): 5 items × values 0..5.
    keys = np.unique(np.stack([unit_ids, days.view("int64")], axis=1), axis=0,
                     return_inverse=True)
    groups, inverse = keys
    per_group = np.bincount(inverse.reshape(-1), weights=n).astype(np.int64)
    shares = np.array([0.05, 0.03, 0.05, 0.12, 0.35, 0.40])
    log(f"COPY resident_item_daily: {groups.shape[0] * len(ITEMS) * 6:,} rows")
    item_lines = []
    for g, (unit, day) in enumerate(groups.tolist()):
        day_str = str(np.datetime64(day, "D"))
        for item in ITEMS:
            for value, count in enumerate(rng.multinomial(per_group[g], shares).tolist()):
                if count:
                    item_lines.append(f"1\t{unit}\t{day_str}\t{item}\t{value}\t{count}\n")
    copy_rows(raw, "resident_item_daily", ("survey_id", "unit_id", "day", "item", "value",
                                           "count"), _chunks(iter(item_lines)))
    del item_lines
    log(f"COPY response: {int(n.sum()):,} raw resident rows")
    copy_rows(raw, "response", ("id", "survey_id", "unit_id", "day", "language", "channel",
                                "score", "answers"),
              _raw_resident_lines(unit_ids, day_text, channels, scores))


def _raw_resident_lines(unit_ids, day_text, channels, scores, batch=20_000):
    """Tab-separated raw rows, one per answer, with random hex ids, in text chunks."""
    channel_names = np.array(CHANNELS)
    for start in range(0, scores.shape[0], batch):
        counts = scores[start:start + batch]
        repeats = counts.reshape(-1)
        row = np.repeat(np.arange(counts.shape[0]), 11)
        row, score = np.repeat(row, repeats), np.repeat(np.tile(np.arange(11), counts.shape[0]),
                                                        repeats)
        ids = os.urandom(16 * row.size).hex()
        units = unit_ids[start:start + batch][row].tolist()
        days = day_text[start:start + batch][row].tolist()
        names = channel_names[channels[start:start + batch][row]].tolist()
        yield "".join([f"{ids[32 * i:32 * i + 32]}\t1\t{u}\t{d}\tfi\t{c}\t{s}\t{{}}\n"
                       for i, (u, d, c, s) in enumerate(zip(units, days, names, score.tolist(),
                                                            strict=True))])


def _chunks(lines, size=20_000):
    chunk = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def write_staff(raw, rng, leaves, rounds) -> int:
    """A year of monthly rounds: ~40 staff per unit, 60 % answering; raw rows and aggregates."""
    staff_rows, round_rows, measure_rows = [], [], []
    total = 0
    for survey_id, _ in rounds:
        for unit in leaves.tolist():
            answering = rng.binomial(40, 0.6)
            scores = rng.choice(11, answering, p=np.array(
                [2, 1, 1, 2, 3, 5, 8, 14, 20, 20, 24]) / 100)
            qwl = np.clip(rng.normal(68, 14, answering), 0, 100)
            factors = np.clip(qwl[:, None] + rng.normal(0, 8, (answering, 3)), 0, 100)
            counts = np.bincount(scores, minlength=11)
            round_rows.append(f"{survey_id}\t{unit}\t{answering}\t"
                              + "\t".join(map(str, counts.tolist())) + "\t0\n")
            for name, values in (("qwl", qwl), ("safety", factors[:, 0]),
                                 ("belonging", factors[:, 1]), ("goals", factors[:, 2])):
                total_sq = float((values * values).sum())
                measure_rows.append(f"{survey_id}\t{unit}\t{name}\t{answering}\t"
                                    f"{float(values.sum())!r}\t{total_sq!r}\n")
            for score, index in zip(scores.tolist(), qwl.tolist(), strict=True):
                staff_rows.append(f"{os.urandom(16).hex()}\t{survey_id}\t{unit}\t\\N\tfi\t\\N\t"
                                  f"{score}\t{{}}\t{index!r}\n")
            total += answering
    copy_rows(raw, "staff_round", ("survey_id", "unit_id", "n", *[f"c{i}" for i in range(11)],
                                   "comments"), ["".join(round_rows)])
    copy_rows(raw, "staff_measure", ("survey_id", "unit_id", "measure", "n", "total",
                                     "total_sq"), ["".join(measure_rows)])
    copy_rows(raw, "response", ("id", "survey_id", "unit_id", "day", "language", "channel",
                                "score", "answers", "qwl_index"), _chunks(iter(staff_rows)))
    return total


def generate(url: str, answers: int, seed: int = 2026) -> dict:
    """Fill the bench database; return what was generated."""
    import psycopg

    rng = np.random.default_rng(seed)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as raw:
        leaves, root = build_units(raw)
        rounds = add_surveys(raw, root)
        log(f"drawing {answers:,} resident answers")
        keys = resident_counts(rng, leaves, answers)
        write_resident(raw, rng, *keys)
        staff = write_staff(raw, rng, leaves, rounds)
        raw.commit()
        log("VACUUM ANALYZE")
        raw.autocommit = True
        raw.execute("VACUUM ANALYZE")
    return {"answers": answers, "daily_rows": int(keys[3].shape[0]), "staff": staff,
            "units": 1 + 6 + 30 + 120, "rounds": len(rounds)}


# --- the same numbers from raw answers -------------------------------------------------------

@contextmanager
def raw_sources():
    """Swap the report's aggregate reads for GROUP BY queries over the raw responses."""
    from survey_app.models import Response
    from survey_app.services.reports import sums

    saved = (sums.resident_sums, sums.staff_sums, sums.measure_sums)

    def resident_from_raw(session, tree, months, as_of):
        result = sums._empty(tree, months, len(sums.COUNT_COLUMNS))
        start, end = date(months[0] // 12, 1, 1), date(months[1] // 12, 1, 1)
        month = (cast(extract("year", Response.day), Integer) * 12
                 + cast(extract("month", Response.day), Integer) - 1).label("month")
        rows = session.execute(
            select(Response.unit_id, month,
                   *[func.count().filter(Response.score == k) for k in range(11)],
                   func.count(Response.comment))
            .where(Response.survey_id == 1, Response.day >= start, Response.day < end,
                   Response.day <= as_of)
            .group_by(Response.unit_id, month)).all()
        sums._fill(result, tree, [(r[0], r[1]) for r in rows], [r[2:] for r in rows])
        return result

    def staff_from_raw(session, tree, rounds, months):
        result = sums._empty(tree, months, len(sums.COUNT_COLUMNS))
        rows = session.execute(
            select(Response.unit_id, Response.survey_id,
                   *[func.count().filter(Response.score == k) for k in range(11)],
                   func.count(Response.comment))
            .where(Response.survey_id.in_(list(rounds)))
            .group_by(Response.unit_id, Response.survey_id)).all()
        sums._fill(result, tree, [(r[0], rounds[r[1]]) for r in rows], [r[2:] for r in rows])
        return result

    def measures_from_raw(session, tree, rounds, months):
        result = saved[2](session, tree, {}, months)
        rows = session.execute(
            select(Response.unit_id, Response.survey_id, func.count(Response.qwl_index),
                   func.sum(Response.qwl_index),
                   func.sum(Response.qwl_index * Response.qwl_index))
            .where(Response.survey_id.in_(list(rounds)))
            .group_by(Response.unit_id, Response.survey_id)).all()
        sums._fill(result["qwl"], tree, [(r[0], rounds[r[1]]) for r in rows],
                   [r[2:] for r in rows])
        return result

    sums.resident_sums, sums.staff_sums, sums.measure_sums = (
        resident_from_raw, staff_from_raw, measures_from_raw)
    try:
        yield
    finally:
        sums.resident_sums, sums.staff_sums, sums.measure_sums = saved


def report_numbers(session, as_of):
    """overview + unit_table for the county and the quarter; returns their key numbers."""
    from survey_app.services import reports
    from survey_app.services.access import Scope

    scope = Scope(everything=True)
    overview = reports.overview(session, scope, None, QUARTER, "fi", as_of=as_of)
    table = reports.unit_table(session, scope, None, "nps", QUARTER, "fi", as_of=as_of)
    return ([(m.metric, m.cell.n, m.cell.value) for m in overview.metrics]
            + [(ref.code, cell.n, cell.value) for ref, cell in table.rows])


def timed(function, repeat: int, before=None) -> tuple[float, float, list[float]]:
    """(first call ms, median ms of the following calls, all timings); ``before`` runs untimed."""
    times = []
    for _ in range(repeat + 1):
        if before:
            before()
        start = time.perf_counter()
        function()
        times.append(1000 * (time.perf_counter() - start))
    return times[0], statistics.median(times[1:] or times), times


def forget() -> None:
    """Empty every in-process reuse: differences and reads."""
    from survey_app.services.reports import frames

    frames._DIFFERENCES.clear()
    frames._READS.clear()


def measure(url: str, repeat: int) -> dict:
    """Time the service on aggregates (cold and with reuse) and on raw answers (cold)."""
    from survey_app.app import create_app

    app = create_app("config.Config", DATABASE_URL=url, RATELIMIT_ENABLED=False,
                     WTF_CSRF_ENABLED=False)
    as_of = date(2026, 11, 27)
    maker = app.extensions["sqlalchemy_sessionmaker"]
    results = {}
    with app.app_context():
        session = maker()
        forget()
        aggregate_numbers = report_numbers(session, as_of)
        app.config["REPORTS_CACHE_SECONDS"] = 0
        _, results["aggregates_cold_median"], _ = timed(
            lambda: report_numbers(session, as_of), repeat, forget)
        app.config["REPORTS_CACHE_SECONDS"] = 120
        forget()
        results["aggregates_reuse_first"], results["aggregates_reuse_median"], _ = timed(
            lambda: report_numbers(session, as_of), repeat)
        app.config["REPORTS_CACHE_SECONDS"] = 0
        with raw_sources():
            raw_numbers = report_numbers(session, as_of)
            _, results["raw_cold_median"], _ = timed(
                lambda: report_numbers(session, as_of), max(3, repeat // 3), forget)
        session.close()
    results["same_numbers"] = _same(aggregate_numbers, raw_numbers)
    app.config["REPORTS_CACHE_SECONDS"] = 120
    results.update(measure_pages(app, repeat))
    app.extensions["sqlalchemy_engine"].dispose()
    return results


def measure_pages(app, repeat: int) -> dict:
    """Server time of the two pages through the test client (a logged-in HR user)."""
    if "reports.overview" not in app.view_functions:
        return {}
    from survey_app.db import get_session
    from survey_app.services.users import create_user

    with app.app_context():
        session = get_session()
        from survey_app.models import User
        if session.scalar(select(User).where(User.username == "bench-hr")) is None:
            create_user(session, "bench-hr", "bench-password-123", "hr")
    client = app.test_client()
    client.post("/login", data={"username": "bench-hr", "password": "bench-password-123"})

    def pages():
        for path in (f"/reports/?period={QUARTER}",
                     f"/reports/units?metric=nps&period={QUARTER}"):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

    forget()
    first, median, _ = timed(pages, repeat)
    app.config["REPORTS_CACHE_SECONDS"] = 0
    _, cold, _ = timed(pages, max(3, repeat // 3), forget)
    return {"pages_reuse_first": first, "pages_reuse_median": median, "pages_cold_median": cold}


def _same(a, b) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if x[0] != y[0] or x[1] != y[1]:
            return False
        if (x[2] is None) != (y[2] is None) or (x[2] is not None and abs(x[2] - y[2]) > 1e-9):
            return False
    return True


def table_sizes(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as connection:
        sizes = {name: connection.scalar(text(f"SELECT count(*) FROM {name}"))
                 for name in ("resident_daily", "resident_item_daily", "staff_round",
                              "staff_measure", "response")}
    engine.dispose()
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/"
                                         "survey_bench_reports")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="time an existing database")
    args = parser.parse_args()
    started = time.perf_counter()
    if not args.reuse:
        create_database(args.url)
        generated = generate(args.url, args.answers)
        log(f"generated {generated} in {time.perf_counter() - started:.0f} s")
    sizes = table_sizes(args.url)
    log(f"rows: {sizes}")
    results = measure(args.url, args.repeat)
    for key, value in results.items():
        print(f"{key}: {value:.1f}" if isinstance(value, float) else f"{key}: {value}")
    print(f"speed-up, cold (raw / aggregates): "
          f"{results['raw_cold_median'] / results['aggregates_cold_median']:.1f}x")
    print(f"speed-up, with reuse (raw / aggregates): "
          f"{results['raw_cold_median'] / results['aggregates_reuse_median']:.1f}x")
    if not args.keep and not args.reuse:
        drop_database(args.url)


if __name__ == "__main__":
    main()
