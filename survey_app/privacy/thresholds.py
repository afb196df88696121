"""Anonymity thresholds: the smallest group whose numbers or comments may be shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

#: No configuration may set a threshold below this.
MINIMUM_THRESHOLD = 3

_CONFIG_KEYS = {
    "staff": "PRIVACY_MIN_STAFF",
    "resident": "PRIVACY_MIN_RESIDENT",
    "comments": "PRIVACY_MIN_COMMENTS",
}
_KIND_ALIASES = {"staff": "staff", "pulse": "staff", "resident": "resident"}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Minimum respondents per shown cell: staff and resident scores, and comments."""

    staff: int = 5
    resident: int = 5
    comments: int = 10

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(
                    f"privacy threshold {field.name!r} must be an integer, got {value!r}"
                )
            if value < MINIMUM_THRESHOLD:
                raise ValueError(
                    f"privacy threshold {field.name!r} is {value}; it may never be below "
                    f"{MINIMUM_THRESHOLD} respondents"
                )

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Thresholds:
        """Read ``PRIVACY_MIN_STAFF``, ``PRIVACY_MIN_RESIDENT``, ``PRIVACY_MIN_COMMENTS``.

        Missing keys keep the defaults. Integer strings (from environment variables) are
        accepted; anything else raises ``ValueError`` naming the key.
        """
        values = {}
        for name, key in _CONFIG_KEYS.items():
            if key in config and config[key] is not None:
                values[name] = _as_int(key, config[key])
        return cls(**values)

    def for_kind(self, kind: str) -> int:
        """Return the score threshold for ``"resident"`` or ``"staff"``/``"pulse"``."""
        try:
            return getattr(self, _KIND_ALIASES[kind])
        except KeyError:
            raise ValueError(
                f"unknown survey kind {kind!r}; expected 'resident', 'staff' or 'pulse'"
            ) from None


def _as_int(key: str, value: Any) -> int:
    """Convert a config value to int, refusing floats, booleans and junk."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(f"{key} must be an integer, got {value!r}")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key} must be an integer, got {value!r}") from None
