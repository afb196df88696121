"""Load benchmark: resident submissions under gunicorn on PostgreSQL, against a one-route app.

Run from the repository root (as a user that may create databases on 127.0.0.1:5432)::

    /work/main/.venv/bin/python bench/bench_load.py [--duration 20] [--connections 16]

What it does, all on 127.0.0.1 and bounded in time:

1. ``wrk`` must be on PATH; if it is missing and we are root it runs ``apt-get update`` once
   and ``apt-get install -y wrk`` (nothing else is ever installed).
2. Creates a fresh PostgreSQL database ``survey_bench_<pid>`` (trust auth, user postgres),
   migrates it, loads 30 units under one root and opens resident feedback on the root.
3. Starts gunicorn with the repository's ``survey_app/deploy/gunicorn.conf.py`` (4 sync
   workers) and ``config.ProductionConfig`` with a throwaway secret; rate limiting and the
   honeypot are switched off through ``SURVEY_RATELIMIT_ENABLED=false`` and
   ``SURVEY_HONEYPOT_ENABLED=false`` in this process's environment only.
4. Pre-fetches a pool of session-cookie + CSRF-token pairs (GET of the form), then drives
   ``POST /fi/s/<unit>`` with wrk (``bench/submit.lua``: random unit, score 0–10 and
   statements), counting statuses.
5. In the same run, the same gunicorn settings serve ``bench/minimal_app.py`` (one route) and
   ``bench/naive_insert_app.py`` (a naive single-insert endpoint, the issue's calibration
   point); wrk measures both with the same threads and connections.
6. An open-loop generator (Python threads, requests scheduled at a fixed rate; latency measured
   from the *scheduled* moment, so a stalled server cannot hide its queue) sends submissions at
   ``--rate`` per second and reports p50/p99.
7. Checks: answers stored == 303 responses (for wrk, requests still in flight when wrk's clock
   ran out may be stored without their response having been counted: the difference is
   reported and must be within the number of connections), zero 5xx.

Prints a Markdown table row and a JSON summary; ``--markdown FILE`` appends the row.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
GUNICORN_CONF = ROOT / "survey_app" / "deploy" / "gunicorn.conf.py"
UNITS = 30
LANG = "fi"


def ensure_wrk() -> str:
    """The wrk binary; installed from Debian with apt-get when missing (root only)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("wrk is missing: apt-get install -y wrk")
    print("wrk missing: apt-get update && apt-get install -y wrk", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True, timeout=300)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, timeout=300,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("wrk") or sys.exit("wrk still missing after apt-get install")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def create_database(server: str) -> str:
    """A fresh, migrated database with UNITS units and open resident feedback on their root."""
    from sqlalchemy import create_engine, text

    from survey_app.cli.database import upgrade

    name = f"survey_bench_{os.getpid()}"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = f"{server}/{name}"
    upgrade(url)
    seed(url)
    return url


def seed(url: str) -> None:
    from survey_app.app import create_app
    from survey_app.db import get_session
    from survey_app.models import OrgUnit, Survey, SurveyKind, UnitKind

    app = create_app("config.TestConfig", DATABASE_URL=url)
    with app.app_context():
        session = get_session()
        root = OrgUnit(code="KAI-BENCH", parent_id=None, path="/", name_fi="Kainuu",
                       name_sv="Kajanaland", name_en="Kainuu", kind=UnitKind.BOTH, active=True)
        session.add(root)
        session.flush()
        root.path = f"/{root.id}/"
        for index in range(1, UNITS + 1):
            unit = OrgUnit(code=f"KAI-B{index:02d}", parent_id=root.id, path="/",
                           name_fi=f"Yksikkö {index}", name_sv=f"Enhet {index}",
                           name_en=f"Unit {index}", kind=UnitKind.BOTH, active=True)
            session.add(unit)
            session.flush()
            unit.path = f"{root.path}{unit.id}/"
        session.add(Survey(code="bench", kind=SurveyKind.RESIDENT, unit_id=root.id,
                           instrument_key="resident-feedback", instrument_version=1,
                           opens_at=datetime(2020, 1, 1, tzinfo=UTC), closes_at=None, title=""))
        session.commit()
    app.extensions["sqlalchemy_engine"].dispose()


