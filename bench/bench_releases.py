"""Publishing and reading the release ledger at a small size (issue 12).

Builds a county tree (root → divisions → areas → units) with synthetic monthly aggregates in a
fresh database, then times

- ``publish``: every month released in order (one release per month, the nightly job), and
- report reads from released cells: overview, unit table and unit page (median of runs).

Usage (SQLite in a temporary file unless ``--database-url`` is given)::

    .venv/bin/python bench/bench_releases.py --units 157 --months 24
    .venv/bin/python bench/bench_releases.py --sizes 40x12,80x12,157x12,157x24

Answers per unit and month are drawn at random (0–40, some small), with every 0–10 value.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np


def _tree(session, units: int):
    """County → 6 divisions → areas → units, about ``units`` in all; returns the leaves."""
    from survey_app.models import OrgUnit, UnitKind

    def add(code, parent):
        unit = OrgUnit(code=code, parent_id=parent.id if parent else None, path="/",
                       name_fi=code, name_sv=code, name_en=code, kind=UnitKind.BOTH)
        session.add(unit)
        session.flush()
        unit.path = (parent.path if parent else "/") + f"{unit.id}/"
        return unit

    root = add("ROOT", None)
    made, leaves = [root], []
    divisions = [add(f"D{d}", root) for d in range(6)]
    made += divisions
    per_area = 4
    areas_needed = max(1, (units - 7) // (per_area + 1))
    for a in range(areas_needed):
        area = add(f"AR{a}", divisions[a % 6])
        made.append(area)
        for u in range(per_area):
            if len(made) >= units:
                break
            leaf = add(f"U{a}-{u}", area)
            made.append(leaf)
            leaves.append(leaf)
    session.commit()
    return root, made, leaves


def build(session, units: int, months: int, seed: int = 12):
    """The tree and ``months`` months of aggregates from January 2025."""
    from survey_app.models import Survey, SurveyKind
    from survey_app.services.aggregates import AggregateBuffer

    rng = np.random.default_rng(seed)
    root, made, leaves = _tree(session, units)
    survey = Survey(code="bench", kind=SurveyKind.RESIDENT, unit_id=root.id,
                    instrument_key="resident-feedback", instrument_version=1,
                    opens_at=__import__("datetime").datetime(2025, 1, 1,
                                                             tzinfo=__import__("datetime").UTC))
    session.add(survey)
    session.commit()
    buffer = AggregateBuffer()
    answers = 0
    for m in range(months):
        day = date(2025 + m // 12, m % 12 + 1, 10)
        for unit in made:
            count = int(rng.integers(0, 41)) if rng.random() > 0.15 else int(rng.integers(1, 5))
            if unit in (root,):
                count = 0
            for score in rng.integers(0, 11, size=count):
                buffer.add_resident(survey.id, unit.id, day, "qr", int(score),
                                    {"safety": int(rng.integers(1, 6))}, False)
            answers += count
        buffer.flush(session)
    session.commit()
    return made, answers


def run(url: str | None, units: int, months: int, reads: int) -> dict:
    """Build, publish month by month, read pages; return the figures."""
    from survey_app.app import create_app
    from survey_app.privacy import Thresholds
    from survey_app.services import releases, reports
    from survey_app.services.access import Scope

    with tempfile.TemporaryDirectory() as folder:
        database = url or f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app("config.Config", DATABASE_URL=database, SECRET_KEY="bench" * 8,
                         TESTING=True)
        from survey_app.db import Base, get_engine

        with app.app_context():
            Base.metadata.create_all(get_engine())
            session = app.extensions["sqlalchemy_sessionmaker"]()
            made, answers = build(session, units, months)
            per_month = []
            for m in range(months):
                until = date(2025 + (m + 1) // 12, (m + 1) % 12 + 1, 1)
                start = time.perf_counter()
                releases.publish(session, until, Thresholds(), today=until)
                per_month.append(time.perf_counter() - start)
            everything = Scope(everything=True)
            last = f"{2025 + (months - 1) // 12}-Q{((months - 1) % 12) // 3 + 1}"
            timings = {"overview": [], "unit_table": [], "unit_detail": []}
            leaf = made[-1].code
            for _ in range(reads):
                for name, call in (
                        ("overview", lambda: reports.overview(session, everything, None, last,
                                                              "fi")),
                        ("unit_table", lambda: reports.unit_table(session, everything, "D0",
                                                                  "nps", last, "fi")),
                        ("unit_detail", lambda: reports.unit_detail(session, everything, leaf,
                                                                    last, "fi"))):
                    session.expire_all()
                    start = time.perf_counter()
                    call()
                    timings[name].append(time.perf_counter() - start)
            session.close()
            if url:
                Base.metadata.drop_all(get_engine())
        app.extensions["sqlalchemy_engine"].dispose()
    return {"units": len(made), "months": months, "answers": answers,
            "publish_total_s": sum(per_month), "publish_month_median_s":
                statistics.median(per_month), "publish_month_max_s": max(per_month),
            **{f"{k}_median_ms": 1000 * statistics.median(v) for k, v in timings.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=157)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--sizes", help="several runs, e.g. 40x12,80x12,157x12,157x24")
    parser.add_argument("--reads", type=int, default=7)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    sizes = ([tuple(map(int, s.split("x"))) for s in args.sizes.split(",")] if args.sizes
             else [(args.units, args.months)])
    print("units months answers publish_total_s month_median_s month_max_s "
          "per_unit_month_ms overview_ms unit_table_ms unit_detail_ms")
    for units, months in sizes:
        r = run(args.database_url, units, months, args.reads)
        print(f"{r['units']:5d} {r['months']:6d} {r['answers']:8d} {r['publish_total_s']:15.2f} "
              f"{r['publish_month_median_s']:14.3f} {r['publish_month_max_s']:11.3f} "
              f"{1000 * r['publish_total_s'] / (r['units'] * r['months']):18.3f} "
              f"{r['overview_median_ms']:11.1f} {r['unit_table_median_ms']:13.1f} "
              f"{r['unit_detail_median_ms']:14.1f}", flush=True)


if __name__ == "__main__":
    main()
