"""The demo county: realistic shape, deterministic, aggregates consistent with answers."""

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from survey_app.models import (
    OrgUnit,
    ResidentDaily,
    ResidentItemDaily,
    Response,
    StaffMeasure,
    StaffRound,
    Survey,
    SurveyKind,
    User,
)
from survey_app.services import aggregates, demo
from tests.conftest import _empty_all_tables

UNTIL = date(2026, 6, 30)


def fingerprint(session):
    rows = session.execute(select(OrgUnit.code, Response.day, Response.score, Response.id)
                           .join(OrgUnit, OrgUnit.id == Response.unit_id)
                           .order_by(Response.id)).all()
    return [tuple(row) for row in rows]


def aggregate_snapshot(session):
    daily = session.execute(select(ResidentDaily.unit_id, ResidentDaily.day,
                                   ResidentDaily.channel, ResidentDaily.n, ResidentDaily.c10)
                            .order_by(ResidentDaily.unit_id, ResidentDaily.day,
                                      ResidentDaily.channel)).all()
    items = session.execute(select(func.sum(ResidentItemDaily.count))).scalar()
    measures = session.execute(select(StaffMeasure.measure, func.sum(StaffMeasure.n),
                                      func.round(func.sum(StaffMeasure.total)))
                               .group_by(StaffMeasure.measure).order_by(StaffMeasure.measure)
                               ).all()
    return [tuple(r) for r in daily], items, [tuple(r) for r in measures]


def test_demo_builds_the_kainuu_tree_with_answers_logins_and_varied_sizes(session):
    summary = demo.load(session, seed=7, months=3, until=UNTIL, users=True)
    codes = set(session.scalars(select(OrgUnit.code)))
    assert {"KAINUU", "TK-KUH", "TK-RIS", "KS-PAIV", "PEL-KUH", "HAL-ICT"} <= codes
    names = set(session.scalars(select(OrgUnit.name_fi)))
    assert "Ristijärven terveysasema" in names
    residents = session.scalar(select(func.count()).select_from(Response)
                               .where(Response.day.is_not(None)))
    assert residents > 3000
    assert f"{residents} resident answers" in summary
    assert session.scalar(select(func.count()).select_from(User)) == len(demo.DEMO_USERS)
    rounds = session.scalars(select(Survey).where(Survey.kind == SurveyKind.PULSE)).all()
    assert len(rounds) >= 1
    # Unit sizes range from a handful to thousands, so suppression shows in the reports.
    per_unit = session.execute(select(ResidentDaily.unit_id, func.sum(ResidentDaily.n))
                               .group_by(ResidentDaily.unit_id)).all()
    sizes = sorted(int(n) for _unit, n in per_unit)
    assert sizes[0] < 10
    assert sizes[-1] > 1000


def test_demo_aggregates_equal_a_rebuild_from_the_raw_answers(session):
    demo.load(session, seed=3, months=1, until=UNTIL, users=False)
    before = aggregate_snapshot(session)
    total_n = session.scalar(select(func.sum(ResidentDaily.n)))
    assert total_n == session.scalar(select(func.count()).select_from(Response)
                                     .where(Response.day.is_not(None)))
    staff_n = session.scalar(select(func.sum(StaffRound.n)))
    assert staff_n == session.scalar(select(func.count()).select_from(Response)
                                     .where(Response.day.is_(None)))
    from survey_app.instruments import load_instrument
    from survey_app.services.qwl import person_measures

    aggregates.rebuild(session, staff_measures=lambda survey, response: person_measures(
        load_instrument(survey.instrument_key, survey.instrument_version), response.answers))
    assert aggregate_snapshot(session) == before


def test_demo_is_deterministic_for_a_seed(session, database_url):
    demo.load(session, seed=11, months=1, until=UNTIL, users=False)
    first = fingerprint(session)
    session.close()
    _empty_all_tables(database_url)
    demo.load(session, seed=11, months=1, until=UNTIL, users=False)
    assert fingerprint(session) == first


def test_demo_command_loads_once_with_if_empty_and_writes_working_invitations(app, runner):
    first = runner.invoke(args=["demo", "--months", "1", "--seed", "5"])
    assert first.exit_code == 0, first.output
    assert "Demo county loaded" in first.output and "comment batches" in first.output
    links_file = Path(app.instance_path) / "demo-invitations.csv"
    links = [line.split(",")[-1] for line in links_file.read_text().splitlines()[1:]]
    assert len(links) == 10
    path = links[0].split("5000", 1)[1]
    assert app.test_client().get(path).status_code == 200
    second = runner.invoke(args=["demo", "--if-empty"])
    assert "not loaded" in second.output


def test_monthly_aggregates_equal_the_daily_ones_summed_by_month(session):
    from survey_app.models import ResidentMonthly

    demo.load(session, seed=4, months=2, until=UNTIL, users=False)
    daily = {}
    for unit_id, day, n, c10 in session.execute(select(ResidentDaily.unit_id, ResidentDaily.day,
                                                       ResidentDaily.n, ResidentDaily.c10)):
        key = (unit_id, day.replace(day=1))
        total = daily.setdefault(key, [0, 0])
        total[0] += n
        total[1] += c10
    monthly = {(unit_id, month): [n, c10] for unit_id, month, n, c10 in session.execute(
        select(ResidentMonthly.unit_id, ResidentMonthly.month, ResidentMonthly.n,
               ResidentMonthly.c10))}
    assert monthly == daily
