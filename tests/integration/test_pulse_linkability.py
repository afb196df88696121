"""A database operator with the links file tries to pair people with their staff answers.

Each test answers a round of 100+ people through the app, then attacks what an operator
can read: ``xmin`` and ``ctid`` after the closing time passes and the nightly finalising
runs, the order of a ``pg_dump``, and (any backend) units where only one invitee answered.
"No better than chance" is a binomial bound (``tests/pulse_linkage.py``), and the order
attacks first show that their channel is real: before finalising, the answers' storage
order given the order in which people answered links far more than chance.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from survey_app.models import Invitation, Response
from survey_app.services import pulse
from tests.pulse_linkage import (
    answered_round,
    chance_bound,
    correct_pairs,
    ctid_key,
    pair_in_order,
    person_of,
)
from tests.pulse_support import stored_hash, used_count

INVITED, ANSWERING = 120, 107


def _postgres_only(session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("xmin, ctid and pg_dump are PostgreSQL's (this is the SQLite run)")


def _answers_by_storage(session, survey_id) -> list[tuple[int, tuple[int, int], int]]:
    """(xmin, ctid, person) of every answer of the round, in storage order."""
    rows = session.execute(text(
        "SELECT xmin::text::bigint, ctid::text, comment FROM response WHERE survey_id = :s"),
        {"s": survey_id}).all()
    return sorted((xmin, ctid_key(ctid), person_of(comment)) for xmin, ctid, comment in rows)


def _invitations(session, survey_id) -> list[tuple[int, int, tuple[int, int], str, bool]]:
    """(id, xmin, ctid, hash, used) of every invitation of the round."""
    rows = session.execute(text(
        "SELECT id, xmin::text::bigint, ctid::text, token_hash, used FROM invitation "
        "WHERE survey_id = :s"), {"s": survey_id}).all()
    return [(i, xmin, ctid_key(ctid), value, used) for i, xmin, ctid, value, used in rows]


def test_xmin_and_ctid_link_no_one_after_a_scheduled_close(app, session, make_unit,
                                                           make_survey, tmp_path):
    _postgres_only(session)
    answered = answered_round(app, session, make_unit, make_survey, tmp_path / "links.csv",
                              {"KAI-L-A": INVITED}, {"KAI-L-A": ANSWERING})
    session.commit()
    answers = _answers_by_storage(session, answered.survey_id)
    # The channel is real while the round is open: storage order is submission order.
    assert correct_pairs(pair_in_order(answered.submitted,
                                       [p for *_s, p in answers])) == ANSWERING
    # Without the key: plain hashes of the links match nothing; guess rows by file order.
    rows = _invitations(session, answered.survey_id)
    plain = {hashlib.sha256(token.encode()).hexdigest() for _u, token in answered.links}
    assert not plain & {value for *_r, value, _used in rows}
    person_of_row = {row[0]: person for person, row in enumerate(sorted(rows))}
    marked = sorted((xmin, ctid, person_of_row[i]) for i, xmin, ctid, _v, used in rows if used)
    assert 0 < len(marked) < ANSWERING  # batches of ten written, the rest pending
    guess = pair_in_order([p for *_s, p in marked], [p for *_s, p in answers])
    assert correct_pairs(guess) <= chance_bound(len(guess), ANSWERING)

    # The closing time passes; the nightly job finalises the round.
    with app.app_context():
        done = pulse.finalize_closed_rounds(session, answered.closes_at + timedelta(minutes=1))
        assert done == ["linkage"]
        assert pulse.finalize_closed_rounds(session, answered.closes_at
                                            + timedelta(days=1)) == []
    session.commit()
    assert used_count(session) == ANSWERING
    answers = _answers_by_storage(session, answered.survey_id)
    rows = _invitations(session, answered.survey_id)
    assert len({xmin for xmin, *_r in answers} | {xmin for _i, xmin, *_r in rows}) == 1
    # With the key as well: every used row is known, and still nothing pairs it with an answer.
    person_of_hash = {stored_hash(token): person for person, (_u, token) in
                      enumerate(answered.links)}
    used = sorted((xmin, ctid, person_of_hash[value]) for _i, xmin, ctid, value, used in rows
                  if used)
    assert len(used) == ANSWERING
    for attacker_order in ([p for *_s, p in used], answered.submitted):
        guess = pair_in_order(attacker_order, [p for *_s, p in answers])
        assert correct_pairs(guess) <= chance_bound(ANSWERING, ANSWERING)


def _dump_order(database_url: str, table: str, column: str) -> list[str]:
    """The values of ``column`` in the order ``pg_dump`` writes ``table``'s rows."""
    from tests.faults.support import _postgres_bindir

    url = make_url(database_url).set(drivername="postgresql")
    dump = subprocess.run(
        [str(_postgres_bindir() / "pg_dump"), "--data-only", f"--table={table}",
         "--dbname", url.render_as_string(hide_password=False)],
        capture_output=True, text=True, check=True, timeout=60).stdout
    lines = iter(dump.splitlines())
    for line in lines:
        if line.startswith(f"COPY public.{table} "):
            columns = [c.strip().strip('"') for c in
                       line.split("(", 1)[1].split(")", 1)[0].split(",")]
            break
    else:
        raise AssertionError(f"no COPY of {table} in the dump")
    index = columns.index(column)
    return [row.split("\t")[index] for row in iter(lines.__next__, "\\.")]


