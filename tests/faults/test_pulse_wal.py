"""The write-ahead log of a round, read with ``pg_waldump`` as an operator would read it.

A private PostgreSQL server (initdb) takes a round of 107 answers from 120 invitees through
the app, then the round is finalised. The attacker reads every WAL record written since
the invitations were created: which invitation rows each transaction inserted or updated
(block and offset), which answers it inserted, and when it committed. The test keeps the
truth (the order in which people answered, as they answered one by one).

* Without the token key (level 1) the attacker takes the links file's order for the order
  in which invitation rows were inserted, follows each used mark back to its row, and
  pairs the marks of each transaction with the answers inserted since the previous one.
* With the key (level 2) the attacker knows every person's row exactly. With marks written
  in batches of k that still leaves only a group of k answers per batch (chance within
  the batch); with marks written only when the round is finalised, nothing at all.

Pending guards live in an UNLOGGED table: not one of its rows is in the WAL.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from survey_app.cli.database import upgrade
from survey_app.models import OrgUnit, Survey, SurveyKind, UnitKind
from survey_app.services import pulse
from tests.conftest import REQUIRE_POSTGRES
from tests.faults.support import PrivateServer, _postgres_bindir, server_binaries_available
from tests.pulse_linkage import answered_round, chance_bound, correct_pairs, pair_in_order
from tests.pulse_support import stored_hash

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

INVITED, ANSWERING = 120, 107
RECORD = re.compile(r"rmgr: (\w+)\s+len.*?tx:\s+(\d+), lsn: [0-9A-F/]+, prev [0-9A-F/]+, "
                    r"desc: (.*)$")
BLOCKREF = re.compile(r"blkref #(\d+): rel \d+/\d+/(\d+)(?: fork \w+)? blk (\d+)")


@pytest.fixture
def private(postgres_url):
    """A private, migrated PostgreSQL server (its WAL is the test's alone)."""
    if not server_binaries_available():
        if REQUIRE_POSTGRES:
            pytest.fail("SURVEY_REQUIRE_POSTGRES=1 but no PostgreSQL server binaries (initdb)")
        pytest.skip("needs PostgreSQL's server binaries (initdb, pg_ctl, pg_waldump)")
    directory = Path(tempfile.mkdtemp(prefix="survey-wal-"))
    server = PrivateServer(directory).create()
    server.start()
    try:
        upgrade(server.url)
        yield server
    finally:
        try:
            server.stop("immediate")
        finally:
            shutil.rmtree(directory, ignore_errors=True)


def _factories(session: Session):
    """make_unit / make_survey on the private server (the shared fixtures use another)."""
    def make_unit(code, parent=None, kind="both"):
        unit = OrgUnit(code=code, parent_id=parent.id if parent else None, path="/",
                       name_fi=code, name_sv=code, name_en=code, kind=UnitKind(kind),
                       active=True)
        session.add(unit)
        session.flush()
        unit.path = (parent.path if parent else "/") + f"{unit.id}/"
        session.commit()
        return unit

    def make_survey(unit, kind, code, closes_at):
        survey = Survey(code=code, kind=SurveyKind(kind), unit_id=unit.id,
                        instrument_key="staff-pulse", instrument_version=1,
                        opens_at=datetime.now(UTC) - timedelta(days=1), closes_at=closes_at,
                        title="")
        session.add(survey)
        session.commit()
        return survey

    return make_unit, make_survey


def _wal(server: PrivateServer, start: str) -> list[tuple[str, int, str, list]]:
    """(rmgr, xid, description, [(relfilenode, block), …]) of every record since ``start``."""
    dump = subprocess.run(
        [str(_postgres_bindir() / "pg_waldump"), "--path", str(server.data / "pg_wal"),
         "--start", start], capture_output=True, text=True, timeout=120)
    records = []
    for line in dump.stdout.splitlines():
        match = RECORD.match(line)
        if match:
            blocks = sorted((int(n), int(rel), int(blk))
                            for n, rel, blk in BLOCKREF.findall(match[3]))
            records.append((match[1], int(match[2]), match[3],
                            [(rel, blk) for _n, rel, blk in blocks]))
    assert any(r[0] == "Transaction" for r in records), dump.stderr
    return records


def _offsets(description: str) -> tuple[int, int | None]:
    """(old offset, new offset or None) of a heap record's description."""
    old = int(re.search(r"off (\d+)", description)[1])
    new = re.search(r"new off (\d+)", description)
    return old, int(new[1]) if new else None


def _read(records, relfilenodes):
    """The attacker's reading: invitation rows in insertion order, the marks of each
    transaction (as insertion ranks), the answers inserted between, the finalising one."""
    invitation, response = relfilenodes["invitation"], relfilenodes["response"]
    rank_at, inserted = {}, []
    marks, answers = [], []  # (xid, rank) / xids of answer inserts, in WAL order
    deleting = {xid for _m, xid, desc, blocks in records if desc.startswith("DELETE")
                and blocks and blocks[0][0] == response}
    for rmgr, xid, desc, blocks in records:
        if rmgr != "Heap" or not blocks:
            continue
        rel, block = blocks[0]
        if rel == invitation and desc.startswith("INSERT") and xid not in deleting:
            location = (block, _offsets(desc)[0])
            rank_at[location] = len(inserted)
            inserted.append(location)
        elif rel == invitation and desc.startswith(("UPDATE", "HOT_UPDATE")):
            old_block = blocks[1][1] if len(blocks) > 1 else block
            old, new = _offsets(desc)
            rank = rank_at.pop((old_block, old), None)
            if rank is not None:
                marks.append((xid, rank))
                rank_at[(block, new)] = rank
        elif rel == response and desc.startswith("INSERT") and xid not in deleting:
            answers.append(xid)
    return inserted, marks, answers, deleting


def _batches(marks, answers) -> list[tuple[list[int], list[int]]]:
    """Per mark transaction: its marked ranks, and the answers since the previous one."""
    batches, seen = [], 0
    by_xid = defaultdict(list)
    for xid, rank in marks:
        by_xid[xid].append(rank)
    for xid in sorted(by_xid):
        before = [i for i, answer_xid in enumerate(answers) if answer_xid < xid]
        batches.append((by_xid[xid], before[seen:]))
        seen = len(before)
    return batches


@pytest.mark.parametrize("batch", [10, 0], ids=["marks-in-batches", "marks-at-close"])
def test_the_write_ahead_log_links_no_one(private, make_app, tmp_path, batch):
    app = make_app(DATABASE_URL=private.url, PULSE_MARK_BATCH=batch)
    session = app.extensions["sqlalchemy_sessionmaker"]()
    start = session.scalar(text("SELECT pg_current_wal_lsn()::text"))
    make_unit, make_survey = _factories(session)
    answered = answered_round(app, session, make_unit, make_survey, tmp_path / "links.csv",
                              {"KAI-W": INVITED}, {"KAI-W": ANSWERING})
    with app.app_context():
        assert pulse.finalize_closed_rounds(session, answered.closes_at) == ["linkage"]
    relfilenodes = dict(session.execute(text(
        "SELECT relname, relfilenode FROM pg_class WHERE relname IN "
        "('invitation', 'response', 'invitation_pending')")).all())
    session.close()
    records = _wal(private, start)
    inserted, marks, answers, deleting = _read(records, relfilenodes)
    assert len(inserted) == INVITED and len(answers) == ANSWERING and len(deleting) == 1
    assert len({rank for _x, rank in marks}) == ANSWERING
    assert not [r for r in records if r[3] and r[3][0][0] == relfilenodes["invitation_pending"]
                and r[0].startswith("Heap")]
    submitted = answered.submitted  # the k-th answer insert is the k-th person's answer

    # Level 1: insertion rank taken for the position in the links file.
    guess = {}
    for ranks, window in _batches(marks, answers):
        guess.update(pair_in_order(ranks, [submitted[i] for i in window]))
    assert correct_pairs(guess) <= chance_bound(len(guess), ANSWERING)

    # Level 2: the key names each person's row; match rows to insertion ranks by position.
    rows_at_creation = _rows_in_insert_order(app, answered, inserted)
    guess = {}
    for ranks, window in _batches(marks, answers):
        guess.update(pair_in_order([rows_at_creation[r] for r in ranks],
                                   [submitted[i] for i in window]))
    group = (batch and max(batch, 5)) or ANSWERING
    assert correct_pairs(guess) <= chance_bound(len(guess), group)


def _rows_in_insert_order(app, answered, inserted) -> list[int]:
    """Person per insertion rank, as the key holder reads it from the insert records'
    tuples (here: the order the rows were given ids in, which is their insertion order)."""
    session = app.extensions["sqlalchemy_sessionmaker"]()
    person_of_hash = {stored_hash(token): person for person, (_u, token) in
                      enumerate(answered.links)}
    hashes = session.scalars(text("SELECT token_hash FROM invitation ORDER BY id")).all()
    session.close()
    assert len(hashes) == len(inserted)
    return [person_of_hash[value] for value in hashes]
