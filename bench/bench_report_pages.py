"""Benchmark: report page times on the demo county through the development server.

Builds the demo county once in a SQLite file (``survey-app db upgrade`` + ``survey-app demo``),
serves it with ``survey-app run`` (Flask's development server) on a free loopback port, logs in
through the real login form and times each report page over HTTP: the first request after
login (the page a user waits for) and the median of ``--repeat`` more.

``--code`` runs another checkout of the code against the same database, so the code before and
after a change can be measured in one run on the same data:

    git archive <commit> | tar -x -C /tmp/before && (cd /tmp/before && <venv>/bin/survey-app \
        translations compile)
    python bench/bench_report_pages.py --db /tmp/demo.db              # this checkout
    python bench/bench_report_pages.py --db /tmp/demo.db --code /tmp/before

Usage: python bench/bench_report_pages.py [--db FILE] [--months 14] [--repeat 5] [--code DIR]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
USERS = {"hr": "demo-hr-2026-pass", "manager.kuhmo": "demo-kuhmo-2026"}
PAGES = {
    "hr": ["/reports/", "/reports/units", "/reports/units?metric=enps", "/reports/unit/TK",
           "/reports/unit/TK-KUH", "/reports/funnel", "/reports/board"],
    "manager.kuhmo": ["/reports/", "/reports/units", "/reports/unit/TK-KUH"],
}


def cli(code: Path, env: dict, *args: str, **kwargs):
    """Run ``survey-app ARGS`` with the code under ``code`` first on the import path."""
    command = [sys.executable, "-c", "from survey_app.cli import main; main()", *args]
    return subprocess.run(command, env=env, cwd=code, check=True, **kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base: str, deadline: float = 60.0) -> None:
    end = time.monotonic() + deadline
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > end:
                raise
        time.sleep(0.1)


class Browser:
    """Cookies and a CSRF token, like a browser without JavaScript."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, float, str]:
        start = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=120) as response:
                body = response.read().decode()
                status = response.status
        except urllib.error.HTTPError as error:
            body, status = error.read().decode(), error.code
        return status, (time.perf_counter() - start) * 1000, body

    def log_in(self, username: str, password: str, period: str | None = None
               ) -> tuple[float, float]:
        """Log in through the form: ms for the POST alone and for the page it leads to
        (with ``period``, that page for the period, so that two versions of the code with
        different default periods are timed on the same numbers)."""
        _, _, page = self.get("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrf_token": token}).encode()
        no_redirect = urllib.request.build_opener(
            *[h for h in self.opener.handlers
              if not isinstance(h, urllib.request.HTTPRedirectHandler)], NoRedirect())
        start = time.perf_counter()
        try:
            no_redirect.open(self.base + "/login", data=data, timeout=120)
        except urllib.error.HTTPError as error:
            location = error.headers["Location"]
        post_ms = (time.perf_counter() - start) * 1000
        target = urllib.parse.urljoin("/login", location)
        target = target if target != "/" else "/reports/"
        status, after_ms, _ = self.get(with_period(target, period))
        assert status == 200, status
        return post_ms, after_ms


def with_period(path: str, period: str | None) -> str:
    """``path`` with ``period=`` added (unchanged without a period)."""
    if not period:
        return path
    return f"{path}{'&' if '?' in path else '?'}period={period}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--months", type=int, default=14)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--code", type=Path, default=ROOT)
    parser.add_argument("--period", default=None,
                        help="ask every page for this period instead of the default one")
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp(prefix="bench-pages-")) / "demo.db"
    env = {**os.environ, "SURVEY_DATABASE_URL": f"sqlite:///{db}",
           "PYTHONPATH": str(args.code.resolve()), "SURVEY_SECRET_KEY": "bench-only-secret"}
    if not db.exists():
        started = time.perf_counter()
        cli(ROOT, env | {"PYTHONPATH": str(ROOT)}, "db", "upgrade", capture_output=True)
        cli(ROOT, env | {"PYTHONPATH": str(ROOT)}, "demo", "--months", str(args.months),
            capture_output=True)
        print(f"demo county built in {time.perf_counter() - started:.0f} s: {db}")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from survey_app.cli import main; main()", "run", "--host",
         "127.0.0.1", "--port", str(port), "--without-threads"], env=env, cwd=args.code,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        print(f"code: {args.code.resolve()}, period: {args.period or 'default'}\n")
        print("| user | page | status | first ms | median ms |")
        print("|---|---|---|---|---|")
        for username, password in USERS.items():
            browser = Browser(base)
            post_ms, after_ms = browser.log_in(username, password, args.period)
            print(f"| {username} | POST /login (Argon2id) | 302 | {post_ms:.0f} | |")
            print(f"| {username} | page after login | 200 | {after_ms:.0f} | |")
            for path in PAGES[username]:
                path = with_period(path, args.period)
                status, first, _ = browser.get(path)
                times = [browser.get(path)[1] for _ in range(args.repeat)]
                print(f"| {username} | {path} | {status} | {first:.0f} | "
                      f"{statistics.median(times):.0f} |")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
