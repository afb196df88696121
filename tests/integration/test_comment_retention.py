"""Attack 7 (retention) against comment batches: lists never shrink, deletion nights say nothing.

The attacker reads the unit's comment list every night while retention runs, and notes the
night each comment disappears, hoping to date it (issue 12, attack class 7).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from survey_app.models import CommentBatch, ReleasedComment, Response
from survey_app.privacy import Thresholds
from survey_app.services import retention
from survey_app.services.access import Scope
from survey_app.services.comments import CommentQuery, publish_comment_batches, search
from tests.comment_support import add_comments
from tests.integration.reports_fixtures import build_county

EVERYTHING = Scope(everything=True)
K = Thresholds()
DAYS = 60


@pytest.fixture
def county(session, make_unit, make_survey):
    units = build_county(make_unit)
    return units, make_survey(units["ROOT"], code="resident-all")


def visible(session, unit="A1"):
    """Everything the reader can list for the unit, page by page."""
    first = search(session, EVERYTHING, CommentQuery(unit=unit))
    texts = [c.text for c in first.comments]
    for page in range(2, first.pages + 1):
        texts += [c.text for c in search(session, EVERYTHING, CommentQuery(unit=unit),
                                         page).comments]
    return texts


def test_attack_7_retention_never_shrinks_a_list_nor_dates_a_comment(session, county):
    units, survey = county
    written = {}   # text → day written (what the attacker wants)
    for day in (date(2026, 1, 3), date(2026, 1, 17), date(2026, 1, 30), date(2026, 2, 2),
                date(2026, 2, 25), date(2026, 3, 8), date(2026, 3, 21), date(2026, 4, 4)):
        for text in add_comments(session, survey, units["A1"], day, 4, start=len(written)):
            written[text] = day
    publish_comment_batches(session, date(2026, 5, 1), K, today=date(2026, 5, 1))
    batches = session.scalars(select(CommentBatch).order_by(CommentBatch.first_month)).all()
    assert len(batches) >= 2
    members = {b.id: {c.text for c in b.comments} for b in batches}

    gone_on: dict[str, date] = {}
    sizes_seen = set()
    night = date(2026, 5, 1)
    while night < date(2026, 8, 1):
        retention.apply(session, days=DAYS, today=night)
        session.expire_all()
        shown = visible(session)
        assert len(shown) == len(set(shown))
        sizes_seen.add(len(shown))
        # The list is always a union of whole batches.
        whole = [texts for texts in members.values() if texts <= set(shown)]
        assert set(shown) == set().union(*whole)
        for text in set(written) - set(shown):
            gone_on.setdefault(text, night)
        night += timedelta(days=1)

    # Every comment of a batch vanished on the same night, fixed by the batch's last month.
    for batch in batches:
        nights = {gone_on[text] for text in members[batch.id]}
        assert len(nights) == 1
        [vanished] = nights
        month_after = (batch.last_month + timedelta(days=32)).replace(day=1)
        assert vanished == max(date(2026, 5, 1), month_after + timedelta(days=DAYS))
        # The days written inside the batch differ, yet the attacker learnt one night for all.
        assert len({written[text] for text in members[batch.id]}) > 1
    # The list went from all to fewer only by whole batches.
    assert sizes_seen <= {sum(len(m) for m in members.values() if m <= s)
                          for s in [set().union(*list(members.values())[i:])
                                    for i in range(len(members) + 1)]}


def test_retention_removes_a_batch_whole_and_its_answers_by_day(session, county):
    units, survey = county
    add_comments(session, survey, units["A1"], date(2026, 1, 5), 5)
    add_comments(session, survey, units["A1"], date(2026, 2, 25), 6, start=5)
    publish_comment_batches(session, date(2026, 3, 1), K, today=date(2026, 3, 1))
    # Cutoff 2026-02-23: January's answers and 5 comments' rows go, the batch (Jan–Feb) stays.
    planned = retention.plan(session, days=30, today=date(2026, 3, 25))
    assert (planned.resident_answers, planned.comment_batches) == (5, 0)
    retention.apply(session, days=30, today=date(2026, 3, 25))
    assert session.scalar(select(func.count()).select_from(ReleasedComment)) == 11
    # Cutoff 2026-03-01: February is over, the batch goes whole.
    done = retention.apply(session, days=30, today=date(2026, 3, 31))
    assert done.comment_batches == 1 and done.resident_answers == 6
    assert session.scalar(select(func.count()).select_from(ReleasedComment)) == 0
    assert session.scalar(select(func.count()).select_from(CommentBatch)) == 0
    assert session.scalar(select(func.count()).select_from(Response)) == 0


def test_unreleased_comments_go_with_their_answers_unseen(session, county):
    units, survey = county
    add_comments(session, survey, units["A1"], date(2026, 1, 5), 4)
    publish_comment_batches(session, date(2026, 2, 1), K, today=date(2026, 2, 1))
    assert visible(session) == []
    retention.apply(session, days=10, today=date(2026, 2, 1))
    assert session.scalar(select(func.count()).select_from(Response)) == 0
    assert visible(session) == []


def test_retention_command_names_comment_batches(runner):
    dry = runner.invoke(args=["retention", "apply", "--days", "3650", "--dry-run"])
    assert "0 comment batches" in dry.output


def test_batch_nights_do_not_depend_on_days_inside(session, county):
    """Two comments of one batch written 50 days apart leave the list the same night."""
    units, survey = county
    early = add_comments(session, survey, units["A1"], date(2026, 1, 2), 5)
    late = add_comments(session, survey, units["A1"], date(2026, 2, 21), 5, start=5)
    publish_comment_batches(session, date(2026, 3, 1), K, today=date(2026, 3, 1))
    nights = defaultdict(set)
    for offset in range(0, 120):
        night = date(2026, 3, 1) + timedelta(days=offset)
        retention.apply(session, days=DAYS, today=night)
        shown = set(visible(session))
        for text in early + late:
            if text not in shown:
                nights[text].add(night)
    first = {text: min(n) for text, n in nights.items()}
    assert len(set(first.values())) == 1 and len(first) == 10
