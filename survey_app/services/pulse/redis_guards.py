"""Pending guards in Redis: nothing about a pending mark is ever written to the database.

Used when ``PULSE_GUARD_URL`` (or else ``RATELIMIT_STORAGE_URI``) is a ``redis://`` URL.
Keys (under ``PULSE_GUARD_PREFIX``):

* ``guard:<guard>``: exists while the invitation's mark is pending. Set with NX and a short
  expiry while the answer is being stored (a worker that dies meanwhile frees the link again
  after ``CLAIM_SECONDS``), then kept without expiry until its mark is written.
* ``pending:<survey id>:<unit id>``: the set of pending guards of a round and unit, from
  which batches are popped at random (``SPOP``) and written as used marks.

Redis keeps no times with the keys once they are persistent (on purpose: an expiry would
date the answer while its mark is pending; finalising removes the keys), and it should run
without persistence (``--save "" --appendonly no``), as for the rate limits: then a pending
guard is never on a disk. A Redis restart loses the pending guards (those people could answer
once more, and the used count misses them); no answer is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import redis

from survey_app.errors import ServiceUnavailable

log = logging.getLogger(__name__)
#: Seconds a guard taken for an answer being stored lives if that answer never finishes.
CLAIM_SECONDS = 120


class RedisGuards:
    """The guard store on one Redis database."""

    def __init__(self, url: str, prefix: str = "survey:pulse:") -> None:
        self.client = redis.Redis.from_url(url, decode_responses=True)
        self.prefix = prefix

    def _guard(self, guard: str) -> str:
        return f"{self.prefix}guard:{guard}"

    def _pending(self, survey_id: int, unit_id: int | str) -> str:
        return f"{self.prefix}pending:{survey_id}:{unit_id}"

    def is_pending(self, guard: str) -> bool:
        """True while the guard exists (being answered, or mark pending)."""
        try:
            return bool(self.client.exists(self._guard(guard)))
        except redis.RedisError:
            raise ServiceUnavailable() from None

    @contextmanager
    def claim(self, guard: str, survey_id: int, unit_id: int, is_used: Callable[[], bool],
              taken: type[Exception]) -> Iterator[None]:
        """Take the guard (NX), check the database's mark, run the body, keep the guard."""
        key = self._guard(guard)
        try:
            taken_now = self.client.set(key, f"{survey_id}:{unit_id}", nx=True,
                                        ex=CLAIM_SECONDS)
        except redis.RedisError:
            raise ServiceUnavailable() from None  # nothing stored yet
        if not taken_now:
            raise taken()
        try:
            if is_used():
                raise taken()
            yield
        except BaseException:
            try:
                self.client.delete(key)
            except redis.RedisError:
                log.warning("a guard could not be released; it expires by itself")
            raise
        try:
            with self.client.pipeline() as pipe:
                pipe.persist(key).sadd(self._pending(survey_id, unit_id), guard).execute()
        except redis.RedisError:
            log.warning("a pending used mark could not be kept; its link may be used again")

    def count(self, survey_id: int, unit_id: int | None = None) -> int:
        """Pending guards of a round (and unit)."""
        if unit_id is not None:
            return int(self.client.scard(self._pending(survey_id, unit_id)))
        return sum(int(self.client.scard(key)) for key in self._pending_keys(survey_id))

    def by_survey(self) -> dict[int, int]:
        """Pending guards per round id."""
        counts: dict[int, int] = {}
        for key in self._pending_keys("*"):
            survey_id = int(key.removeprefix(self.prefix).split(":")[1])
            counts[survey_id] = counts.get(survey_id, 0) + int(self.client.scard(key))
        return {survey: n for survey, n in counts.items() if n}

    def units(self, survey_id: int) -> list[int]:
        """Units of a round with pending guards."""
        return [int(key.rsplit(":", 1)[1]) for key in self._pending_keys(survey_id)
                if self.client.scard(key)]

    def pop(self, survey_id: int, unit_id: int, batch: int) -> list[str]:
        """``batch`` random guards if 2 × batch are pending (batch 0: all of them)."""
        key = self._pending(survey_id, unit_id)
        size = int(self.client.scard(key))
        if not size or (batch and size < 2 * batch):
            return []
        return list(self.client.spop(key, batch or size) or [])

    def put_back(self, survey_id: int, unit_id: int, guards: list[str]) -> None:
        """Writing the marks failed: the guards wait for the next batch."""
        if guards:
            self.client.sadd(self._pending(survey_id, unit_id), *guards)

    def done(self, guards: list[str]) -> None:
        """The marks are in the database: the guards can go."""
        if guards:
            self.client.delete(*(self._guard(guard) for guard in guards))

    def _pending_keys(self, survey_id: int | str) -> list[str]:
        return list(self.client.scan_iter(match=self._pending(survey_id, "*"), count=500))