def create_naive_table(url: str) -> None:
    """The one table of ``bench/naive_insert_app.py``."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS naive_answer "
                                "(id serial PRIMARY KEY, score smallint NOT NULL)"))
    engine.dispose()


def count_responses(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        # One statement, one snapshot: answers still committing cannot fall between two reads.
        count, daily = connection.execute(text(
            "SELECT (SELECT count(*) FROM response), "
            "(SELECT coalesce(sum(n), 0) FROM resident_daily)")).one()
    engine.dispose()
    if count != daily:
        raise SystemExit(f"aggregate out of step: {count} responses, resident_daily n={daily}")
    return count


def settled_count(url: str, timeout: float = 20.0) -> int:
    """The response count once requests still queued in gunicorn have been served."""
    deadline = time.monotonic() + timeout
    last = count_responses(url)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = count_responses(url)
        if now == last:
            return now
        last = now
    return last


def drop_database(server: str, url: str) -> None:
    from sqlalchemy import create_engine, text

    name = url.rsplit("/", 1)[1]
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class Gunicorn:
    """gunicorn with the repository's config file on a free loopback port."""

    def __init__(self, app: str, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.env = {**os.environ, **env, "SURVEY_BIND": f"127.0.0.1:{self.port}",
                    "SURVEY_WORKERS": str(workers), "SURVEY_LOG_LEVEL": "warning"}
        self.app = app
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", str(GUNICORN_CONF), self.app],
            cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn {self.app} exited with {self.process.returncode}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz" if "wsgi" in self.app else "/")
                if connection.getresponse().status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"gunicorn {self.app} did not answer within 30 s")

    def __exit__(self, *exc) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def fetch_pairs(port: int, count: int) -> list[tuple[str, str]]:
    """``count`` (session cookie, CSRF token) pairs from GETs of the form."""
    pairs = []
    for index in range(count):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", f"/{LANG}/s/KAI-B{index % UNITS + 1:02d}")
        response = connection.getresponse()
        html = response.read().decode()
        cookie = response.getheader("Set-Cookie").split(";", 1)[0]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        pairs.append((cookie, token))
        connection.close()
    return pairs


def write_pool(path: Path, pairs: list[tuple[str, str]]) -> None:
    lines = ["pool = {"]
    lines += [f'  {{cookie = "{cookie}", token = "{token}"}},' for cookie, token in pairs]
    lines.append("}")
    lines.append("units = {" + ", ".join(f'"KAI-B{i:02d}"' for i in range(1, UNITS + 1)) + "}")
    lines.append(f'lang = "{LANG}"')
    path.write_text("\n".join(lines) + "\n")


_UNITS_RE = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise SystemExit(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * _UNITS_RE[match.group(2)]


def run_wrk(wrk: str, url: str, threads: int, connections: int, duration: int,
            script: Path | None = None, script_args: list[str] = ()) -> dict:
    """One wrk run: requests/s, p50/p99 (ms), status counts (with the Lua script)."""
    result_file = Path(tempfile.mkstemp(suffix=".json")[1])
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
               "--timeout", "10s"]
    if script:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, capture_output=True, text=True, check=True,
                            timeout=duration + 30,
                            env={**os.environ, "WRK_RESULT": str(result_file)}).stdout
    stats = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50_ms": _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99_ms": _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "socket_errors": re.search(r"Socket errors:.*", output).group(0)
        if "Socket errors" in output else "none",
    }
    if script and result_file.stat().st_size:
        stats["statuses"] = {int(k): v for k, v in json.loads(result_file.read_text()).items()}
    result_file.unlink()
    return stats


