"""An independent attacker (issue 12): nothing one reader sees works out a protected group.

Each database holds several random counties (one scenario each, its own root). They are
published month by month through ``survey-app releases publish``, with late answers, a unit
moving between releases and pulse rounds in some of them; after every publish one reader with
an HR token reads the new cells through the API, some public pages and (in one county per
database) the CSV export. The facts go into one linear system per county, and HiGHS is asked
for the least and greatest value of every protected group in answers and in each NPS category.
The demo county is attacked the same way. Positive controls show the same attacker pinning
groups when nothing is hidden, and reading "hidden" as "at least one answer".
"""

from __future__ import annotations

from datetime import UTC, date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from survey_app.models import SCORE_COLUMNS, OrgUnit, ResidentMonthly, StaffRound, Survey
from survey_app.services import demo
from survey_app.services.api.tokens import create_token
from survey_app.services.users import create_user
from tests.attack import counties
from tests.attack.reader import Reader, Schedule, every_period, released_periods
from tests.attack.solver import Counts, Fact, System, Target, resident_atom, shown_facts, staff_atom

#: Databases × counties: 200 scenarios on SQLite (and one more database on PostgreSQL).
BATCHES, COUNTIES = 20, 10
#: Months published in each database: mostly a few; three databases run a whole year (the year
#: cell is released with December).
HORIZONS = (4, 12, 6, 3, 5, 8, 4, 5, 3, 12, 6, 4, 5, 7, 3, 4, 9, 5, 4, 12)
PASSWORD = "correct horse battery"
HELSINKI = ZoneInfo("Europe/Helsinki")


def seeds_of(batch: int) -> list[int]:
    """The scenario seeds of one database."""
    return [batch * COUNTIES + i for i in range(COUNTIES)]