def test_dump_order_links_no_one_after_rounds_close(app, runner, session, make_unit,
                                                    make_survey, tmp_path):
    _postgres_only(session)
    answered = answered_round(app, session, make_unit, make_survey, tmp_path / "links.csv",
                              {"KAI-L-A": 60, "KAI-L-B": 60}, {"KAI-L-A": 54, "KAI-L-B": 53})
    session.commit()
    url = app.config["DATABASE_URL"]
    before = [person_of(c) for c in _dump_order(url, "response", "comment")]
    # Before closing, dump order is submission order but for a few rows that another pooled
    # connection put on another page: the order attack links far more than chance.
    assert correct_pairs(pair_in_order(answered.submitted, before)) > chance_bound(ANSWERING,
                                                                                  ANSWERING)
    result = runner.invoke(args=["rounds", "close", "linkage"])
    assert result.exit_code == 0 and "finalised" in result.output, result.output
    after = [person_of(c) for c in _dump_order(url, "response", "comment")]
    assert sorted(after) == sorted(before)
    # Per unit, the k-th to answer against the k-th answer of that unit in the dump.
    unit_of = {person: unit for person, (unit, _t) in enumerate(answered.links)}
    correct = 0
    for code in answered.unit_codes:
        guess = pair_in_order([p for p in answered.submitted if unit_of[p] == code],
                              [p for p in after if unit_of[p] == code])
        correct += correct_pairs(guess)
    assert correct <= chance_bound(ANSWERING, 53)
    # With the key, the used invitations in dump order against the answers in dump order.
    person_of_hash = {stored_hash(token): person for person, (_u, token) in
                      enumerate(answered.links)}
    hashes = _dump_order(url, "invitation", "token_hash")
    used = set(session.scalars(select(Invitation.token_hash).where(Invitation.used)))
    order = [person_of_hash[value] for value in hashes if value in used]
    assert len(order) == ANSWERING
    assert correct_pairs(pair_in_order(order, after)) <= chance_bound(ANSWERING, ANSWERING)


def test_units_where_one_invitee_answered_link_no_one(app, session, make_unit, make_survey,
                                                      tmp_path):
    """80 units of two invitees; in each one answers, so the unit's answer is theirs. Without
    the key the operator cannot tell which of the two used their link."""
    units = {f"KAI-L-{n:02d}": 2 for n in range(80)}
    answered = answered_round(app, session, make_unit, make_survey, tmp_path / "links.csv",
                              units, dict.fromkeys(units, 1))
    with app.app_context():
        assert pulse.list_rounds(session, answered.closes_at)[0].used == 80
        assert pulse.finalize_closed_rounds(session, answered.closes_at) == ["linkage"]
    session.expire_all()
    rows = session.execute(select(Invitation.id, Invitation.unit_id, Invitation.token_hash,
                                  Invitation.used).where(
        Invitation.survey_id == answered.survey_id)).all()
    assert sum(used for *_r, used in rows) == 80
    plain = {hashlib.sha256(token.encode()).hexdigest() for _u, token in answered.links}
    assert not plain & {value for _i, _u, value, _used in rows}
    # Guess: the unit's links in file order are its rows in id (= rowid, insertion) order.
    by_unit = defaultdict(list)
    for _row_id, unit_id, _value, used in sorted(rows):
        by_unit[unit_id].append(used)
    people = defaultdict(list)
    for person, (code, _token) in enumerate(answered.links):
        people[code].append(person)
    answered_set = set(answered.submitted)
    unit_ids = dict(session.execute(text("SELECT code, id FROM org_unit")).all())
    correct = sum(people[code][flags.index(True)] in answered_set
                  for code in units for flags in [by_unit[unit_ids[code]]])
    assert correct <= chance_bound(80, 2)
    # Each unit's one answer is there, and counts stay available.
    assert session.scalar(select(Response.id).where(Response.survey_id == answered.survey_id)
                          .limit(1)) is not None
    with app.app_context():
        assert pulse.list_rounds(session, answered.closes_at)[0].used == 80
