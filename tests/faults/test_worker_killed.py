"""A gunicorn worker killed with SIGKILL in the middle of load: every acknowledged answer is
stored, nothing but answers that were sent is stored, and answer and aggregate never part.

Each submission carries a unique comment, so the stored rows can be matched one by one to
what the clients saw: 303 (acknowledged), another status, or a broken connection (unknown:
the worker may have died just before or just after its commit).
"""

from __future__ import annotations

import os
import signal
import threading
import urllib.parse

import pytest
from sqlalchemy import func, select

from survey_app.models import ResidentDaily, ResidentItemDaily, Response
from tests.faults.support import post, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CLIENTS = 4
KILLS = 2
WORKERS = 4


def _marker(index: int) -> str:
    """A unique comment made of letters only (the redactor leaves it alone)."""
    return "merkki " + "".join("abcdefghij"[int(digit)] for digit in f"{index:06d}")


def test_every_acknowledged_answer_survives_a_killed_worker(
        gunicorn_server, session, make_unit, make_survey):
    make_survey(make_unit("KAI-KILL"))
    server = gunicorn_server
    outcomes: dict[str, int] = {}
    lock = threading.Lock()
    counter = iter(range(10**6))
    stop = threading.Event()

    def client():
        while not stop.is_set():
            with lock:
                marker = _marker(next(counter))
            body = urllib.parse.urlencode({"recommend": "7", "useful": "4", "comment": marker})
            status = post(server.port, "/fi/s/KAI-KILL", body)
            with lock:
                outcomes[marker] = status

    def acks() -> int:
        with lock:
            return sum(status == 303 for status in outcomes.values())

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    killed = []
    try:
        for thread in threads:
            thread.start()
        for _ in range(KILLS):
            wait_until(lambda: acks() >= 10, timeout=20)
            before = acks()
            victim = server.workers()[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
            # The other worker (and gunicorn's replacement) go on answering.
            wait_until(lambda before=before: acks() >= before + 10, timeout=20)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=20)

    acknowledged = {m for m, s in outcomes.items() if s == 303}
    unknown = {m for m, s in outcomes.items() if s == 0}
    refused = {m for m, s in outcomes.items() if s not in (0, 303)}
    session.expire_all()
    stored = list(session.scalars(select(Response.comment)))
    assert len(killed) == KILLS
    wait_until(lambda: len(server.workers()) == WORKERS, timeout=30)
    assert acknowledged and not {s for s in outcomes.values() if s >= 500}
    assert len(stored) == len(set(stored)), "an answer was stored twice"
    assert acknowledged <= set(stored), "an acknowledged answer was lost"
    assert set(stored) <= acknowledged | unknown, "something not acknowledged was stored"
    assert not refused & set(stored)
    # Answer and aggregates are committed together or not at all.
    assert session.scalar(select(func.sum(ResidentDaily.n))) == len(stored)
    assert session.scalar(select(func.sum(ResidentDaily.comments))) == len(stored)
    assert session.scalar(select(func.sum(ResidentItemDaily.count))) == len(stored)


def test_one_invitation_sent_by_many_at_once_under_load_is_used_exactly_once(
        gunicorn_server, session, make_unit, make_survey):
    """20 simultaneous answers with one token on 4 worker processes, with resident load
    running beside them: one 303, the rest 409, one stored answer."""
    from datetime import UTC, datetime, timedelta

    from survey_app.models import StaffRound
    from tests.pulse_support import answer_form, issue_tokens, used_count

    make_survey(make_unit("KAI-BUSY"))
    team = make_unit("KAI-RACE2", kind="staff")
    survey = make_survey(team, kind="pulse", code="race2",
                         closes_at=datetime.now(UTC) + timedelta(days=1))
    (token,) = issue_tokens(session, survey, team, 1)
    port = gunicorn_server.port
    body = urllib.parse.urlencode(answer_form(score="9"))
    barrier = threading.Barrier(20)
    statuses: list[int] = []
    stop = threading.Event()

    def background():
        while not stop.is_set():
            post(port, "/fi/s/KAI-BUSY", "recommend=5")

    def racer():
        barrier.wait(timeout=30)
        statuses.append(post(port, f"/fi/p/{token}", body, timeout=30))

    noise = [threading.Thread(target=background) for _ in range(2)]
    racers = [threading.Thread(target=racer) for _ in range(20)]
    for thread in noise + racers:
        thread.start()
    for thread in racers:
        thread.join(timeout=60)
    stop.set()
    for thread in noise:
        thread.join(timeout=20)
    assert sorted(statuses) == [303] + [409] * 19
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Response)
                          .where(Response.survey_id == survey.id)) == 1
    assert used_count(session) == 1
    assert session.scalars(select(StaffRound)).one().n == 1


def test_every_acknowledged_staff_answer_and_its_guard_survive_a_killed_worker(
        gunicorn_server, session, make_unit, make_survey):
    """Staff answers under load (each link sent once) while workers are killed: every
    acknowledged answer is stored once with its guard or mark, and no guard or mark exists
    without its answer (the guard commits only after the answer)."""
    from datetime import UTC, datetime, timedelta

    from survey_app.models import StaffRound
    from tests.pulse_support import answer_form, issue_tokens, used_count

    team = make_unit("KAI-KILL-S", kind="staff")
    survey = make_survey(team, kind="pulse", code="kill-s",
                         closes_at=datetime.now(UTC) + timedelta(days=1))
    tokens = iter(issue_tokens(session, survey, team, 3000))
    server = gunicorn_server
    outcomes: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def client():
        while not stop.is_set():
            with lock:
                token = next(tokens)
                marker = _marker(len(outcomes))
                outcomes[marker] = -1
            body = urllib.parse.urlencode(answer_form(comment=marker))
            status = post(server.port, f"/fi/p/{token}", body)
            with lock:
                outcomes[marker] = status

    def acks() -> int:
        with lock:
            return sum(status == 303 for status in outcomes.values())

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    try:
        for thread in threads:
            thread.start()
        for _ in range(KILLS):
            wait_until(lambda: acks() >= 25, timeout=30)
            before = acks()
            os.kill(server.workers()[0], signal.SIGKILL)
            wait_until(lambda before=before: acks() >= before + 25, timeout=30)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=20)

    acknowledged = {m for m, s in outcomes.items() if s == 303}
    unknown = {m for m, s in outcomes.items() if s == 0}
    session.expire_all()
    stored = list(session.scalars(select(Response.comment)
                                  .where(Response.survey_id == survey.id)))
    assert not {s for s in outcomes.values() if s >= 500 or s == -1}
    assert len(stored) == len(set(stored)), "an answer was stored twice"
    assert acknowledged <= set(stored), "an acknowledged answer was lost"
    assert set(stored) <= acknowledged | unknown
    assert session.scalars(select(StaffRound)).one().n == len(stored)
    assert len(acknowledged) <= used_count(session) <= len(stored)
    wait_until(lambda: len(server.workers()) == WORKERS, timeout=30)
