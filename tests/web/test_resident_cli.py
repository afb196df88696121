"""``survey-app surveys open|close|list`` and ``survey-app posters``."""

from __future__ import annotations

from datetime import UTC, datetime

import segno
from sqlalchemy import select

from survey_app.models import AuditEvent, Survey
from survey_app.services.survey.posters import qr_path


def test_open_list_close_a_resident_survey(runner, make_unit, session):
    make_unit("HOSP")
    opened = runner.invoke(args=["surveys", "open", "--unit", "HOSP", "--instrument",
                                 "resident-feedback", "--version", "1", "--opens", "2026-01-01",
                                 "--closes", "2036-01-01"])
    assert opened.exit_code == 0, opened.output
    assert "Opened resident-HOSP-1 for HOSP with resident-feedback v1." in opened.output
    opens_at = session.scalars(select(Survey)).one().opens_at
    opens_at = opens_at if opens_at.tzinfo else opens_at.replace(tzinfo=UTC)
    assert opens_at == datetime(2025, 12, 31, 22, 0, tzinfo=UTC)  # Helsinki midnight
    listed = runner.invoke(args=["surveys", "list"])
    assert listed.output.split() == ["resident-HOSP-1", "HOSP", "resident-feedback", "v1",
                                     "2026-01-01", "2036-01-01", "open"]
    closed = runner.invoke(args=["surveys", "close", "resident-HOSP-1"])
    assert closed.exit_code == 0 and "Closed resident-HOSP-1." in closed.output
    assert runner.invoke(args=["surveys", "list"]).output.split()[-1] == "closed"
    session.expire_all()
    assert session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all() == [
        "surveys.open", "surveys.close"]


def test_surveys_open_reports_user_errors_without_a_traceback(runner, make_unit):
    make_unit("HOSP")
    unknown = runner.invoke(args=["surveys", "open", "--unit", "NOPE"])
    assert unknown.exit_code == 1 and "No unit with the code NOPE." in unknown.output
    bad_date = runner.invoke(args=["surveys", "open", "--unit", "HOSP", "--opens", "tomorrow"])
    assert bad_date.exit_code == 2 and "is not a date" in bad_date.output
    closing = runner.invoke(args=["surveys", "close", "resident-NOPE-1"])
    assert closing.exit_code == 1 and "No resident survey" in closing.output


def test_poster_is_an_a4_svg_with_a_qr_code_and_the_address_per_language(
        runner, make_unit, tmp_path, app):
    make_unit("KAJ-TK", name_fi="Kajaanin terveysasema")
    out = tmp_path / "poster.svg"
    result = runner.invoke(args=["posters", "--unit", "KAJ-TK", "--lang", "fi,sv,ar",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm"')
    assert "Kajaanin terveysasema" in svg
    base = app.config["PUBLIC_BASE_URL"]
    for lang in ("fi", "sv", "ar"):
        url = f"{base}/{lang}/s/KAJ-TK?ch=qr"
        path, modules = qr_path(url)
        assert f'd="{path}"' in svg and f">{url}</text>" in svg
        assert modules == len(list(segno.make(url, error="m").matrix_iter(border=4)))
    assert "Millainen käyntisi oli?" in svg and "Hur var ditt besök?" in svg
    assert "كيف كانت زيارتك؟" in svg and 'direction="rtl"' in svg
    assert "<script" not in svg and "xlink:href" not in svg


def test_poster_in_plain_finnish_points_to_the_variant(runner, make_unit, tmp_path, app):
    make_unit("KAJ-TK")
    out = tmp_path / "selko.svg"
    runner.invoke(args=["posters", "--unit", "KAJ-TK", "--lang", "selko", "--out", str(out)])
    assert "/fi/s/KAJ-TK?ch=qr&amp;variant=selko" in out.read_text(encoding="utf-8")


def test_poster_refuses_unknown_languages_and_units(runner, make_unit, tmp_path):
    make_unit("KAJ-TK")
    out = tmp_path / "p.svg"
    bad = runner.invoke(args=["posters", "--unit", "KAJ-TK", "--lang", "fi,de", "--out", str(out)])
    assert bad.exit_code == 1 and "Give one to six different languages" in bad.output
    missing = runner.invoke(args=["posters", "--unit", "NOPE", "--out", str(out)])
    assert missing.exit_code == 1
    assert not out.exists()
