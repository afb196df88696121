"""Publishing comments in frozen batches: whole months, at least k, each comment once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from survey_app.models import CommentBatch, ReleasedComment, Response
from survey_app.privacy import Thresholds
from survey_app.services.comments import publish_comment_batches
from tests.comment_support import add_comments
from tests.integration.reports_fixtures import build_county

K = Thresholds()
TODAY = date(2026, 11, 27)


@pytest.fixture
def county(session, make_unit, make_survey):
    units = build_county(make_unit)
    return units, make_survey(units["ROOT"], code="resident-all")


def batches_of(session, unit):
    return session.scalars(select(CommentBatch).where(CommentBatch.unit_id == unit.id)
                           .order_by(CommentBatch.first_month)).all()


def texts_of(batch):
    return [c.text for c in batch.comments]


def test_whole_months_form_a_batch_once_ten_comments_are_there(session, county):
    units, survey = county
    january = add_comments(session, survey, units["A1"], date(2026, 1, 5), 4)
    february = add_comments(session, survey, units["A1"], date(2026, 2, 5), 7, start=4)
    march = add_comments(session, survey, units["A1"], date(2026, 3, 5), 3, start=11)
    assert publish_comment_batches(session, date(2026, 4, 1), K, today=TODAY) == 1
    [batch] = batches_of(session, units["A1"])
    assert (batch.first_month, batch.last_month, batch.size) == (
        date(2026, 1, 1), date(2026, 2, 1), 11)
    assert sorted(texts_of(batch)) == sorted(january + february)
    # March's 3 wait; nothing of them is released.
    assert not session.scalar(select(func.count()).select_from(ReleasedComment)
                              .where(ReleasedComment.text.in_(march)))


def test_publishing_again_changes_nothing(session, county):
    units, survey = county
    add_comments(session, survey, units["A1"], date(2026, 1, 5), 12)
    assert publish_comment_batches(session, date(2026, 3, 1), K, today=TODAY) == 1
    before = [(c.id, c.batch_id, c.position, c.text) for c in
              session.scalars(select(ReleasedComment).order_by(ReleasedComment.id))]
    assert publish_comment_batches(session, date(2026, 3, 1), K, today=TODAY) == 0
    assert publish_comment_batches(session, date(2026, 6, 1), K, today=TODAY) == 0
    after = [(c.id, c.batch_id, c.position, c.text) for c in
             session.scalars(select(ReleasedComment).order_by(ReleasedComment.id))]
    assert before == after


def test_a_released_comment_leaves_its_response_row(session, county):
    units, survey = county
    texts = add_comments(session, survey, units["A1"], date(2026, 1, 5), 10)
    publish_comment_batches(session, date(2026, 2, 1), K, today=TODAY)
    rows = session.scalars(select(Response.comment).where(Response.unit_id == units["A1"].id))
    assert list(rows) == [None] * 10
    released = session.scalars(select(ReleasedComment.text)).all()
    assert sorted(released) == sorted(texts)


def test_the_running_month_is_never_batched_even_with_a_later_until(session, county):
    units, survey = county
    add_comments(session, survey, units["A1"], date(2026, 11, 3), 15)
    assert publish_comment_batches(session, date(2026, 12, 31), K, today=TODAY) == 0
    assert publish_comment_batches(session, date(2026, 12, 1), K,
                                   today=date(2026, 12, 1)) == 1


def test_batches_of_one_unit_never_overlap_and_hold_each_comment_once(session, county):
    units, survey = county
    for month in range(1, 10):
        add_comments(session, survey, units["A1"], date(2026, month, 9), 3 + month % 4,
                     start=month * 100)
    publish_comment_batches(session, date(2026, 5, 1), K, today=TODAY)
    publish_comment_batches(session, date(2026, 10, 1), K, today=TODAY)
    batches = batches_of(session, units["A1"])
    assert len(batches) >= 3
    for earlier, later in zip(batches, batches[1:], strict=False):
        assert earlier.last_month < later.first_month
    everything = [t for b in batches for t in texts_of(b)]
    assert len(everything) == len(set(everything))
    assert all(b.size >= K.comments and b.size == len(b.comments) for b in batches)


def test_a_unit_batches_only_its_own_comments(session, county):
    units, survey = county
    add_comments(session, survey, units["A1"], date(2026, 1, 5), 6)
    add_comments(session, survey, units["A2"], date(2026, 1, 5), 6)
    add_comments(session, survey, units["A"], date(2026, 1, 5), 6)
    assert publish_comment_batches(session, date(2026, 2, 1), K, today=TODAY) == 0


def test_stored_order_is_shuffled_not_submission_order(session, county):
    units, survey = county
    texts = add_comments(session, survey, units["A1"], date(2026, 1, 5), 40)
    publish_comment_batches(session, date(2026, 2, 1), K, today=TODAY)
    [batch] = batches_of(session, units["A1"])
    stored = texts_of(batch)
    assert sorted(stored) == sorted(texts)
    # 40! orders: equal to submission order (or to id order) only by a broken shuffle.
    ids = session.scalars(select(ReleasedComment.text).order_by(ReleasedComment.id)).all()
    assert stored != texts and list(ids) == stored
    assert [c.position for c in batch.comments] == list(range(40))


def test_staff_comments_are_batched_by_the_month_their_round_closed(session, county,
                                                                    make_survey):
    units, _ = county
    rounds = [make_survey(units["ROOT"], kind="pulse", code=f"round-{m}",
                          opens_at=datetime(2026, m, 1, tzinfo=UTC),
                          closes_at=datetime(2026, m, 20, tzinfo=UTC)) for m in (3, 5)]
    add_comments(session, rounds[0], units["S"], None, 6, language=None)
    add_comments(session, rounds[1], units["S"], None, 6, language=None, start=6)
    assert publish_comment_batches(session, date(2026, 5, 20), K, today=TODAY) == 0
    assert publish_comment_batches(session, date(2026, 6, 1), K, today=TODAY) == 1
    [batch] = batches_of(session, units["S"])
    assert (batch.kind, batch.first_month, batch.last_month, batch.size) == (
        "pulse", date(2026, 3, 1), date(2026, 5, 1), 12)


def test_labels_are_kept_only_for_classes_of_at_least_k(session, county):
    units, survey = county
    add_comments(session, survey, units["A1"], date(2026, 1, 5), 12, language="fi", score=10)
    add_comments(session, survey, units["A1"], date(2026, 1, 6), 2, language="sv", score=0,
                 start=50)
    publish_comment_batches(session, date(2026, 2, 1), K, today=TODAY)
    [batch] = batches_of(session, units["A1"])
    labels = {(c.language, c.score_group) for c in batch.comments}
    # 2 Swedish detractors would be a class of 2 (and "the rest" of 12 would name them):
    # every label goes.
    assert labels == {(None, None)}


def test_large_label_classes_keep_their_labels(session, county):
    units, survey = county
    add_comments(session, survey, units["A1"], date(2026, 1, 5), 6, language="fi", score=10)
    add_comments(session, survey, units["A1"], date(2026, 1, 6), 5, language="sv", score=0,
                 start=50)
    publish_comment_batches(session, date(2026, 2, 1), K, today=TODAY)
    [batch] = batches_of(session, units["A1"])
    labels = sorted((c.language, c.score_group, c.text.split("#")[1]) for c in batch.comments)
    assert {(lang, group) for lang, group, _ in labels} == {("fi", "promoter"),
                                                            ("sv", "detractor")}
    assert all((lang == "sv") == (int(n) >= 50) for lang, _, n in labels)


def test_comments_written_into_an_already_batched_month_are_never_released(session, county):
    units, survey = county
    add_comments(session, survey, units["A1"], date(2026, 1, 5), 10)
    publish_comment_batches(session, date(2026, 2, 1), K, today=TODAY)
    late = add_comments(session, survey, units["A1"], date(2026, 1, 20), 12, start=100)
    assert publish_comment_batches(session, date(2026, 3, 1), K, today=TODAY) == 0
    assert not session.scalar(select(func.count()).select_from(ReleasedComment)
                              .where(ReleasedComment.text.in_(late)))


def test_comments_publish_command_reports_the_new_batches(runner, app, session, county):
    units, survey = county
    add_comments(session, survey, units["B1"], date(2026, 1, 5), 10)
    result = runner.invoke(args=["comments", "publish", "--until", "2026-02-01"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Released 1 new comment batches")
    again = runner.invoke(args=["comments", "publish", "--until", "2026-02-01"])
    assert again.output.startswith("Released 0 new comment batches")
    bad = runner.invoke(args=["comments", "publish", "--until", "yesterday"])
    assert bad.exit_code == 2 and "--until" in bad.output


def test_demo_county_releases_valid_batches_and_the_county_page_is_paged(session):
    from survey_app.services import demo, reports
    from survey_app.services.access import Scope

    demo.load(session, seed=3, months=4, until=date(2026, 6, 30), users=False)
    created = publish_comment_batches(session, date(2026, 7, 1), K, today=date(2026, 7, 1))
    batches = session.scalars(select(CommentBatch).order_by(CommentBatch.unit_id,
                                                            CommentBatch.kind,
                                                            CommentBatch.first_month)).all()
    assert created == len(batches) > 0
    for earlier, later in zip(batches, batches[1:], strict=False):
        if (earlier.unit_id, earlier.kind) == (later.unit_id, later.kind):
            assert earlier.last_month < later.first_month
    assert all(b.size >= K.comments for b in batches)
    root = session.scalar(select(CommentBatch.unit_id).limit(1))
    from survey_app.models import OrgUnit

    top = session.get(OrgUnit, root)
    while top.parent_id is not None:
        top = session.get(OrgUnit, top.parent_id)
    listing = reports.comments(session, Scope(everything=True), top.code, "2026", thresholds=K)
    resident_total = sum(b.size for b in batches if b.kind == "resident")
    assert listing.count == resident_total and listing.count > 50
    assert len(listing.comments) == 50 and listing.pages == -(-resident_total // 50)


def test_two_publishes_at_once_release_each_comment_once(app, session, county):
    import threading

    units, survey = county
    for code in ("A1", "A2", "B1"):
        for month in (1, 2, 3):
            add_comments(session, survey, units[code], date(2026, month, 5), 7,
                         start=month * 100)
    maker = app.extensions["sqlalchemy_sessionmaker"]
    barrier, results, errors = threading.Barrier(2), [], []

    def run():
        own = maker()
        try:
            barrier.wait()
            results.append(publish_comment_batches(own, date(2026, 4, 1), K, today=TODAY))
        except Exception as problem:  # noqa: BLE001 — reported below
            errors.append(problem)
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    session.expire_all()
    batches = session.scalars(select(CommentBatch)).all()
    texts = session.scalars(select(ReleasedComment.text)).all()
    # Each unit: months 1–2 (14), then month 3 waits (7): one batch per unit, one winner.
    assert sorted(results) == [0, 3] and len(batches) == 3
    assert len(texts) == len(set(texts)) == 42


def test_paging_whole_batches_reads_what_the_comment_query_reads(session, county, monkeypatch):
    """Unfiltered lists are paged from the batch sizes; they must equal the general query's
    pages, languages and totals, for every page size, unit, kind and period."""
    from survey_app.periods import parse_period
    from survey_app.services.access import Scope
    from survey_app.services.comments import reading

    units, survey = county
    for month, (unit, count, language) in enumerate(
            [("A1", 11, "fi"), ("A2", 13, "sv"), ("B1", 10, "fi"), ("A1", 27, "ar"),
             ("B1", 12, "en"), ("A2", 10, "fi")], start=1):
        add_comments(session, survey, units[unit], date(2026, month, 5), count,
                     language=language, prefix=f"{unit}-{month}")
    assert publish_comment_batches(session, date(2026, 8, 1), K, today=TODAY) >= 5
    stored = {b.id: b.languages for b in session.scalars(select(CommentBatch))}
    assert set(stored.values()) >= {"fi", "sv", "ar", "en"}
    everything = Scope(everything=True)
    queries = [reading.CommentQuery(),
               reading.CommentQuery(unit="A", kind="resident"),
               reading.CommentQuery(unit="ROOT", period=parse_period("2026-T1")),
               reading.CommentQuery(unit="B1", period=parse_period("2026-Q2")),
               reading.CommentQuery(kind="pulse")]

    def read(query, per_page):
        pages = [reading.search(session, everything, query, 1, "fi", per_page)]
        pages += [reading.search(session, everything, query, p, "fi", per_page)
                  for p in range(2, pages[0].pages + 2)]  # and one past the last
        return pages, reading.languages(session, everything, query)

    for query in queries:
        for per_page in (1, 7, 10, 50):
            fast = read(query, per_page)
            with monkeypatch.context() as patched:
                patched.setattr(reading, "_whole_batches", lambda _query: False)
                slow = read(query, per_page)
            assert fast == slow, (query, per_page)
    assert read(queries[0], 7)[0][0].total == 11 + 13 + 10 + 27 + 12 + 10
