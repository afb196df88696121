"""Outbox throughput: queued SMS asks → a local Kannel (bearerbox + smsbox) → fakesmsc.

Run from the repository root (Kannel from Debian: ``make kannel``)::

    .venv/bin/python bench/bench_outbox.py [--messages 2000] [--postgres URL]

What it does, all on 127.0.0.1 on free ports, bounded in time:

1. Starts Kannel with its fake SMSC exactly as the tests do (``tests/reach/kannel.py``).
2. Creates a fresh database (SQLite file by default; with ``--postgres`` a new database
   ``survey_bench_outbox_<pid>`` on that server, dropped afterwards), migrates it, creates one
   unit that opted in, and queues ``--messages`` visits with distinct numbers through the
   same service as ``survey-app visits import`` (the queueing rate is reported too).
3. Runs the worker in-process (``outbox.run_until_idle``, the code of ``survey-app outbox
   run --once``) and times it from the first claim to the last settle.
4. Waits until the fake SMSC has received every message (polling) and times that as well.

Prints a JSON summary: queued/s, worker msg/s (gateway accepted), end-to-end msg/s (arrived at
the fake SMSC), and checks that every number got exactly one message.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from survey_app.app import create_app  # noqa: E402
from survey_app.cli.database import upgrade  # noqa: E402
from survey_app.db import get_session  # noqa: E402
from survey_app.models import OrgUnit, UnitKind  # noqa: E402
from survey_app.services.reach import outbox  # noqa: E402
from survey_app.services.reach import visits as visit_service  # noqa: E402
from survey_app.services.reach.gateways import sms_gateway  # noqa: E402
from tests.reach.kannel import Kannel  # noqa: E402


def _database(args, directory: Path) -> tuple[str, callable]:
    if not args.postgres:
        return f"sqlite:///{directory / 'bench.db'}", lambda: None
    base = make_url(args.postgres)
    name = f"survey_bench_outbox_{int(time.time())}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--postgres", default="", help="postgresql+psycopg://… server URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        kannel = Kannel(directory).start()
        url, drop = _database(args, directory)
        try:
            upgrade(url)
            print(json.dumps(_run(url, kannel, args.messages), indent=2))
        finally:
            kannel.stop()
            drop()


def _run(url: str, kannel: Kannel, count: int) -> dict:
    app = create_app("config.Config", DATABASE_URL=url, SMS_QUIET_HOURS="none",
                     **kannel.settings())
    numbers = [f"+35850{n:07d}" for n in range(1, count + 1)]
    now = datetime.now(UTC)
    with app.app_context():
        session = get_session()
        session.add(OrgUnit(code="BENCH", name_fi="B", name_sv="B", name_en="B",
                            kind=UnitKind.RESIDENT, path="/", active=True, sms=True))
        session.commit()
        visits = [{"unit_code": "BENCH", "phone": number, "email": "", "language": "fi",
                   "visit_time": (now - timedelta(minutes=5)).isoformat()}
                  for number in numbers]
        started = time.perf_counter()
        queued = visit_service.queue_visits(session, visits, now=now).queued
        queue_seconds = time.perf_counter() - started
        senders = outbox.Senders(sms_gateway(), None)
        started = time.perf_counter()
        report = outbox.run_until_idle(session, senders)
        worker_seconds = time.perf_counter() - started
        senders.close()
    wanted = set(numbers)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        arrived = Counter(m.to for m in kannel.parts() if m.to in wanted)
        if len(arrived) == count:
            break
        time.sleep(0.05)
    total_seconds = time.perf_counter() - started
    return {
        "database": make_url(url).get_backend_name(),
        "messages": count,
        "queued": queued,
        "queue_per_second": round(queued / queue_seconds, 1),
        "sent": report.sent,
        "worker_seconds": round(worker_seconds, 2),
        "worker_messages_per_second": round(report.sent / worker_seconds, 1),
        "end_to_end_seconds": round(total_seconds, 2),
        "end_to_end_messages_per_second": round(len(arrived) / total_seconds, 1),
        "every_number_exactly_once": len(arrived) == count and max(arrived.values()) == 1,
    }


if __name__ == "__main__":
    main()
