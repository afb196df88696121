"""Random small counties for the attacker, with the ground truth the reader never sees.

``generate(seed, prefix, horizon)`` draws one county from ``numpy.random.default_rng(seed)``: a
root with 3–9 units in a tree of depth at most 3, resident answers per unit and month (many
groups of 0–6, some of 10–40, scores skewed so that whole categories are often empty), and
sometimes late answers to a month already released, a move of a unit to another parent
between two releases, and one or two staff pulse rounds. ``units_csv``, ``create_surveys``
and ``add_answers`` write counties into a database the way answers get there (aggregate rows;
the tests import the units through ``survey-app units import``). :class:`Truth` holds what
really happened in the reader's atoms: ``targets()`` lists every group of 1–4 answers that the
release rules must keep from being worked out, with its true counts, and ``open_facts()`` is
what a release without suppression would show (the positive control).

Publish ``p`` (0-based) is ``releases publish --until 2025-(p+2)-01``: it releases month
``p + 1`` of 2025, the quarter, tertial and year that month completes, and every pulse round
closing in it.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np

from survey_app.models import OrgUnit, Survey, SurveyKind
from survey_app.services.aggregates import AggregateBuffer
from tests.attack.reader import Schedule, every_period, period_months, released_periods, subtree
from tests.attack.solver import ZERO, Counts, Fact, Target, resident_atom, shown_facts, staff_atom

#: The scenarios' year: every month of it can be published before today.
YEAR = 2025
#: Score values of each category: detractors 0–6, passives 7–8, promoters 9–10.
CATEGORY_SCORES = (tuple(range(0, 7)), (7, 8), (9, 10))
#: Threshold of the release rules: groups of 1 to K − 1 answers are protected.
K = 5


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit as first imported: code, parent code (None for the root), kind."""

    code: str
    parent: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class Batch:
    """Resident answers of one unit in one month that arrive before publish ``arrival``."""

    unit: str
    month: int
    arrival: int
    scores: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PulseRound:
    """A staff round over ``unit``'s subtree, closing on ``month``/``day``; scores per unit."""

    code: str
    unit: str
    month: int
    day: int
    answers: dict[str, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class Move:
    """Before publish ``before`` (after the reads of the one before), ``unit`` gets ``parent``."""

    before: int
    unit: str
    parent: str


@dataclass(slots=True)
class County:
    """One scenario: units, answers, pulse rounds and reorganisations, and its horizon."""

    seed: int
    root: str
    horizon: int
    units: list[Unit]
    batches: list[Batch] = field(default_factory=list)
    rounds: list[PulseRound] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)

    def tree_at(self, publish: int) -> dict[str, str | None]:
        """Parent of every unit at publish ``publish`` (moves before it applied)."""
        parents = {u.code: u.parent for u in self.units}
        for move in self.moves:
            if move.before <= publish:
                parents[move.unit] = move.parent
        return parents

    def kinds(self) -> dict[str, str]:
        """Kind of every unit."""
        return {u.code: u.kind for u in self.units}


def counts_of(scores) -> Counts:
    """(n, detractors, passives, promoters) of a list of 0–10 scores."""
    scores = np.asarray(scores, dtype=int)
    d, pa = int((scores <= 6).sum()), int(((scores >= 7) & (scores <= 8)).sum())
    pr = int((scores >= 9).sum())
    return Counts(d + pa + pr, d, pa, pr)


# Generation --------------------------------------------------------------------------------


def generate(seed: int, prefix: str, horizon: int) -> County:
    """A random county whose codes start with ``prefix``, with answers up to month ``horizon``."""
    rng = np.random.default_rng(seed)
    units = _tree(rng, prefix)
    county = County(seed, units[0].code, horizon, units)
    profiles = {u.code: _profile(rng) for u in units}
    residents = [u.code for u in units if u.kind != "staff"]
    first = int(rng.integers(1, min(3, horizon) + 1))
    last = int(rng.integers(first, horizon + 1)) if rng.random() < 0.4 else horizon
    for month in range(first, last + 1):
        for code in residents:
            size = _group_size(rng)
            if size:
                county.batches.append(Batch(code, month, month - 1,
                                            _scores(rng, profiles[code], size)))
    if not any(len(b.scores) < K for b in county.batches):
        # Every scenario has at least one small group to attack.
        small = int(rng.integers(1, K))
        if county.batches:
            b = county.batches[0]
            county.batches[0] = Batch(b.unit, b.month, b.arrival, b.scores[:small])
        else:
            county.batches.append(Batch(residents[-1], first, first - 1,
                                        _scores(rng, profiles[residents[-1]], small)))
    _late_answers(rng, county, residents, profiles)
    _reorganisation(rng, county)
    _pulse_rounds(rng, county, profiles)
    return county