def open_loop(port: int, pairs: list[tuple[str, str]], rate: float, duration: float,
              workers: int = 64) -> dict:
    """Submissions scheduled at a fixed rate; latency from the scheduled moment to the answer."""
    import random

    rng = random.Random(7)
    total = int(rate * duration)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    local = threading.local()

    def submit(index: int, scheduled: float, unit: str, score: int) -> None:
        cookie, token = pairs[index % len(pairs)]
        body = urllib.parse.urlencode({"csrf_token": token, "recommend": score,
                                       "useful": (index % 5) + 1})
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("POST", f"/{LANG}/s/{unit}", body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
            response = connection.getresponse()
            response.read()
            status = response.status
            connection.close()
        except OSError:
            status = 0
        elapsed = (time.perf_counter() - scheduled) * 1000
        with lock:
            latencies.append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1

    del local
    start = time.perf_counter() + 0.2
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for index in range(total):
            scheduled = start + index / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(submit, index, scheduled, f"KAI-B{rng.randint(1, UNITS):02d}",
                        rng.randint(0, 10))
    achieved = total / (time.perf_counter() - start)
    latencies.sort()
    return {"rate": rate, "sent": total, "achieved_rps": round(achieved, 1),
            "p50_ms": round(statistics.median(latencies), 1),
            "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))], 1),
            "max_ms": round(latencies[-1], 1), "statuses": statuses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rate", type=float, default=200.0, help="open-loop submissions/s")
    parser.add_argument("--rate-duration", type=float, default=10.0)
    parser.add_argument("--pool", type=int, default=64, help="session + CSRF pairs")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--markdown", type=Path, help="append the result row to this file")
    args = parser.parse_args()

    wrk = ensure_wrk()
    url = create_database(args.server)
    pool_file = ROOT / "bench" / "_pool.lua"
    try:
        with Gunicorn("bench.minimal_app:app", {}, args.workers) as minimal:
            baseline = run_wrk(wrk, f"http://127.0.0.1:{minimal.port}/", args.threads,
                               args.connections, args.duration)
        create_naive_table(url)
        write_pool(pool_file, [("naive=1", "none")])
        with Gunicorn("bench.naive_insert_app:app", {"SURVEY_DATABASE_URL": url},
                      args.workers) as naive_app:
            naive = run_wrk(wrk, f"http://127.0.0.1:{naive_app.port}/", args.threads,
                            args.connections, args.duration, ROOT / "bench" / "submit.lua",
                            [str(pool_file)])
        env = {"SURVEY_CONFIG": "config.ProductionConfig",
               "SURVEY_SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
               "SURVEY_DATABASE_URL": url, "SURVEY_RATELIMIT_ENABLED": "false",
               "SURVEY_HONEYPOT_ENABLED": "false"}
        with Gunicorn("wsgi:app", env, args.workers) as service:
            pairs = fetch_pairs(service.port, args.pool)
            write_pool(pool_file, pairs)
            before = count_responses(url)
            submissions = run_wrk(wrk, f"http://127.0.0.1:{service.port}/", args.threads,
                                  args.connections, args.duration,
                                  ROOT / "bench" / "submit.lua", [str(pool_file)])
            stored_wrk = settled_count(url) - before
            before = settled_count(url)
            fixed = open_loop(service.port, pairs, args.rate, args.rate_duration)
            stored_fixed = settled_count(url) - before
    finally:
        pool_file.unlink(missing_ok=True)
        if not args.keep_database:
            drop_database(args.server, url)

    acked = submissions["statuses"].get(303, 0)
    errors_5xx = sum(v for k, v in submissions["statuses"].items() if k >= 500)
    errors_5xx += sum(v for k, v in fixed["statuses"].items() if k >= 500)
    ratio = submissions["rps"] / baseline["rps"]
    naive_ratio = naive["rps"] / baseline["rps"]
    summary = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average": round(os.getloadavg()[0], 1),
        "minimal": baseline, "naive_insert": naive, "naive_ratio": round(naive_ratio, 3),
        "submissions": submissions, "ratio": round(ratio, 3),
        "stored_wrk": stored_wrk, "acknowledged_wrk": acked,
        "in_flight_at_cutoff": stored_wrk - acked,
        "fixed_rate": fixed, "stored_fixed": stored_fixed, "errors_5xx": errors_5xx,
    }
    print(json.dumps(summary, indent=2))
    row = (f"| {summary['when']} (load {summary['load_average']}) "
           f"| {baseline['rps']:.0f} | {naive['rps']:.0f} ({naive_ratio:.2f}) "
           f"| {submissions['rps']:.0f} | **{ratio:.2f}** "
           f"| {submissions['p50_ms']:.1f} / {submissions['p99_ms']:.1f} "
           f"| {fixed['achieved_rps']:.0f}/s: {fixed['p50_ms']:.1f} / {fixed['p99_ms']:.1f} "
           f"| {stored_wrk} / {acked} | {stored_fixed} / {fixed['statuses'].get(303, 0)} "
           f"| {errors_5xx} |")
    print(row)
    if args.markdown:
        with args.markdown.open("a") as out:
            out.write(row + "\n")
    problems = []
    if errors_5xx:
        problems.append(f"{errors_5xx} responses were 5xx")
    if not 0 <= stored_wrk - acked <= args.connections:
        problems.append(f"wrk: {stored_wrk} stored but {acked} acknowledged")
    if stored_fixed != fixed["statuses"].get(303, 0):
        problems.append(f"fixed rate: {stored_fixed} stored, {fixed['statuses']} answered")
    if problems:
        raise SystemExit("; ".join(problems))


if __name__ == "__main__":
    main()
