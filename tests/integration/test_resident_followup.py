"""The short path's storage against SQLite and PostgreSQL: one answer per form, completed
once, and the aggregates equal to a recount of the stored rows."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import select

from survey_app.models import ResidentDaily, ResidentItemDaily, ResidentMonthly, Response
from survey_app.services import survey as service
from survey_app.services.survey.followup import (
    complete_response,
    form_secret,
    new_form_handle,
    response_id_for,
)


@pytest.fixture
def target(app, make_unit, make_survey):
    unit = make_unit("FOLLOW")
    return service.Target.of(unit, make_survey(unit))


def recount(session) -> tuple[Counter, Counter]:
    """Score and item counts recomputed from the rows, and the aggregates' own."""
    session.expire_all()
    rows = session.scalars(select(Response)).all()
    expected = Counter()
    for row in rows:
        expected.update({"n": 1, f"c{row.score}": 1, "comments": int(bool(row.comment))})
        expected.update({(item, 0 if value is None else value): 1
                         for item, value in row.answers.items()})
    kept = Counter()
    for daily in session.scalars(select(ResidentDaily)):
        kept.update({"n": daily.n, "comments": daily.comments,
                     **{f"c{v}": getattr(daily, f"c{v}") for v in range(11)}})
    for item in session.scalars(select(ResidentItemDaily)):
        kept[(item.item, item.value)] += item.count
    monthly = Counter()
    for month in session.scalars(select(ResidentMonthly)):
        monthly.update({"n": month.n, "comments": month.comments})
    assert (monthly["n"], monthly["comments"]) == (kept["n"], kept["comments"])
    return +expected, +kept


def test_the_same_form_twice_is_one_answer_and_completing_it_counts_the_details_once(
        app, session, target):
    with app.app_context():
        secret = form_secret(new_form_handle())
        short = service.Answers(score=3)
        for _ in range(2):
            assert service.submit_response(session, target, "fi", "qr", short,
                                           response_id=response_id_for(secret)) is not None
        details = service.Answers(score=-1, items={"useful": 4, "safety": None},
                                  comment="soita 040/1234567")
        assert complete_response(session, secret, details)
        assert not complete_response(session, secret, service.Answers(score=-1,
                                                                      items={"useful": 1}))
        service.submit_response(session, target, "fi", "qr", service.Answers(score=10))
        expected_id = response_id_for(secret)
    [first] = [r for r in session.scalars(select(Response)) if r.score == 3]
    assert first.id == expected_id and len(expected_id) == 32
    assert first.comment == "soita [PHONE]"
    expected, kept = recount(session)
    assert expected == kept and kept["n"] == 2 and kept["comments"] == 1


def test_a_whole_answer_cannot_be_completed(app, session, target):
    with app.app_context():
        secret = form_secret(new_form_handle())
        service.submit_response(session, target, "fi", "web",
                                service.Answers(score=9, items={"useful": 5}),
                                response_id=response_id_for(secret))
        assert not complete_response(session, secret, service.Answers(score=-1,
                                                                      items={"safety": 2}))
    expected, kept = recount(session)
    assert expected == kept and ("safety", 2) not in kept


def test_two_completions_at_once_store_one(app, session, target, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers: nothing runs at once")
    with app.app_context():
        secret = form_secret(new_form_handle())
        service.submit_response(session, target, "fi", "web", service.Answers(score=5),
                                response_id=response_id_for(secret))
    results, barrier = [], threading.Barrier(4)

    def complete(value: int) -> None:
        with app.app_context():
            own = app.extensions["sqlalchemy_sessionmaker"]()
            try:
                barrier.wait()
                results.append(complete_response(own, secret, service.Answers(
                    score=-1, items={"useful": value})))
            finally:
                own.close()

    threads = [threading.Thread(target=complete, args=(v,)) for v in (1, 2, 3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    expected, kept = recount(session)
    assert expected == kept and sum(v for k, v in kept.items() if k[0] == "useful") == 1
