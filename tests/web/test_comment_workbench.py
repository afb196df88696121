"""The comment workbench: paging, search, filters, scope and CSV, all through released batches."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from survey_app.models import AuditEvent, CommentBatch, Survey
from survey_app.services.comments import publish_comment_batches
from tests.comment_support import add_comments
from tests.web.reports_helpers import login, seed

JANUARY = date(2026, 1, 14)


@pytest.fixture
def county(session, make_unit, make_survey):
    units = seed(session, make_unit, make_survey)
    survey = session.scalar(select(Survey).where(Survey.code == "resident-all"))
    add_comments(session, survey, units["A1"], JANUARY, 30, score=10,
                 prefix="hoitajat olivat ystävällisiä")
    add_comments(session, survey, units["A1"], JANUARY, 30, score=10, prefix="pitkä jono",
                 start=30)
    add_comments(session, survey, units["B1"], JANUARY, 12, language="sv", score=0,
                 prefix="väntetiden var lång")
    add_comments(session, survey, units["A2"], JANUARY, 3, score=5, prefix="ei julkaistu")
    publish_comment_batches(session, date(2026, 2, 1), today=date(2026, 2, 1))
    return units


def items(html: str) -> list[str]:
    return re.findall(r'<span class="comment-text">([^<]*)</span>', html)


def page(client, query: str = "") -> str:
    response = client.get(f"/reports/comments{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def test_workbench_pages_fifty_at_a_time(client, county):
    login(client, "hr")
    first = page(client)
    assert "72 comments found" in first and len(items(first)) == 50
    assert 'rel="next"' in first and "Page 1 of 2" in first
    second = page(client, "?page=2")
    assert len(items(second)) == 22 and 'rel="prev"' in second
    assert set(items(first)).isdisjoint(items(second))
    assert len(set(items(first) + items(second))) == 72
    # Past the end: the last page, not an error and not an empty page.
    assert items(page(client, "?page=9")) == items(second)


def test_unreleased_comments_never_appear(client, county):
    login(client, "hr")
    html = page(client, "?q=julkaistu")
    assert "0 comments found" in html and "ei julkaistu" not in html
    assert "ei julkaistu" not in client.get("/reports/comments.csv").get_data(as_text=True)


@pytest.mark.parametrize("words, expected", [("ystävällisiä", 30), ("jono", 30),
                                             ("väntetiden", 12), ("kahvi", 0)])
def test_full_text_search_finds_released_comments(client, county, words, expected):
    login(client, "hr")
    html = page(client, f"?q={words}")
    assert len(items(html)) == min(expected, 50)
    assert all(words in text for text in items(html))


def test_finnish_search_matches_inflected_words_on_postgresql(client, county, database_url):
    login(client, "hr")
    html = page(client, "?q=hoitaja")
    assert len(items(html)) == 30
    if database_url.startswith("postgresql"):
        # The Finnish stemmer: "jonossa" (in the queue) finds "jono" (queue).
        assert len(items(page(client, "?q=jonossa"))) == 30
    else:
        assert items(page(client, "?q=jonossa")) == []


def test_score_group_and_language_filters_select_whole_classes(client, county):
    login(client, "hr", "en")
    detractors = page(client, "?group=detractor")
    assert "12 comments found" in detractors
    assert all(t.startswith("väntetiden") for t in items(detractors))
    assert "Detractors (0–6)" in detractors and "Swedish" in detractors
    promoters = page(client, "?group=promoter&unit=A1")
    assert "60 comments found" in promoters
    assert "0 comments found" in page(client, "?group=passive")
    swedish = page(client, "?lang=sv")
    assert "12 comments found" in swedish


def test_small_score_groups_are_never_filterable(client, session, county):
    survey = session.scalar(select(Survey).where(Survey.code == "resident-all"))
    add_comments(session, survey, county["B1"], date(2026, 3, 3), 11, score=10, prefix="iso")
    add_comments(session, survey, county["B1"], date(2026, 3, 3), 2, score=0, prefix="kaksi")
    publish_comment_batches(session, date(2026, 4, 1), today=date(2026, 4, 1))
    login(client, "hr")
    batch = session.scalar(select(CommentBatch.id).where(CommentBatch.first_month
                                                         == date(2026, 3, 1)))
    everything = items(page(client, f"?batch={batch}"))
    assert len(everything) == 13
    for group in ("detractor", "passive", "promoter"):
        assert items(page(client, f"?batch={batch}&group={group}")) == []


def test_language_names_are_words(client, session, county):
    survey = session.scalar(select(Survey).where(Survey.code == "resident-all"))
    add_comments(session, survey, county["B1"], date(2026, 3, 3), 10, language="fi-x-selko",
                 prefix="selko")
    publish_comment_batches(session, date(2026, 4, 1), today=date(2026, 4, 1))
    login(client, "hr", "fi")
    html = page(client)
    assert "selkosuomi" in html.lower() and ">fi-x-selko<" not in html
    assert "ruotsi" in html.lower()
    login(client, "hr", "sv")
    assert "finska" in page(client).lower()


def test_manager_sees_only_their_subtree(client, county, session):
    login(client, "boss-a")
    html = page(client)
    assert "60 comments found" in html and "väntetiden" not in html
    assert client.get("/reports/comments?unit=B1").status_code == 403
    other = session.scalar(select(CommentBatch.id).where(CommentBatch.unit_id
                                                         == county["B1"].id))
    assert "0 comments found" in page(client, f"?batch={other}")
    assert f'value="{other}"' not in html
    exported = client.get("/reports/comments.csv").get_data(as_text=True)
    assert "väntetiden" not in exported and exported.count("pitkä jono") == 30


def test_csv_export_is_the_filtered_view_and_is_audited(client, session, county):
    login(client, "hr", "en")
    response = client.get("/reports/comments.csv?q=jono&unit=A")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Unit code" and rows[0][-1] == "Comment"
    assert len(rows) == 31 and all(r[-1].startswith("pitkä jono") for r in rows[1:])
    assert {(r[0], r[3], r[4]) for r in rows[1:]} == {("A1", "2026-01", "2026-01")}
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export.csv")
                            .order_by(AuditEvent.id.desc())).first()
    assert event.actor == "hr" and "comments" in event.detail and "rows=30" in event.detail
    assert "jono" not in event.detail and "text=yes" in event.detail


@pytest.mark.parametrize("query, message", [
    ("?group=grumpy", "Unknown score group."), ("?page=zero", "The page number zero"),
    ("?kind=robots", "Unknown survey kind."), ("?batch=x1", "Unknown batch."),
    ("?period=2026-13", "The period 2026-13 is not valid"), ("?q=" + "a" * 201, "too long"),
    ("?q=a%00b", "control characters"), ("?unit=A%00", "control characters")])
def test_bad_filters_answer_400_with_the_form_and_no_comments(client, county, query, message):
    login(client, "hr", "en")
    response = client.get(f"/reports/comments{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert 'role="search"' in html and items(html) == []


def test_unknown_unit_is_404_and_bad_csv_filters_are_400(client, county):
    login(client, "hr", "en")
    assert client.get("/reports/comments?unit=NOPE").status_code == 404
    assert client.get("/reports/comments.csv?group=grumpy").status_code == 400


def test_workbench_needs_login(client, county):
    response = client.get("/reports/comments")
    assert response.status_code in (302, 401)
