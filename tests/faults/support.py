"""Helpers of the fault tests: a cuttable TCP proxy to PostgreSQL and gunicorn in a subprocess."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.02):
    """Poll ``predicate`` until it returns something truthy, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


class DatabaseProxy:
    """A TCP proxy in front of the shared PostgreSQL server that can be cut and restored.

    ``cut()`` closes every open connection and makes new ones close at once (the port stays
    bound, so the application's URL never changes); ``restore()`` lets connections through
    again. The shared server itself is never touched.
    """

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = threading.Event()
        self.up.set()
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.closed = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.sockets.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            self._close(source)
            self._close(target)

    def _close(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.discard(sock)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()

    def cut(self) -> None:
        """The database goes away: open connections drop, new ones are closed at once."""
        self.up.clear()
        with self.lock:
            sockets = list(self.sockets)
        for sock in sockets:
            self._close(sock)

    def restore(self) -> None:
        """The database is back."""
        self.up.set()

    def close(self) -> None:
        self.closed = True
        self.cut()
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        except OSError:
            pass
        self.listener.close()
        self.thread.join(timeout=5)


class Gunicorn:
    """The app under gunicorn (sync workers, the repository's config file) on a free port."""

    def __init__(self, env: dict[str, str], workers: int = 2, preload: bool = True) -> None:
        self.port = free_port()
        # --preload imports the app once in the master and forks the workers from it: the
        # same workers, booted (and replaced after a kill) in a fraction of the time. The
        # engine's pool is still empty at fork time, so no connection is shared.
        extra = {"GUNICORN_CMD_ARGS": "--preload"} if preload else {}
        self.env = {**os.environ, **extra, **env, "SURVEY_BIND": f"127.0.0.1:{self.port}",
                    "SURVEY_WORKERS": str(workers), "SURVEY_LOG_LEVEL": "warning",
                    "PYTHONPATH": str(ROOT)}
        self.process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c",
             str(ROOT / "survey_app" / "deploy" / "gunicorn.conf.py"), "wsgi:app"],
            cwd=ROOT, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_until(self._answers, timeout=30, interval=0.1)
        return self

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError("gunicorn exited: " + self.process.stderr.read().decode())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            return connection.getresponse().status == 200
        except (OSError, http.client.HTTPException):
            return False
        finally:
            connection.close()

    def workers(self) -> list[int]:
        """Process ids of the live workers."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def stop(self) -> str:
        """Stop gunicorn at once (SIGINT: quick shutdown, no graceful wait); its stderr."""
        os.kill(self.process.pid, signal.SIGINT)
        try:
            _, err = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            _, err = self.process.communicate()
        return err.decode(errors="replace")


def post(port: int, path: str, body: str, timeout: float = 10.0) -> int:
    """POST a form; the status, or 0 when the connection broke before an answer came."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        connection.close()


class PrivateServer:
    """A PostgreSQL server of the test's own (initdb in a temporary folder, its own port), so
    that a test can really stop and start a server without touching the shared one.

    The binaries are the machine's (``pg_config --bindir``, else Debian's
    ``/usr/lib/postgresql/<version>/bin``); as root they run as the ``postgres`` user, since
    PostgreSQL refuses to run as root.
    """

    def __init__(self, directory: Path) -> None:
        self.bindir = _postgres_bindir()
        self.data = directory / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self.log = directory / "server.log"
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "postgres:postgres", str(directory)], check=True)

    def _run(self, *command: str, timeout: float = 60) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, timeout=timeout,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def create(self) -> PrivateServer:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")
        return self

    def start(self) -> None:
        # No unix socket, loopback only; fsync off: this server's durability is not the subject.
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                  "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 "
                        "-c unix_socket_directories='' -c fsync=off", "start")

    def stop(self, mode: str = "fast") -> None:
        """``fast``: open transactions are rolled back and every client is disconnected."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", "-m", mode, "stop")


def server_binaries_available() -> bool:
    """True when initdb and pg_ctl can be found."""
    try:
        _postgres_bindir()
    except AssertionError:
        return False
    return True


def _postgres_bindir() -> Path:
    try:
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                               check=True).stdout.strip()
        if (Path(found) / "initdb").exists():
            return Path(found)
    except (OSError, subprocess.CalledProcessError):
        pass
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not candidates:
        raise AssertionError("no PostgreSQL server binaries (initdb) on this machine")
    return candidates[-1].parent
