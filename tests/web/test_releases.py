"""The release ledger through its public contract: the CLI, the admin page, immutability."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from survey_app.models import Release, ReleasedCell
from survey_app.models.release import LedgerError
from survey_app.services.users import create_user
from tests.integration.reports_fixtures import add_resident, build_county
from tests.web.admin_support import ENGLISH, PASSWORD, login

SURVEY_APP = str(Path(sys.executable).with_name("survey-app"))


@pytest.fixture
def county(session, make_unit, make_survey):
    units = build_county(make_unit)
    survey = make_survey(units["ROOT"], code="resident-all")
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [10] * 8)
    add_resident(session, survey, units["A2"], date(2026, 2, 5), [9] * 2)
    add_resident(session, survey, units["B1"], date(2026, 3, 5), [7] * 6)
    return units


def _ledger(session) -> tuple[int, int]:
    session.expire_all()
    return (session.scalar(select(func.count(Release.id))),
            session.scalar(select(func.count(ReleasedCell.id))))


def test_publish_releases_every_complete_month_in_order_and_is_idempotent(runner, session,
                                                                            county):
    result = runner.invoke(args=["releases", "publish", "--until", "2026-04-01"])
    assert result.exit_code == 0, result.output
    assert "Released 3 resident months (2026-01, 2026-02, 2026-03)" in result.output
    before = _ledger(session)
    again = runner.invoke(args=["releases", "publish", "--until", "2026-04-01"])
    assert again.exit_code == 0 and "up to date" in again.output
    assert _ledger(session) == before
    later = runner.invoke(args=["releases", "publish", "--until", "2026-05-01"])
    assert "Released 1 resident months (2026-04)" in later.output
    listing = runner.invoke(args=["releases", "list"])
    assert [line.split()[2] for line in listing.output.splitlines()] == [
        "2026-01", "2026-02", "2026-03", "2026-04"]


def test_a_ledger_of_some_units_reads_their_cells_as_the_whole_ledger_does(runner, session,
                                                                          county):
    from survey_app.periods import parse_period
    from survey_app.services.releases.ledger import Ledger

    runner.invoke(args=["releases", "publish", "--until", "2026-04-01"])
    periods = [parse_period(p) for p in ("2026-01", "2026-02", "2026-Q1", "2026-04")]
    whole = Ledger(session, periods)
    some = [county["A1"].id, county["ROOT"].id]
    part = Ledger(session, periods, some)
    assert len(part.resident) < len(whole.resident)
    for unit_id in some:
        for period in periods:
            assert part.resident_cell(unit_id, period) == whole.resident_cell(unit_id, period)
            assert part.staff_cell(unit_id, period) == whole.staff_cell(unit_id, period)
    assert part.resident_cell(county["A1"].id, periods[0])[1]["n"] == 8
    # A unit that was not read is an error, never an empty (shown) cell.
    with pytest.raises(KeyError):
        part.resident_cell(county["B1"].id, periods[0])
    assert Ledger(session, periods, []).resident == {}


def test_publish_leaves_the_planner_statistics_of_the_ledger_current(runner, session, county):
    """PostgreSQL plans the reports with what ANALYZE last saw; publishing analyzes."""
    runner.invoke(args=["releases", "publish", "--until", "2026-04-01"])
    cells = _ledger(session)[1]
    assert cells > 0
    if session.get_bind().dialect.name == "postgresql":
        estimate = session.scalar(text(
            "SELECT reltuples FROM pg_class WHERE relname = 'released_cell'"))
        assert estimate == cells  # -1 (never analyzed) or 0 before the publish's ANALYZE


def test_publish_refuses_a_day_after_today(runner, session, county):
    result = runner.invoke(args=["releases", "publish", "--until", "2100-01-01"])
    assert result.exit_code != 0 and "only months that have ended" in result.output
    assert _ledger(session) == (0, 0)


def test_released_cells_never_change(runner, session, county):
    runner.invoke(args=["releases", "publish", "--until", "2026-04-01"])
    cell = session.scalars(select(ReleasedCell)).first()
    cell.n = cell.n + 1
    with pytest.raises(LedgerError):
        session.commit()
    session.rollback()
    session.delete(session.scalars(select(Release)).first())
    with pytest.raises(LedgerError):
        session.commit()
    session.rollback()


def test_publish_refuses_when_an_earlier_release_is_missing(runner, session, county):
    runner.invoke(args=["releases", "publish", "--until", "2026-04-01"])
    february = session.scalar(select(Release.id).where(Release.covers == "2026-02"))
    session.execute(text("DELETE FROM released_cell WHERE release_id = :id"), {"id": february})
    session.execute(text('DELETE FROM "release" WHERE id = :id'), {"id": february})
    session.commit()
    before = _ledger(session)
    result = runner.invoke(args=["releases", "publish", "--until", "2026-06-01"])
    assert result.exit_code != 0
    assert "the release of 2026-02 is missing" in result.output
    assert _ledger(session) == before


def test_admin_page_lists_the_releases_in_the_admin_languages(app, client, session, county,
                                                             runner):
    runner.invoke(args=["releases", "publish", "--until", "2026-03-01"])
    create_user(session, "ada", PASSWORD, "admin")
    login(client, "ada")
    page = client.get("/admin/releases", headers=ENGLISH)
    assert page.status_code == 200
    assert "Resident month 2026-02" in page.text and "Resident month 2026-01" in page.text
    assert page.text.index("2026-02") < page.text.index("2026-01")  # newest first
    client.post("/ui-language", data={"lang": "fi", "next": "/admin/releases"})
    finnish = client.get("/admin/releases")
    assert "Asukkaiden kuukausi 2026-02" in finnish.text


def test_only_admins_see_the_releases_page(client, session, county):
    create_user(session, "hilda", PASSWORD, "hr")
    login(client, "hilda")
    assert client.get("/admin/releases").status_code == 403


def _cli_publish(database_url: str, until: str, tmp_path: Path, *extra: str):
    """``survey-app releases publish`` in its own process, as cron runs it."""
    env = {**os.environ, "SURVEY_DATABASE_URL": database_url}
    return subprocess.Popen([SURVEY_APP, "releases", "publish", "--until", until, *extra],
                            env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def test_the_publish_command_prints_its_report_and_nothing_else(app, session, county,
                                                                tmp_path):
    # February's 2 answers are a protected group, so the exact audit (HiGHS) runs.
    run = _cli_publish(app.config["DATABASE_URL"], "2026-04-01", tmp_path)
    output = run.communicate(timeout=240)[0]
    assert run.returncode == 0, output
    assert "Released 3 resident months (2026-01, 2026-02, 2026-03)" in output
    assert "HiGHS" not in output and "Copyright" not in output, output


def test_two_publishes_at_once_release_each_month_once(app, session, county, tmp_path):
    url = app.config["DATABASE_URL"]
    runs = [_cli_publish(url, "2026-11-01", tmp_path) for _ in range(2)]
    outputs = [run.communicate(timeout=240)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    released = [o for o in outputs if "Released 10 resident months" in o]
    assert len(released) == 1 and any("up to date" in o for o in outputs), outputs
    session.expire_all()
    covers = list(session.scalars(select(Release.covers).order_by(Release.month)))
    assert covers == [f"2026-{m:02d}" for m in range(1, 11)]


def test_publish_without_until_uses_todays_helsinki_date_under_faketime(app, session, county,
                                                                       tmp_path):
    if shutil.which("faketime") is None:
        if os.environ.get("SURVEY_REQUIRE_FAKETIME") == "1":
            pytest.fail("SURVEY_REQUIRE_FAKETIME=1 but Debian's faketime is not installed")
        pytest.skip("needs Debian's faketime (make system-packages, or .ci/run, installs it)")
    # Faking the monotonic clock too makes Python hang at exit: only the wall clock is moved.
    env = {**os.environ, "SURVEY_DATABASE_URL": app.config["DATABASE_URL"],
           "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
    run = subprocess.run(["faketime", "2026-03-15 12:00:00", SURVEY_APP, "releases", "publish"],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "(2026-01, 2026-02)" in run.stdout
