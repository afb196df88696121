"""``bench_releases.py`` at one size, with each month's publish time printed as it ends.

The SQLite file is copied before the slowest month (December of the first year), so that one
publish can be profiled again afterwards (``--profile-december``) without building again::

    python bench/bench_releases_months.py --units 157 --months 12 --keep-before-december /tmp/dec.db
    python bench/bench_releases_months.py --profile-december /tmp/dec.db --out /tmp/dec.prof
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def timed_months(units: int, months: int, keep: Path | None, stop: bool) -> None:
    """Run bench_releases.run with ``releases.publish`` wrapped to print every month."""
    import bench_releases
    from sqlalchemy import text

    from survey_app.services import releases

    original = releases.publish

    def publish(session, until, thresholds, **kwargs):
        if keep and until == date(2026, 1, 1):
            session.commit()
            keep.unlink(missing_ok=True)
            # The file may be in WAL mode: copy through SQLite, not the file system.
            session.execute(text("VACUUM INTO :path"), {"path": str(keep)})
            print(f"  copied to {keep} before December", flush=True)
            if stop:
                raise SystemExit(0)
        start = time.perf_counter()
        result = original(session, until, thresholds, **kwargs)
        print(f"  until {until}: {time.perf_counter() - start:8.2f} s  cells={result.cells} "
              f"hidden={result.hidden}", flush=True)
        return result

    releases.publish = publish
    r = bench_releases.run(None, units, months, 3)
    print(r, flush=True)


def _app_on_copy(database: Path, folder: str):
    """The app on a copy of ``database`` in ``folder`` (publishing on the file itself would
    release December in it, and the next run would find nothing to do)."""
    import shutil

    from survey_app.app import create_app

    copy = Path(folder) / "december.db"
    shutil.copyfile(database, copy)
    return create_app("config.Config", DATABASE_URL=f"sqlite:///{copy}",
                      SECRET_KEY="bench" * 8, TESTING=True)


def profile_december(database: Path, out: Path, limit: int) -> None:
    """Publish December 2025 on a copy made just before it, under cProfile.

    After ``limit`` seconds the profile so far is written and printed and the process ends
    (the shares of the time are what matters; one December can take many minutes).
    """
    import cProfile
    import os
    import pstats
    import shutil
    import signal
    import tempfile

    from survey_app.privacy import Thresholds
    from survey_app.services import releases

    folder = tempfile.mkdtemp()
    app = _app_on_copy(database, folder)
    with app.app_context():
        session = app.extensions["sqlalchemy_sessionmaker"]()
        until = date(2026, 1, 1)
        profiler = cProfile.Profile()
        start = time.perf_counter()

        def report(*_args):
            profiler.disable()
            print(f"December under cProfile: {time.perf_counter() - start:.1f} s profiled",
                  flush=True)
            profiler.dump_stats(out)
            stats = pstats.Stats(str(out))
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
            sys.stdout.flush()
            shutil.rmtree(folder, ignore_errors=True)
            os._exit(0)

        signal.signal(signal.SIGALRM, report)
        signal.alarm(limit)
        profiler.enable()
        result = releases.publish(session, until, Thresholds(), today=until)
        print(f"cells={result.cells} hidden={result.hidden}")
        report()


def time_december(database: Path, runs: int) -> None:
    """Publish December 2025 on fresh copies of ``database`` (made just before it), ``runs``
    times, and print each time with the cells hidden (the code is the one on ``PYTHONPATH``)."""
    import tempfile

    import survey_app
    from survey_app.privacy import Thresholds
    from survey_app.services import releases

    print(f"code: {Path(survey_app.__file__).resolve().parent.parent}", flush=True)
    for run in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            app = _app_on_copy(database, folder)
            with app.app_context():
                session = app.extensions["sqlalchemy_sessionmaker"]()
                until = date(2026, 1, 1)
                start = time.perf_counter()
                result = releases.publish(session, until, Thresholds(), today=until)
                session.commit()
                print(f"  run {run + 1}: December {time.perf_counter() - start:8.2f} s  "
                      f"cells={result.cells} hidden={result.hidden}", flush=True)
                session.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=157)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--keep-before-december", type=Path)
    parser.add_argument("--stop", action="store_true", help="end after the copy")
    parser.add_argument("--profile-december", type=Path)
    parser.add_argument("--time-december", type=Path,
                        help="time December on copies of this database (no profiler)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("december.prof"))
    parser.add_argument("--limit", type=int, default=300, help="seconds to profile at most")
    args = parser.parse_args()
    if args.time_december:
        time_december(args.time_december, args.runs)
    elif args.profile_december:
        profile_december(args.profile_december, args.out, args.limit)
    else:
        timed_months(args.units, args.months, args.keep_before_december, args.stop)


if __name__ == "__main__":
    main()
