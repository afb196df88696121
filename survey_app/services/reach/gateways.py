"""SMS gateways behind one small interface: Kannel's sendsms, a generic HTTPS JSON API, a log.

``send(to, text)`` returns when the gateway accepted the message and raises
:class:`TemporaryFailure` (try again later) or :class:`PermanentFailure` (never retry).
"""

from __future__ import annotations

import http.client
import json
import logging
import re
from urllib.parse import urlencode, urlsplit

from flask import current_app

log = logging.getLogger(__name__)

#: GSM 03.38 basic set and extension table: text made only of these goes as 7-bit GSM,
#: anything else (Arabic, Cyrillic …) as UCS-2, which Kannel wants as charset=UTF-8&coding=2.
GSM_CHARACTERS = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà" "^{}\\[~]|€")


def is_gsm(text: str) -> bool:
    """True when ``text`` can go in the GSM 7-bit alphabet."""
    return all(char in GSM_CHARACTERS for char in text)


class GatewayFailure(Exception):
    """The gateway did not accept the message; ``reason`` is short and holds no number."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:60]


class TemporaryFailure(GatewayFailure):
    """Try again later (network, 5xx, throttling, SMTP 4xx)."""


class PermanentFailure(GatewayFailure):
    """Never retry (refused number, bad request, SMTP 5xx)."""


class _KeepAlive:
    """One HTTP(S) connection reused across messages (a worker sends one at a time)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"bad gateway URL {url!r}")
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname, parts.port
        self.path = parts.path or "/"
        self.query = parts.query
        self.timeout = timeout
        self._connection = None

    def request(self, method: str, target: str, body=None, headers=None) -> tuple[int, str]:
        """Status and body; a dropped keep-alive connection is retried once."""
        for attempt in (1, 2):
            connection = self._connection or self._connect()
            try:
                connection.request(method, target, body=body, headers=headers or {})
                response = connection.getresponse()
                text = response.read(2000).decode("utf-8", "replace")
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, text
            except (http.client.HTTPException, OSError) as error:
                self.close()
                if attempt == 2 or not isinstance(error, http.client.RemoteDisconnected | \
                                                  BrokenPipeError | ConnectionResetError):
                    raise TemporaryFailure(f"network {type(error).__name__}") from None
        raise TemporaryFailure("network")

    def _connect(self):
        kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        self._connection = kind(self.host, self.port, timeout=self.timeout)
        return self._connection

    def close(self) -> None:
        """Drop the connection (a new one is made for the next message)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _classify(status: int, body: str) -> None:
    if 200 <= status < 300:
        return
    if status in (408, 429) or status >= 500:
        raise TemporaryFailure(f"http {status}")
    raise PermanentFailure(f"http {status} {body.strip()[:40]}")


class KannelGateway:
    """Kannel's HTTP ``sendsms`` (smsbox): GET with UTF-8 text, UCS-2 for non-GSM text.

    Kannel answers 202 ``0: Accepted for delivery`` or ``3: Queued for later delivery``
    (both accepted), 403 for a refused number or bad credentials, 400 for a bad request.
    """

    def __init__(self, url: str, username: str, password: str, sender: str = "",
                 dlr_url: str = "") -> None:
        self.http = _KeepAlive(url)
        self.username, self.password, self.sender = username, password, sender
        self.dlr_url = dlr_url

    def send(self, to: str, text: str, dlr: str = "") -> None:
        """Hand one message to smsbox; return when accepted."""
        params = {"username": self.username, "password": self.password, "to": to,
                  "text": text, "charset": "UTF-8"}
        if not is_gsm(text):
            params["coding"] = "2"
        if self.sender:
            params["from"] = self.sender
        if dlr:
            params["dlr-mask"] = "31"
            params["dlr-url"] = dlr
        status, body = self.http.request("GET", f"{self.http.path}?{urlencode(params)}")
        if status == 403 and "Authorization" in body:
            raise TemporaryFailure("kannel authorization failed")  # our setting, not the number
        _classify(status, body)

    def close(self) -> None:
        """Close the kept connection."""
        self.http.close()


class HttpJsonGateway:
    """A commercial provider's HTTPS JSON API: POST the configured body template."""

    def __init__(self, url: str, auth_header: str, body_template: str, sender: str = "") -> None:
        self.http = _KeepAlive(url)
        self.headers = {"Content-Type": "application/json; charset=utf-8"}
        if auth_header:
            name, _sep, value = auth_header.partition(":")
            self.headers[name.strip()] = value.strip()
        self.template = json.loads(body_template)
        self.sender = sender

    def send(self, to: str, text: str, dlr: str = "") -> None:
        """POST the body with {to}, {text}, {sender} filled in; 2xx means accepted."""
        values = {"to": to, "text": text, "sender": self.sender,
                  "coding": "gsm" if is_gsm(text) else "ucs2"}
        body = json.dumps(_fill(self.template, values), ensure_ascii=False).encode("utf-8")
        target = self.http.path + (f"?{self.http.query}" if self.http.query else "")
        status, answer = self.http.request("POST", target, body, self.headers)
        _classify(status, answer)

    def close(self) -> None:
        """Close the kept connection."""
        self.http.close()


def _fill(template, values: dict):
    if isinstance(template, str):
        return re.sub(r"\{(to|text|sender|coding)\}", lambda m: values[m.group(1)], template)
    if isinstance(template, list):
        return [_fill(item, values) for item in template]
    if isinstance(template, dict):
        return {key: _fill(value, values) for key, value in template.items()}
    return template


class LogGateway:
    """Development: accept everything and log a masked number and the text's length."""

    def __init__(self, show_text: bool = False) -> None:
        self.show_text = show_text

    def send(self, to: str, text: str, dlr: str = "") -> None:
        """Log instead of sending."""
        shown = text if self.show_text else f"{len(text)} characters"
        log.info("SMS (log backend) to %s: %s", mask(to), shown)

    def close(self) -> None:
        """Nothing to close."""


def mask(number: str) -> str:
    """``+358401234567`` → ``+35840*****67``: enough to recognise a test number."""
    return number[:6] + "*" * max(len(number) - 8, 0) + number[-2:]


def sms_gateway():
    """The gateway named by ``SMS_BACKEND``."""
    config = current_app.config
    backend = str(config.get("SMS_BACKEND", "log")).lower()
    if backend == "kannel":
        return KannelGateway(config["SMS_KANNEL_URL"], config.get("SMS_KANNEL_USERNAME", ""),
                             config.get("SMS_KANNEL_PASSWORD", ""), config.get("SMS_SENDER", ""))
    if backend == "http":
        return HttpJsonGateway(config["SMS_HTTP_URL"], config.get("SMS_HTTP_AUTH_HEADER", ""),
                               config["SMS_HTTP_BODY_TEMPLATE"], config.get("SMS_SENDER", ""))
    if backend == "log":
        return LogGateway(bool(config.get("SMS_LOG_SHOW_TEXT", False)))
    raise ValueError(f"SMS_BACKEND must be kannel, http or log, not {backend!r}")

