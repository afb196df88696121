"""Backups: pg_dump of a small database, pg_restore into a new one, same rows and figures.

The commands are the ones the README's production guide gives.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from survey_app.models import ResidentDaily, Response
from tests.pulse_support import answer_form, issue_tokens, used_count
from tests.web.resident_helpers import VALID

pytestmark = pytest.mark.postgres

TABLES = ("org_unit", "survey", "response", "resident_daily", "resident_item_daily",
          "staff_round", "staff_measure", "staff_item_count", "invitation", "invitation_pending",
          "alembic_version")


def _figures(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as connection:
        figures = {table: connection.scalar(text(f'SELECT count(*) FROM "{table}"'))
                   for table in TABLES}
        figures["nps counts"] = tuple(connection.execute(text(
            "SELECT sum(n), sum(c0), sum(c9), sum(c10), sum(comments) FROM resident_daily"
        )).one())
        figures["comments"] = sorted(connection.scalars(text(
            "SELECT comment FROM response WHERE comment IS NOT NULL")))
        figures["head"] = connection.scalar(text("SELECT version_num FROM alembic_version"))
    engine.dispose()
    return figures


@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed")
def test_dump_and_restore_keeps_every_row_and_figure(postgres_url, client, session, make_unit,
                                                     make_survey, tmp_path):
    make_survey(make_unit("KAI-BAK"))
    for score in ("10", "9", "0", "7"):
        form = {**VALID, "recommend": score, "comment": f"kommentti {score}"}
        assert client.post("/fi/s/KAI-BAK", data=form).status_code == 303
    team = make_unit("KAI-PBAK", kind="staff")
    survey = make_survey(team, kind="pulse", code="bak",
                         closes_at=datetime.now(UTC) + timedelta(days=1))
    for token in issue_tokens(session, survey, team, 3)[:2]:
        assert client.post(f"/fi/p/{token}", data=answer_form()).status_code == 303
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Response)) == 6
    assert session.scalar(select(func.sum(ResidentDaily.n))) == 4
    assert used_count(session) == 2  # marks pending (in a dump too, though not in the WAL)
    session.commit()

    source = make_url(postgres_url)
    target = source.set(database=f"{source.database}_restored")
    libpq = ["-h", source.host or "127.0.0.1", "-p", str(source.port or 5432),
             "-U", source.username or "postgres"]
    dump = tmp_path / "survey.dump"
    subprocess.run(["pg_dump", *libpq, "--format=custom", "--no-owner", f"--file={dump}",
                    source.database], check=True, timeout=60)
    subprocess.run(["dropdb", *libpq, "--if-exists", target.database], check=True, timeout=60)
    subprocess.run(["createdb", *libpq, target.database], check=True, timeout=60)
    try:
        subprocess.run(["pg_restore", *libpq, "--no-owner", "--exit-on-error",
                        f"--dbname={target.database}", str(dump)], check=True, timeout=60)
        restored_url = target.render_as_string(hide_password=False)
        assert _figures(restored_url) == _figures(postgres_url)
        assert _figures(restored_url)["nps counts"] == (4, 1, 1, 1, 4)
    finally:
        subprocess.run(["dropdb", *libpq, "--if-exists", "--force", target.database],
                       check=True, timeout=60)
