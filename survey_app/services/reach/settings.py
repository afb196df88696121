"""Reach settings read from the app config, parsed once per call (cheap), failing clearly."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app

from survey_app.periods import HELSINKI

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class ReachConfigError(ValueError):
    """A reach setting cannot be understood."""


def parse_duration(value) -> timedelta:
    """``7200``, ``"7200"``, ``"120m"``, ``"2h"`` → a timedelta."""
    if isinstance(value, int | float):
        return timedelta(seconds=float(value))
    match = _DURATION.match(str(value))
    if not match:
        raise ReachConfigError(f"bad duration {value!r}: use seconds or e.g. 90m, 2h")
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A nightly window (Helsinki) with no SMS: from ``start`` until ``end`` hours."""

    start: int
    end: int

    @classmethod
    def parse(cls, value: str) -> QuietHours | None:
        """``"21-08"`` → QuietHours(21, 8); empty or ``"none"`` → None."""
        text = str(value or "").strip().lower()
        if text in ("", "none", "off"):
            return None
        match = re.match(r"^(\d{1,2})\s*-\s*(\d{1,2})$", text)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 23:
            raise ReachConfigError(f"bad SMS_QUIET_HOURS {value!r}: use e.g. 21-08")
        return cls(int(match.group(1)), int(match.group(2)))

    def is_quiet(self, moment: datetime) -> bool:
        """True when ``moment`` falls in the window (Helsinki wall clock)."""
        hour = moment.astimezone(HELSINKI).hour
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= hour < self.end
        return hour >= self.start or hour < self.end

    def next_allowed(self, moment: datetime) -> datetime:
        """``moment`` itself outside the window, else the window's end (Helsinki)."""
        if not self.is_quiet(moment):
            return moment
        local = moment.astimezone(HELSINKI)
        end = datetime.combine(local.date(), time(self.end), HELSINKI)
        if end <= local:
            end = datetime.combine(local.date() + timedelta(days=1), time(self.end), HELSINKI)
        return end


@dataclass(frozen=True, slots=True)
class SmsSettings:
    """What the visit intake and the worker need to know."""

    delay: timedelta
    quiet: QuietHours | None
    ask_interval: timedelta
    code_lifetime: timedelta
    max_attempts: int
    backoff: timedelta


def sms_settings() -> SmsSettings:
    """The current app's SMS settings (ReachConfigError on a bad value)."""
    config = current_app.config
    return SmsSettings(
        delay=parse_duration(config.get("SMS_DELAY", "2h")),
        quiet=QuietHours.parse(config.get("SMS_QUIET_HOURS", "21-08")),
        ask_interval=timedelta(days=int(config.get("SMS_ASK_INTERVAL_DAYS", 30))),
        code_lifetime=timedelta(days=int(config.get("SMS_CODE_DAYS", 7))),
        max_attempts=int(config.get("OUTBOX_MAX_ATTEMPTS", 6)),
        backoff=timedelta(seconds=float(config.get("OUTBOX_BACKOFF_SECONDS", 30))))