def _tree(rng, prefix: str) -> list[Unit]:
    """A root and 3–9 units below it, none deeper than 3."""
    units = [Unit(f"{prefix}R", None, "both")]
    depth = {units[0].code: 0}
    for i in range(int(rng.integers(3, 10))):
        candidates = [code for code, d in depth.items() if d < 3]
        # Mostly shallow: each unit with children costs the reader one request per period.
        weights = np.array([1.0 / (1 + depth[c]) ** 2 for c in candidates])
        parent = candidates[int(rng.choice(len(candidates), p=weights / weights.sum()))]
        kind = str(rng.choice(["both", "resident", "staff"], p=[0.7, 0.2, 0.1]))
        code = f"{prefix}{chr(ord('A') + i)}"
        units.append(Unit(code, parent, kind))
        depth[code] = depth[parent] + 1
    return units


def _profile(rng) -> np.ndarray:
    """Category shares of a unit; often one or two categories are empty."""
    shares = rng.dirichlet([1.0, 1.0, 1.5])
    draw = rng.random()
    if draw < 0.25:
        shares[0] = 0.0
    elif draw < 0.45:
        shares[1] = 0.0
    elif draw < 0.55:
        shares[2] = 0.0
    elif draw < 0.62:
        shares[:2] = 0.0
    return shares / shares.sum()


def _group_size(rng) -> int:
    draw = rng.random()
    if draw < 0.3:
        return 0
    if draw < 0.8:
        return int(rng.integers(1, 7))
    return int(rng.integers(10, 41))


def _scores(rng, shares: np.ndarray, size: int) -> tuple[int, ...]:
    categories = rng.choice(3, size=size, p=shares)
    return tuple(int(rng.choice(CATEGORY_SCORES[c])) for c in categories)


def _late_answers(rng, county: County, residents: list[str], profiles: dict) -> None:
    """Sometimes answers to a month arrive after it was released."""
    if county.horizon < 2 or rng.random() >= 0.3:
        return
    for _ in range(int(rng.integers(1, 3))):
        month = int(rng.integers(1, county.horizon))
        arrival = int(rng.integers(month, county.horizon))
        code = str(rng.choice(residents))
        size = int(rng.integers(1, 4)) if rng.random() < 0.8 else int(rng.integers(5, 12))
        county.batches.append(Batch(code, month, arrival, _scores(rng, profiles[code], size)))


def _reorganisation(rng, county: County) -> None:
    """Sometimes a unit moves to another parent between two releases."""
    if county.horizon < 2 or rng.random() >= 0.3:
        return
    before = int(rng.integers(1, county.horizon))
    parents = county.tree_at(before)
    movable = [c for c in parents if parents[c] is not None]
    unit = str(rng.choice(movable))
    inside = subtree(parents, unit)
    targets = [c for c in parents if c not in inside and c != parents[unit]]
    if targets:
        county.moves.append(Move(before, unit, str(rng.choice(targets))))


def _pulse_rounds(rng, county: County, profiles: dict) -> None:
    """Sometimes one or two staff rounds, on the whole county or on one subtree."""
    if rng.random() >= 0.35:
        return
    parents = county.tree_at(0)
    kinds = county.kinds()
    owners = [c for c in parents if kinds[c] != "resident"
              and len(subtree(parents, c)) > 1] or [county.root]
    same_month = int(rng.integers(1, county.horizon + 1))
    for i in range(int(rng.integers(1, 3))):
        owner = str(rng.choice(owners))
        month = same_month if rng.random() < 0.5 else int(rng.integers(1, county.horizon + 1))
        answers = {}
        for code in sorted(subtree(parents, owner)):
            if kinds[code] == "resident":
                continue
            size = int(rng.integers(0, 9)) if rng.random() < 0.8 else int(rng.integers(10, 21))
            if size:
                answers[code] = _scores(rng, profiles[code], size)
        county.rounds.append(PulseRound(f"{county.root}-P{i}", owner, month,
                                        int(rng.integers(10, 26)), answers))


