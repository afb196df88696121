"""Attacks on comment lists (issue 12, attack classes 1 and 3): each must fail.

The attacker collects every comment list one reader can get (every period type, parent and
child units, every filter, day after day) and combines them with set operations. Any
combination of sets is a union of *atoms*: comments that appear in exactly the same lists.
So the attack fails when every atom holds at least the threshold's number of comments.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest

from survey_app.periods import GRANULARITIES, Period, period_of
from survey_app.privacy import Thresholds
from survey_app.services import reports
from survey_app.services.access import Scope
from survey_app.services.comments import CommentQuery, publish_comment_batches, search
from tests.comment_support import add_comments
from tests.integration.reports_fixtures import build_county

EVERYTHING = Scope(everything=True)
K = Thresholds()


@pytest.fixture
def county(session, make_unit, make_survey):
    units = build_county(make_unit)
    return units, make_survey(units["ROOT"], code="resident-all")


def listing(session, unit: str, period: Period, language=None) -> frozenset[str]:
    """Every comment of the unit page's resident list for the period, over all pages."""
    texts, page = [], 1
    while True:
        result = reports.comments(session, EVERYTHING, unit, period, language, page=page,
                                  thresholds=K)
        texts += [c.text for c in result.comments]
        if page >= result.pages:
            return frozenset(texts)
        page += 1


def filtered(session, **filters) -> frozenset[str]:
    """Every comment the workbench lists for the filters."""
    query = CommentQuery(**filters)
    first = search(session, EVERYTHING, query, 1, per_page=1000)
    return frozenset(c.text for c in first.comments)


def atoms(lists) -> list[set[str]]:
    """Comments grouped by the exact set of lists they appear in."""
    signature = defaultdict(set)
    lists = list(lists)
    for text in set().union(*lists):
        signature[tuple(text in chosen for chosen in lists)].add(text)
    return list(signature.values())


def every_period_of(year: int) -> list[Period]:
    """Every month, quarter, tertial and the year."""
    counts = {"month": 12, "quarter": 4, "tertial": 3, "year": 1}
    return [Period(g, year, i) for g in GRANULARITIES for i in range(1, counts[g] + 1)]


def test_attack_3_overlapping_period_lists_cannot_be_subtracted(session, county):
    units, survey = county
    rng = random.Random(3)
    written = {}
    for month in range(1, 13):
        for code in ("A1", "A2", "B1"):
            count = rng.choice([0, 1, 2, 3, 3, 4, 6, 9, 12])
            for text in add_comments(session, survey, units[code], date(2026, month, 10),
                                     count, language=rng.choice(["fi", "sv"]),
                                     score=rng.choice([0, 5, 8, 10]),
                                     start=1000 * month):
                written[text] = (code, month)
    # The nightly release, on the first of every month.
    for month in range(2, 13):
        publish_comment_batches(session, date(2026, month, 1), K, today=date(2026, month, 1))
    periods = every_period_of(2026)
    lists = [listing(session, unit, period) for unit in ("ROOT", "A", "A1", "A2", "B", "B1")
             for period in periods]
    # Q2 − T2 + …: April of A1 alone, for instance, is never one of the atoms.
    seen = set().union(*lists)
    assert seen, "the scenario must release something"
    for atom in atoms(lists):
        assert len(atom) >= K.comments, sorted(atom)
    april_a1 = {t for t, where in written.items() if where == ("A1", 4)}
    if 0 < len(april_a1) < K.comments:
        q2, t2 = Period("quarter", 2026, 2), Period("tertial", 2026, 2)
        difference = listing(session, "A1", q2) - listing(session, "A1", t2)
        assert not (difference and difference <= april_a1)


def test_attack_3_with_filters_every_atom_still_holds_k(session, county):
    units, survey = county
    rng = random.Random(7)
    for month in range(1, 7):
        for code in ("A1", "B1"):
            for _ in range(rng.randint(2, 9)):
                add_comments(session, survey, units[code], date(2026, month, 3), 1,
                             language=rng.choice(["fi", "fi", "sv", "fi-x-selko"]),
                             score=rng.randint(0, 10), start=rng.randrange(10**9))
    publish_comment_batches(session, date(2026, 7, 1), K, today=date(2026, 7, 1))
    lists = [listing(session, unit, Period("month", 2026, m))
             for unit in ("ROOT", "A1", "B1") for m in range(1, 7)]
    for group in ("detractor", "passive", "promoter"):
        lists.append(filtered(session, group=group))
    for language in ("fi", "sv", "fi-x-selko", "other"):
        lists.append(filtered(session, language=language))
        for group in ("detractor", "passive", "promoter"):
            lists.append(filtered(session, language=language, group=group))
    for atom in atoms(lists):
        assert len(atom) >= K.resident, sorted(atom)


def test_attack_1_day_by_day_lists_never_show_a_running_month(session, county):
    units, survey = county
    day, previous = date(2026, 2, 1), frozenset()
    batches_seen = []
    while day < date(2026, 5, 1):
        add_comments(session, survey, units["A1"], day, 1 if day.day % 3 else 2,
                     start=day.toordinal() * 10)
        publish_comment_batches(session, day + timedelta(days=1), K, today=day)
        shown = listing(session, "A1", Period("year", 2026, 1))
        running = period_of(day, "month")
        assert not any(f"#{d.toordinal() * 10}" in " ".join(shown)
                       for d in (running.start + timedelta(days=i)
                                 for i in range((running.end - running.start).days)))
        # Between two nights the list grows only by a whole new batch, never by a day.
        assert previous <= shown
        if shown != previous:
            batches_seen.append(len(shown - previous))
        previous, day = shown, day + timedelta(days=1)
    assert batches_seen and all(size >= K.comments for size in batches_seen)
