"""SIGKILL the outbox worker mid-batch, restart it: no visit gets two messages, and every
visit still queued at the kill gets exactly one. Rows claimed at the kill are never sent
again (at most once): they end ``unsure`` with their number deleted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter

import pytest
from sqlalchemy import select

from survey_app.models import OutboxMessage
from survey_app.services.reach import visits as visit_service
from tests.faults.support import wait_until
from tests.reach.conftest import visit
from tests.reach.helpers import unique_number

VISITS = 1200


def _worker(app, kannel, log, **extra) -> subprocess.Popen:
    env = {**os.environ, "SURVEY_DATABASE_URL": app.config["DATABASE_URL"],
           "SURVEY_SMS_QUIET_HOURS": "none", "SURVEY_OUTBOX_BATCH": "100",
           **{f"SURVEY_{key}": str(value) for key, value in kannel.settings().items()},
           **{f"SURVEY_{key}": str(value) for key, value in extra.items()}}
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-c",
                                 "from survey_app.cli import main; main()",
                                 "outbox", "run", "--once"], env=env, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


@pytest.mark.slow
def test_a_worker_killed_mid_batch_never_sends_twice_and_the_rest_goes_after_restart(
        make_app, session, make_unit, kannel, tmp_path):
    app = make_app(SMS_QUIET_HOURS="none")
    unit = make_unit("KAJ-TK", kind="resident")
    unit.sms = True
    session.commit()
    people = [unique_number() for _ in range(VISITS)]
    with app.app_context():
        visit_service.queue_visits(session, [visit(phone=local) for local, _e164 in people])
    numbers = {e164 for _local, e164 in people}
    number_of = {row.id: row.recipient for row in session.scalars(select(OutboxMessage))}
    assert len(number_of) == VISITS

    def arrived() -> Counter:
        return Counter(m.to for m in kannel.received() if m.to in numbers)

    log = tmp_path / "worker.log"
    worker = _worker(app, kannel, log)
    wait_until(lambda: sum(arrived().values()) >= 300 or worker.poll() is not None, 60)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert worker.returncode == -signal.SIGKILL, "the worker finished before it was killed"

    session.expire_all()
    at_kill = {row.id: row.state for row in session.scalars(select(OutboxMessage))}
    claimed = {number_of[i] for i, state in at_kill.items() if state == "claimed"}
    not_claimed = {number_of[i] for i, state in at_kill.items() if state != "claimed"}
    assert any(state == "queued" for state in at_kill.values())

    restarted = _worker(app, kannel, log, OUTBOX_CLAIM_TIMEOUT=0)
    assert restarted.wait(timeout=120) == 0, log.read_text()
    wait_until(lambda: not_claimed <= set(arrived()), 60)

    counts = arrived()
    assert max(counts.values()) == 1, "a visit got two messages"
    assert all(counts[number] == 1 for number in not_claimed)
    assert all(counts[number] <= 1 for number in claimed)
    session.expire_all()
    final = Counter((row.state, row.recipient is None)
                    for row in session.scalars(select(OutboxMessage)))
    assert final == Counter({("sent", True): len(not_claimed),
                             ("unsure", True): len(claimed)})
