"""A real SMTP server (aiosmtpd) on a free loopback port that keeps what it received.

Recipients starting with ``busy`` get ``451`` (try later) and with ``gone`` get ``550``.
"""

from __future__ import annotations

import email
import email.policy
import threading
from dataclasses import dataclass

from aiosmtpd.controller import Controller

from tests.reach.kannel import free_ports


@dataclass(frozen=True)
class Mail:
    """One received message."""

    to: str
    subject: str
    body: str
    language: str | None


class Recorder:
    """aiosmtpd handler: refuses the special recipients, keeps every accepted message."""

    def __init__(self) -> None:
        self.messages: list[Mail] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("busy"):
            return "451 4.3.0 Mailbox busy, try again later"
        if address.startswith("gone"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = parsed.get_body(("plain",)).get_content()
        with self.lock:
            for to in envelope.rcpt_tos:
                self.messages.append(Mail(to, str(parsed["Subject"]).strip(), body,
                                          parsed.get("Content-Language")))
        return "250 Message accepted"


class SmtpServer:
    """Start/stop an aiosmtpd Controller on 127.0.0.1."""

    def __init__(self) -> None:
        (self.port,) = free_ports(1)
        self.recorder = Recorder()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpServer:
        """Start serving (returns when the server accepts connections)."""
        self.controller.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.controller.stop()

    @property
    def messages(self) -> list[Mail]:
        """Everything received so far."""
        with self.recorder.lock:
            return list(self.recorder.messages)

    def settings(self) -> dict:
        """App config overrides that send through this server."""
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_USE_TLS": False,
                "MAIL_DEFAULT_SENDER": "kysely@example.fi"}
