"""A real Kannel (bearerbox + smsbox) with the fake SMSC, on free loopback ports.

See ../shared/TESTING-sms.md. Start order: bearerbox, fakesmsc, smsbox; each is polled
ready through bearerbox's status page, never by sleeping. ``received()`` parses what the
fake SMSC got (one ``Got message`` line per message; UCS-2 bodies decoded).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

BEARERBOX = "/usr/sbin/bearerbox"
SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
LINE = re.compile(r"Got message \d+: <(\S*) (\S*) (text|ucs-2|data|udh) (.*)>$")
USERNAME, PASSWORD, ADMIN_PASSWORD = "tester", "foobar", "adminpw"

CONFIG = """group = core
admin-port = {admin}
admin-interface = 127.0.0.1
admin-password = {admin_password}
smsbox-port = {smsbox}
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
log-file = "bearerbox.log"
log-level = 1

group = smsc
smsc = fake
smsc-id = fake1
port = {smsc}
our-host = 127.0.0.1
connect-allow-ip = 127.0.0.1
denied-prefix = +999

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {smsbox}
sendsms-port = {sendsms}
sendsms-interface = 127.0.0.1
global-sender = 12345
log-file = "smsbox.log"
log-level = 1

group = sendsms-user
username = {username}
password = {password}
max-messages = 10
"""


def kannel_installed() -> bool:
    """True when the Debian packages kannel and kannel-extras are installed."""
    return all(Path(p).exists() for p in (BEARERBOX, SMSBOX, FAKESMSC))


def free_ports(count: int) -> list[int]:
    """``count`` distinct free loopback ports (held open together while chosen)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@dataclass(frozen=True)
class Received:
    """One message as the fake SMSC got it."""

    sender: str
    to: str
    kind: str
    text: str


class Kannel:
    """bearerbox + fakesmsc + smsbox in ``directory``; ``stop()`` ends all three by PID."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.admin, self.smsbox, self.smsc, self.sendsms = free_ports(4)
        (directory / "kannel.conf").write_text(CONFIG.format(
            admin=self.admin, smsbox=self.smsbox, smsc=self.smsc, sendsms=self.sendsms,
            admin_password=ADMIN_PASSWORD, username=USERNAME, password=PASSWORD))
        self.processes: list[tuple[subprocess.Popen, int]] = []
        self.output = directory / "fakesmsc.out"

    @property
    def url(self) -> str:
        """The sendsms URL for SMS_KANNEL_URL."""
        return f"http://127.0.0.1:{self.sendsms}/cgi-bin/sendsms"

    def settings(self) -> dict:
        """App config overrides that send through this Kannel."""
        return {"SMS_BACKEND": "kannel", "SMS_KANNEL_URL": self.url,
                "SMS_KANNEL_USERNAME": USERNAME, "SMS_KANNEL_PASSWORD": PASSWORD}

    def start(self) -> Kannel:
        """Start the three processes in order, each polled ready."""
        try:
            self._spawn([BEARERBOX, "-v", "4", "kannel.conf"], "bearerbox.out", signal.SIGTERM)
            self._wait(lambda status: status is not None)
            self._spawn([FAKESMSC, "-H", "127.0.0.1", "-r", str(self.smsc), "-m", "0",
                         "0 0 text unused"], "fakesmsc.out", signal.SIGINT)
            self._wait(lambda status: status and f"FAKE:{self.smsc} (online" in status)
            self._spawn([SMSBOX, "-v", "4", "kannel.conf"], "smsbox.out", signal.SIGTERM)
            self._wait(lambda status: status and "smsbox:" in status and self._accepts())
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self, argv: list[str], out: str, stop_signal: int) -> None:
        handle = open(self.directory / out, "wb")  # noqa: SIM115 - kept for the process's life
        process = subprocess.Popen(argv, cwd=self.directory, stdout=handle,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        handle.close()
        self.processes.append((process, stop_signal))

    def _status(self) -> str | None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.admin, timeout=1)
            connection.request("GET", f"/status.txt?password={ADMIN_PASSWORD}")
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            connection.close()
            return body if response.status == 200 else None
        except OSError:
            return None

    def _accepts(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.sendsms), timeout=0.5).close()
            return True
        except OSError:
            return False

    def _wait(self, ready, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process, _sig in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args[0]} exited with {process.returncode}; "
                                       f"see {self.directory}")
            if ready(self._status()):
                return
            time.sleep(0.02)
        raise RuntimeError(f"Kannel did not become ready in {timeout} s; see {self.directory}")

    def stop(self) -> None:
        """SIGTERM smsbox, SIGINT fakesmsc, SIGTERM bearerbox (by PID), then wait."""
        for process, stop_signal in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(stop_signal)
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.processes = []

    def received(self) -> list[Received]:
        """Every message the fake SMSC has received so far, parts joined.

        Without ``concatenation`` Kannel sends a long text (over 160 GSM or 70 UCS-2
        characters) as consecutive plain parts to the same number; they are joined here.
        """
        joined: list[Received] = []
        for part in self.parts():
            last = joined[-1] if joined else None
            if last and (last.to, last.kind) == (part.to, part.kind) and \
                    not _looks_complete(last.text):
                joined[-1] = Received(last.sender, last.to, last.kind, last.text + part.text)
            else:
                joined.append(part)
        return joined

    def parts(self) -> list[Received]:
        """Every line the fake SMSC has received so far (a long text is several)."""
        if not self.output.exists():
            return []
        messages = []
        for line in self.output.read_text("utf-8", "replace").splitlines():
            match = LINE.search(line)
            if not match:
                continue
            sender, to, kind, body = match.groups()
            if kind == "ucs-2":
                body = urllib.parse.unquote_to_bytes(body.replace("+", " ")).decode("utf-16-be")
            messages.append(Received(sender, to, kind, body))
        return messages

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        """Poll until at least ``count`` messages arrived; return them all."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.received()
            if len(messages) >= count:
                return messages
            time.sleep(0.02)
        raise AssertionError(f"only {len(self.received())} of {count} messages arrived")


def _looks_complete(text: str) -> bool:
    """Our texts end with a whole link (/r/ and 16 code characters)."""
    return re.search(r"/r/[a-z2-7]{16}$", text) is not None


def require_kannel():
    """Skip without Kannel, unless SURVEY_REQUIRE_SMS=1 makes that a failure."""
    import pytest

    if kannel_installed():
        return
    message = "Kannel is not installed: apt-get install -y kannel kannel-extras"
    if os.environ.get("SURVEY_REQUIRE_SMS") == "1":
        pytest.fail("SURVEY_REQUIRE_SMS=1 but " + message)
    pytest.skip(message)


def cleanup(directory: Path) -> None:
    """Remove a Kannel working directory."""
    shutil.rmtree(directory, ignore_errors=True)