def until_of(publish: int) -> date:
    """The ``--until`` day of publish ``publish``: the first day after the month it releases."""
    month = publish + 2
    return date(counties.YEAR + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def cli(runner, *args: str) -> str:
    """Run a ``survey-app`` command in-process; fail on a non-zero exit."""
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def import_units(runner, tmp_path, rows, name: str) -> None:
    """Create or move units through ``survey-app units import``."""
    path = tmp_path / f"{name}.csv"
    path.write_bytes(counties.units_csv(rows))
    cli(runner, "units", "import", str(path))


def logged_in_hr(app, session):
    """A test client logged in as an HR user (for the CSV export)."""
    create_user(session, "hanna", PASSWORD, "hr")
    client = app.test_client()
    response = client.post("/login", data={"username": "hanna", "password": PASSWORD})
    assert response.status_code == 302
    return client


def publish_and_read(app, tmp_path, scenario: list[counties.County], horizon: int) -> Reader:
    """Load the counties, publish month by month and read after every publish."""
    runner, session = app.test_cli_runner(), app.extensions["sqlalchemy_sessionmaker"]()
    try:
        import_units(runner, tmp_path, [(u.code, u.parent, u.kind) for c in scenario
                                        for u in c.units], "units")
        surveys = counties.create_surveys(session, scenario)
        reader = Reader(app.test_client(), create_token(session, "attacker", "hr").secret,
                        Schedule(counties.YEAR, horizon))
        hr_client = logged_in_hr(app, session)
        kinds = {u.code: u.kind for c in scenario for u in c.units}
        for publish in range(horizon):
            moves = [m for c in scenario for m in c.moves if m.before == publish]
            if moves:
                import_units(runner, tmp_path, [(m.unit, m.parent, kinds[m.unit]) for m in moves],
                             f"moves-{publish}")
            counties.add_answers(session, scenario, surveys, publish)
            cli(runner, "releases", "publish", "--until", until_of(publish).isoformat())
            read_release(reader, hr_client, scenario, publish)
        reread(reader, scenario[-1].root)
        return reader
    finally:
        session.close()


def read_release(reader: Reader, hr_client, scenario, publish: int) -> None:
    """Everything new after one publish: resident cells, staff sums, public pages, CSV."""
    reader.read_tree(publish, until_of(publish))
    month = publish + 1
    fresh_rounds = {code for code, p in reader.round_release.items() if p == publish}
    for county in scenario:
        for label in released_periods(counties.YEAR, month):
            reader.read_county("nps", county.root, label, publish)
        staff_labels = {label for code in fresh_rounds if code.startswith(county.root)
                        for label in periods_of(reader.rounds[code][1])}
        for label in sorted(staff_labels):
            reader.read_county("enps", county.root, label, publish)
    # The public pages show the same month cells again: two counties' areas each time.
    shown = {scenario[(2 * publish + i) % len(scenario)].root for i in range(2)}
    for key, cell, value in reader.read_public(areas_of=shown):
        agrees(reader, key, cell, value, 0.5, "public page")
    first = scenario[0]
    units = [u for u in sorted(reader.tree(publish)) if u.startswith(first.root[:-1])]
    for unit in [u for u in units if reader.has_children(publish, u, "resident")]:
        for key, cell, value in reader.read_csv(hr_client, unit, counties.month_label(month)):
            agrees(reader, key, cell, value, 0.05, "CSV export")


def periods_of(day: date) -> list[str]:
    """Labels of the month, quarter, tertial and year that contain ``day``."""
    return [f"{day.year}-{day.month:02d}", f"{day.year}-Q{(day.month + 2) // 3}",
            f"{day.year}-T{(day.month + 3) // 4}", str(day.year)]


def agrees(reader: Reader, key, cell, value, rounding: float, where: str) -> None:
    """A page or export shows the same cell as the API: status, answers and NPS."""
    api = reader.seen.get(key)
    if api is None:
        return
    assert api.status == cell.status, (where, key, api, cell)
    if cell.status == "shown":
        n, detractors, _, promoters = api.numbers
        assert cell.numbers[0] == n, (where, key, api, cell)
        if n:
            assert abs(value - 100 * (promoters - detractors) / n) <= rounding + 1e-9, \
                (where, key, api, value)


def reread(reader: Reader, root: str) -> None:
    """At the end, a county's root and children again by month, quarter, tertial and year."""
    for granularity in ("month", "quarter", "tertial", "year"):
        reader.read_scores("nps", root, str(counties.YEAR), granularity)


def county_facts(reader: Reader, root: str) -> list[Fact]:
    """The facts about one county (its atoms carry its code prefix)."""
    prefix = root[:-1]
    return [f for f in reader.facts if f.atoms and next(iter(f.atoms))[1].startswith(prefix)]


def attack(facts: list[Fact], truth: counties.Truth, name: str, everyone_scores: bool = True):
    """The attacker's outcome on one county, after checking the truth fits every fact read.

    Returns (system, outcome, targets, problems); problems are observations that the reader's
    model gets wrong, which would make the attack meaningless.
    """
    system = System(facts, everyone_scores)
    problems = [f"answers outside the reader's atoms: {a}" for a, c in truth.atoms.items()
                if c.respondents and a not in system.index]
    problems += system.violations(truth.atoms)
    targets = [Target(t.name, t.atoms & system.index.keys(), t.truth) for t in truth.targets()]
    if problems:
        return system, None, targets, [f"{name}: {p}" for p in problems[:5]]
    return system, system.attack(targets), targets, []


def explain(system: System, finding) -> str:
    """A pinned finding and the observations that pin it (the LP's certificate)."""
    lines = [f"  {finding}"]
    for side, weight, fact in system.certificate(finding.target.atoms, finding.layer):
        high = "" if fact.high == fact.low else f"..{fact.high}"
        lines.append(f"    {side} {weight:+g} × {fact.layer} of {fact.source} = {fact.low:g}{high}")
    return "\n".join(lines)


def describe(name: str, system: System, pinned: list, explained: int = 3) -> str:
    """The pinned findings, the first few with the observations that pin them."""
    lines = [f"{name}: {len(pinned)} pinned"]
    lines += [explain(system, f) for f in pinned[:explained]]
    lines += [f"  {f}" for f in pinned[explained:]]
    return "\n".join(lines)


def attack_scenarios(reader: Reader, scenario: list[counties.County]) -> list[str]:
    """Failures of every county of a database: bad observations or worked-out groups."""
    failures = []
    for county in scenario:
        facts = county_facts(reader, county.root)
        system, outcome, targets, problems = attack(facts, counties.truth(county),
                                                    f"seed {county.seed}")
        assert targets, f"seed {county.seed} has no protected group"
        failures += problems
        if outcome is not None and outcome.pinned:
            failures.append(describe(f"seed {county.seed}", system, outcome.pinned))
    return failures


def run_batch(make_app, tmp_path, batch: int) -> None:
    """One database of counties: publish, read, attack; every failure listed at the end."""
    horizon = HORIZONS[batch % len(HORIZONS)]
    scenario = [counties.generate(seed, f"S{seed:03d}-", horizon) for seed in seeds_of(batch)]
    reader = publish_and_read(make_app(), tmp_path, scenario, horizon)
    assert not reader.changed, f"released cells changed between reads: {reader.changed[:5]}"
    failures = attack_scenarios(reader, scenario)
    assert not failures, "protected groups worked out:\n" + "\n".join(failures)


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("batch", range(BATCHES))
def test_no_protected_group_is_worked_out_from_month_by_month_releases(make_app, tmp_path,
                                                                       batch):
    run_batch(make_app, tmp_path, batch)


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_no_protected_group_is_worked_out_on_postgresql_either(make_app, tmp_path):
    run_batch(make_app, tmp_path, BATCHES)


# Positive controls: the attacker does find what is there to find -----------------------------


@pytest.mark.parametrize("seed", range(5))
def test_with_nothing_hidden_the_attacker_pins_every_small_unit_month(seed):
    county = counties.generate(seed, "P-", 6)
    truth = counties.truth(county)
    system = System(truth.open_facts())
    assert system.violations(truth.atoms) == []
    targets = truth.targets()
    outcome = system.attack(targets, seed)
    pinned = {(f.target.name, f.layer) for f in outcome.pinned}
    first_release = [t for t in targets
                     if t.name.startswith("own answers") and t.name.endswith("release 0")]
    assert first_release
    assert all((t.name, layer) in pinned for t in first_release
               for layer in ("n", "detractors", "passives", "promoters"))


def test_hidden_means_at_least_one_answer_to_the_attacker():
    a, b, c = (frozenset([resident_atom(u, "2025-01", 0)]) for u in "ABC")
    facts = [*shown_facts(a | b | c, (5, 1, 1, 3), "parent"), *shown_facts(c, (3, 1, 0, 2), "C"),
             Fact(a, "n", 1, None, "A hidden"), Fact(b, "n", 1, None, "B hidden")]
    # A + B = 2 and each at least 1: both hold exactly one answer.
    targets = [Target(name, atoms, Counts(1, 0, 1, 0) if name == "A" else Counts(1, 0, 0, 1))
               for name, atoms in (("A", a), ("B", b))]
    outcome = System(facts).attack(targets)
    assert {(f.target.name, f.layer) for f in outcome.pinned} >= {("A", "n"), ("B", "n")}


def test_a_shown_zero_pins_the_category_of_every_group_inside():
    small, big = (frozenset([resident_atom(u, "2025-01", 0)]) for u in ("S", "B"))
    facts = shown_facts(small | big, (12, 0, 4, 8), "parent")
    outcome = System(facts).attack([Target("S", small, Counts(2, 0, 1, 1))])
    assert [(f.target.name, f.layer) for f in outcome.pinned] == [("S", "detractors")]


# The demo county -----------------------------------------------------------------------------

DEMO_UNTIL = date(2026, 6, 30)
DEMO_YEARS = (2025, 2026)


def demo_truth(session, reader: Reader) -> counties.Truth:
    """The demo's true counts from its aggregate tables, in the reader's atoms."""
    atoms: dict[tuple, Counts] = {}
    columns = [func.sum(getattr(ResidentMonthly, c)) for c in SCORE_COLUMNS]
    for code, month, respondents, *values in session.execute(
            select(OrgUnit.code, ResidentMonthly.month, func.sum(ResidentMonthly.n), *columns)
            .join(OrgUnit, OrgUnit.id == ResidentMonthly.unit_id)
            .where(ResidentMonthly.month <= DEMO_UNTIL)
            .group_by(OrgUnit.code, ResidentMonthly.month)):
        atoms[resident_atom(code, f"{month:%Y-%m}", 0)] = categorised(respondents, values)
    rounds = {}
    for code, round_code, closes, respondents, *values in session.execute(
            select(OrgUnit.code, Survey.code, Survey.closes_at, StaffRound.n,
                   *[getattr(StaffRound, c) for c in SCORE_COLUMNS])
            .join(OrgUnit, OrgUnit.id == StaffRound.unit_id)
            .join(Survey, Survey.id == StaffRound.survey_id)):
        day = closes.replace(tzinfo=closes.tzinfo or UTC).astimezone(HELSINKI).date()
        if day <= DEMO_UNTIL:
            atoms[staff_atom(code, round_code)] = categorised(respondents, values)
            rounds[round_code] = f"{day:%Y-%m}"
    labels = [label for year in DEMO_YEARS for label, months in every_period(year).items()
              if months[-1] <= f"{DEMO_UNTIL:%Y-%m}"]
    return counties.Truth(atoms, dict(reader.trees), dict(reader.kinds), reader.schedule,
                          labels, rounds)


def categorised(respondents, values) -> Counts:
    """Counts of the respondents and the 0–10 columns c0…c10."""
    values = [int(v or 0) for v in values]
    d, pa, pr = sum(values[:7]), sum(values[7:9]), sum(values[9:])
    return Counts(d + pa + pr, d, pa, pr, int(respondents or 0) - d - pa - pr)


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_protected_group_of_the_demo_county_is_worked_out(make_app):
    app = make_app()
    session = app.extensions["sqlalchemy_sessionmaker"]()
    try:
        demo.load(session, until=DEMO_UNTIL, users=False)
        cli(app.test_cli_runner(), "releases", "publish", "--until", "2026-07-01")
        reader = Reader(app.test_client(), create_token(session, "attacker", "hr").secret,
                        Schedule(2026, 1, monthly=False))
        reader.read_tree(0, date(2026, 7, 1))
        tree = reader.tree(0)
        for metric, kind in (("nps", "resident"), ("enps", "staff")):
            parents = [u for u in sorted(tree) if tree[u] is None
                       or reader.has_children(0, u, kind)]
            for unit in parents:
                for year in DEMO_YEARS:
                    for granularity in ("month", "quarter", "tertial", "year"):
                        reader.read_scores(metric, unit, str(year), granularity)
        for key, cell, value in reader.read_public():
            agrees(reader, key, cell, value, 0.5, "public page")
        hr_client = logged_in_hr(app, session)
        for label in ("2026-05", "2026-Q1", "2025"):
            for key, cell, value in reader.read_csv(hr_client, "KAINUU", label):
                agrees(reader, key, cell, value, 0.05, "CSV export")
        truth = demo_truth(session, reader)
    finally:
        session.close()
    assert not reader.changed
    assert any(key[0] == "staff" for key in reader.seen), "the demo has staff cells to read"
    # 2 % of the demo's residents skip the 0–10 question: "hidden" bounds respondents there.
    system, outcome, targets, problems = attack(reader.facts, truth, "demo",
                                                everyone_scores=False)
    assert not problems, problems
    assert len(targets) > 50
    assert not outcome.pinned, describe("demo groups worked out", system, outcome.pinned)