# Loading -----------------------------------------------------------------------------------


def units_csv(rows: list[tuple[str, str | None, str]]) -> bytes:
    """The ``units import`` file for (code, parent, kind) rows; names from the code."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "parent_code", "name_fi", "name_sv", "name_en", "kind"])
    for code, parent, kind in rows:
        writer.writerow([code, parent or "", f"{code} fi", f"{code} sv", unit_name(code), kind])
    return out.getvalue().encode()


def unit_name(code: str) -> str:
    """The English name of a unit (unique, so the public page's names map back to codes)."""
    return f"Unit {code}"


def create_surveys(session, counties: list[County]) -> dict[str, int]:
    """One resident survey per county root and every pulse round; ids by code."""
    ids = {u.code: u.id for u in session.query(OrgUnit)}
    surveys = []
    for county in counties:
        surveys.append(Survey(code=f"{county.root}-res", kind=SurveyKind.RESIDENT,
                              unit_id=ids[county.root], instrument_key="resident-feedback",
                              instrument_version=1, opens_at=datetime(YEAR - 1, 12, 1, tzinfo=UTC),
                              closes_at=None, title=""))
        for r in county.rounds:
            surveys.append(Survey(code=r.code, kind=SurveyKind.PULSE, unit_id=ids[r.unit],
                                  instrument_key="staff-pulse", instrument_version=1,
                                  opens_at=datetime(YEAR, r.month, 1, tzinfo=UTC),
                                  closes_at=datetime(YEAR, r.month, r.day, 12, tzinfo=UTC),
                                  title=""))
    session.add_all(surveys)
    session.commit()
    return {s.code: s.id for s in surveys}


def add_answers(session, counties: list[County], surveys: dict[str, int], arrival: int) -> None:
    """Write the answers that arrive before publish ``arrival`` as aggregate rows (one commit).

    Pulse rounds get all their answers before the first publish (a round is released closed).
    """
    ids = {u.code: u.id for u in session.query(OrgUnit)}
    buffer = AggregateBuffer()
    for county in counties:
        survey = surveys[f"{county.root}-res"]
        for batch in county.batches:
            if batch.arrival != arrival:
                continue
            for i, score in enumerate(batch.scores):
                day = date(YEAR, batch.month, 1 + (i * 7) % 28)
                buffer.add_resident(survey, ids[batch.unit], day, "sms", score, {}, False)
        if arrival == 0:
            for r in county.rounds:
                for code, scores in r.answers.items():
                    for score in scores:
                        buffer.add_staff(surveys[r.code], ids[code], score, {},
                                         {"qwl": 50.0 + score}, False)
    buffer.flush(session)
    session.commit()


# Ground truth ------------------------------------------------------------------------------


def month_label(month: int) -> str:
    """``2025-03`` for month 3 of the scenarios' year."""
    return f"{YEAR}-{month:02d}"


@dataclass(slots=True)
class Truth:
    """What really happened, in the reader's atoms, and what was released when.

    ``trees``: the tree at each publish; ``labels``: released resident periods; ``rounds``:
    released pulse rounds with the month they closed in.
    """

    atoms: dict[tuple, Counts]
    trees: dict[int, dict[str, str | None]]
    kinds: dict[str, str]
    schedule: Schedule
    labels: list[str]
    rounds: dict[str, str]

    def subtrees(self) -> set[frozenset]:
        """Every unit subtree under every tree there was."""
        return {frozenset(subtree(tree, code)) for tree in self.trees.values() for code in tree}

    def resident_cell(self, members, label: str) -> frozenset:
        """Atoms of the subtree ``members`` in ``label`` as released."""
        publish = self.schedule.publish_of(label)
        return frozenset(resident_atom(u, m, s) for u in members if self.kinds[u] != "staff"
                         for m in period_months(label)
                         for s in self.schedule.segments(m, publish))

    def staff_cell(self, members, rounds) -> frozenset:
        """Atoms of the subtree ``members`` in ``rounds``."""
        return frozenset(staff_atom(u, code) for u in members if self.kinds[u] != "resident"
                         for code in rounds)

    def staff_periods(self) -> dict[str, list[str]]:
        """Each period with a released round: the rounds that closed in it."""
        years = sorted({int(month[:4]) for month in self.rounds.values()})
        result = {}
        for year in years:
            for label, months in every_period(year).items():
                inside = sorted(c for c, month in self.rounds.items() if month in months)
                if inside:
                    result[label] = inside
        return result

    def total(self, keys) -> Counts:
        """True counts of a group of atoms."""
        return Counts.sum(self.atoms.get(key, ZERO) for key in keys)

    def targets(self) -> list[Target]:
        """Every group of 1 to K − 1 answers that must not be worked out, with its atoms.

        Resident: each unit's own answers in a month as they stood at each release of that
        month, each batch of answers that arrived between two releases of a month, and each
        subtree × month, quarter, tertial and year as released, under every tree there was.
        Staff: each unit's answers in a round, each subtree in a round, and each subtree ×
        period summed over the rounds closing in it.
        """
        groups: dict[frozenset, str] = {}
        for key in self.atoms:
            if key[0] == "resident":
                _, unit, month, segment = key
                for last in range(segment + 1):
                    prefix = frozenset(resident_atom(unit, month, s) for s in range(last + 1))
                    groups.setdefault(prefix, f"own answers of {unit} in {month} by release "
                                              f"{last}")
                groups.setdefault(frozenset([key]), f"answers of {unit} in {month} arriving "
                                                    f"for release {segment}")
            else:
                groups.setdefault(frozenset([key]), f"own answers of {key[1]} in {key[2]}")
        subtrees = self.subtrees()
        for label in self.labels:
            for members in subtrees:
                groups.setdefault(self.resident_cell(members, label),
                                  f"{'+'.join(sorted(members))} in {label}")
        periods = {code: [code] for code in self.rounds} | self.staff_periods()
        for label, rounds in periods.items():
            for members in subtrees:
                groups.setdefault(self.staff_cell(members, rounds),
                                  f"staff {'+'.join(sorted(members))} in {label}")
        targets = []
        for keys, name in groups.items():
            total = self.total(keys)
            if 0 < total.respondents < K:
                targets.append(Target(name, keys, total))
        return targets

    def open_facts(self) -> list[Fact]:
        """What a release without any suppression would show: every cell with its counts."""
        facts = []
        for label in self.labels:
            tree = self.trees[self.schedule.publish_of(label)]
            for code in tree:
                keys = self.resident_cell(subtree(tree, code), label)
                total = self.total(keys)
                facts += shown_facts(keys, (total.n, total.detractors, total.passives,
                                            total.promoters), f"open {code} {label}")
        for code, month in self.rounds.items():
            tree = self.trees[self.schedule.publish_of(month)]
            for unit in tree:
                keys = self.staff_cell(subtree(tree, unit), [code])
                total = self.total(keys)
                facts += shown_facts(keys, (total.n, total.detractors, total.passives,
                                            total.promoters), f"open {unit} {code}")
        return facts


def truth(county: County) -> Truth:
    """The ground truth of a generated county."""
    plan = Schedule(YEAR, county.horizon)
    scores: dict[tuple, list[int]] = defaultdict(list)
    for batch in county.batches:
        label = month_label(batch.month)
        segment = plan.segment(label, batch.arrival)
        if segment is not None:
            scores[resident_atom(batch.unit, label, segment)] += batch.scores
    for r in county.rounds:
        for code, values in r.answers.items():
            scores[staff_atom(code, r.code)] += values
    labels = [label for p in range(county.horizon)
              for label in released_periods(YEAR, p + 1)]
    return Truth({key: counts_of(values) for key, values in scores.items()},
                 {p: county.tree_at(p) for p in range(county.horizon)}, county.kinds(), plan,
                 labels, {r.code: month_label(r.month) for r in county.rounds})
