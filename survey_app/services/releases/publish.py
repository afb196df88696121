"""Publishing: turn complete resident months and closed staff rounds into released cells.

``publish(session, until)`` releases, in order, every complete resident month before ``until``
that is not released yet, and every staff round closed before ``until``. Each release stores one
:class:`ReleasedCell` per unit subtree with answers (month; and the quarter, tertial and year
that the month completes), decided against every earlier release of the same year: the Gaussian
check sub-table by sub-table down the tree (:mod:`survey_app.privacy.subtables`), then the exact
audit part by part (:mod:`survey_app.privacy.parts`), each growing with the units, not with
their square. Running twice changes nothing; two runs at once serialise on
a database lock (PostgreSQL advisory lock, SQLite ``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
from flask import has_app_context
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from survey_app.models import (
    Release,
    ReleasedCell,
    ResidentMonthly,
    Survey,
    SurveyKind,
)
from survey_app.models.release import RESIDENT_MONTH, STAFF_ROUND
from survey_app.periods import HELSINKI, Period, helsinki_day, parse_period, period_of
from survey_app.privacy import Thresholds
from survey_app.privacy.audit import AuditResult, incidence
from survey_app.privacy.gauss import PRIME
from survey_app.privacy.parts import HIDDEN, OPEN, SHOWN, Cells, Split, Trials, audit_parts
from survey_app.privacy.subtables import Cell as SubCell
from survey_app.privacy.subtables import suppress_by_subtables
from survey_app.services.comments import publish_comment_batches
from survey_app.services.pulse.finalize import finalize_closed_rounds
from survey_app.services.reports.tree import UnitTree

from . import cells as source

#: The advisory lock key of publishing (PostgreSQL), stable across processes.
LOCK_KEY = zlib.crc32(b"survey-app releases publish")
#: Recorded in each release: the Gaussian check by sub-tables, then the exact audit by parts.
METHOD = "subtables-lp-parts-v3"


class ReleaseError(RuntimeError):
    """Publishing cannot go on; the message says why and what to do."""


@dataclass(slots=True)
class PublishResult:
    """What one run released."""

    months: list[str] = field(default_factory=list)
    rounds: list[str] = field(default_factory=list)
    cells: int = 0
    hidden: int = 0
    #: Staff rounds finalised (used marks written, rows re-stored shuffled) before releasing.
    finalized: list[str] = field(default_factory=list)
    #: Comment batches released after the cells (``services.comments``).
    comment_batches: int = 0


def publish(session: Session, until: date, thresholds: Thresholds, *,
            today: date | None = None, wait: bool = True) -> PublishResult:
    """Release everything complete before ``until`` that is not released yet (commits).

    Raises :class:`ReleaseError` when the ledger has a gap (an earlier release is missing) or
    when another run holds the lock and ``wait`` is False.
    """
    today = today or helsinki_day(datetime.now(UTC))
    result = PublishResult()
    # A round that reached its closing time is finalised first, whoever closed it: the
    # nightly run is what makes a scheduled close as safe as ``rounds close`` (issue 13).
    if has_app_context():
        result.finalized = finalize_closed_rounds(session, datetime.now(UTC), actor="publish")
    _lock(session, wait)
    try:
        tree = UnitTree.load(session)
        for month in pending_months(session, until):
            _release_month(session, tree, month, thresholds.resident, today, result)
        for survey in pending_rounds(session, until):
            _release_round(session, tree, survey, thresholds.staff, today, result)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    # Comments go out in frozen batches of their own (issue 12 §4), after the cells.
    result.comment_batches = publish_comment_batches(session, until, thresholds, today=today,
                                                     actor="publish")
    if result.cells or result.comment_batches:
        _refresh_statistics(session)
    return result


#: The tables a publish writes and every report reads.
LEDGER_TABLES = ("release", "released_cell", "comment_batch", "released_comment")


def _refresh_statistics(session: Session) -> None:
    """Update the query planner's statistics of the ledger tables (PostgreSQL).

    A publish adds a month's cells and comments at once; until autovacuum gets to them, the
    planner's estimates of these tables are stale, and the morning's first reports were planned
    with nested loops over thousands of rows (6 ms instead of 1 ms per comment query at 10 M
    answers). ANALYZE of these small tables takes milliseconds.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text(f"ANALYZE {', '.join(LEDGER_TABLES)}"))
    session.commit()


def _lock(session: Session, wait: bool) -> None:
    """Take the publishing lock for this transaction (released by commit or rollback)."""
    session.rollback()
    connection = session.connection()
    try:
        if connection.dialect.name == "postgresql":
            if wait:
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            elif not session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                    {"key": LOCK_KEY}):
                raise ReleaseError("another publish is running; nothing was done")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    except OperationalError:
        session.rollback()
        raise ReleaseError("another publish is running; nothing was done") from None


def _first_day(ordinal: int) -> date:
    return date(ordinal // 12, ordinal % 12 + 1, 1)


def _ordinal(day: date) -> int:
    return day.year * 12 + day.month - 1


def pending_months(session: Session, until: date) -> list[date]:
    """First days of the complete months before ``until`` still to release, oldest first.

    ReleaseError when the released months have a gap.
    """
    released = sorted(_ordinal(m) for m in session.scalars(
        select(Release.month).where(Release.kind == RESIDENT_MONTH)))
    if released:
        missing = sorted(set(range(released[0], released[-1] + 1)) - set(released))
        if missing:
            raise ReleaseError(
                f"the release of {_label(missing[0])} is missing from the ledger although later "
                f"months are released; restore it from a backup before publishing again")
        first = released[-1] + 1
    else:
        earliest = session.scalar(select(func.min(ResidentMonthly.month)))
        if earliest is None:
            return []
        # From January, so that the quarters, tertials and year of the first year complete too.
        first = earliest.year * 12
    last = _ordinal(until) - 1  # the month before until's month is the last complete one
    return [_first_day(o) for o in range(first, last + 1)]


def _label(ordinal: int) -> str:
    return f"{ordinal // 12}-{ordinal % 12 + 1:02d}"


def pending_rounds(session: Session, until: date) -> list[Survey]:
    """Staff rounds closed before ``until`` (Helsinki day) and not released, by closing time."""
    done = set(session.scalars(select(Release.survey_id).where(Release.kind == STAFF_ROUND)))
    rounds = session.scalars(select(Survey).where(Survey.kind == SurveyKind.PULSE,
                                                  Survey.closes_at.is_not(None))
                             .order_by(Survey.closes_at, Survey.id))
    return [r for r in rounds if r.id not in done and helsinki_day(r.closes_at) < until]


def completed_periods(month: date) -> list[Period]:
    """The month, and the quarter, tertial and year that it completes."""
    result = [period_of(month, "month")]
    for granularity in ("quarter", "tertial", "year"):
        period = period_of(month, granularity)
        if period.parts("month")[-1].start == month:
            result.append(period)
    return result


@dataclass(slots=True)
class _Candidate:
    unit: int
    period: Period
    values: dict
    n: int
    atoms: list[int]
    primary: bool
    depth: int
    unit_id: int
    members: list[int]


def _release_month(session, tree: UnitTree, month: date, k: int, today: date,
                   result: PublishResult) -> None:
    """Decide and store one resident month (and the periods it completes)."""
    year_start = date(month.year, 1, 1)
    after = _first_day(_ordinal(month) + 1)
    atom_counts = source.resident_atom_counts(session, year_start, after)
    earlier = list(session.scalars(
        select(Release).where(Release.kind == RESIDENT_MONTH, Release.month >= year_start,
                              Release.month < after).order_by(Release.month)))
    atoms = Segments(atom_counts, earlier)
    subtree = source.members(tree)
    candidates = []
    for period in completed_periods(month):
        measures = source.resident_measures(session, tree, period.start, period.end)
        candidates += _candidates(tree, measures, subtree, k,
                                  lambda unit_ids, p=period: atoms.of(unit_ids, p), period)
    published, primaries, hidden, keys = _earlier(
        session, "resident", year_start, after,
        lambda cell: atoms.of(cell.members, _period(cell.period), cell.release_id))
    primaries += atoms.small(k)
    release = Release(kind=RESIDENT_MONTH, covers=month.strftime("%Y-%m"), month=month,
                      created_on=today, threshold=k,
                      config={**_config(k), "atoms": atoms.snapshot()})
    places = sorted(atoms.index.items(), key=lambda item: item[1])
    _decide_and_store(session, release, "resident", candidates, published, primaries, None,
                      result, tree, [tree.index_of.get(u, -1) for (u, _m, _p), _j in places],
                      [(m, p) for (_u, m, p), _j in places], atoms.sizes(), hidden, keys)
    result.months.append(release.covers)


class Segments:
    """The resident atoms of a year: a unit's own answers in a month, split by release.

    Normally an atom is fixed once its month is released. Should answers to a released month
    arrive later (an import of paper forms, a restored backup), the cells released before saw
    fewer answers than the cells released after: the atom is then split into the answers each
    release saw first (*segments*), and an earlier cell sums only the segments of its time.
    Each release stores its own answer count of every atom of the year so far (``atoms`` in
    its configuration) to tell; releases from before that are taken to have seen today's.
    """

    def __init__(self, counts: dict[tuple[int, date], int], earlier: list[Release]) -> None:
        self.position = {release.id: p for p, release in enumerate(earlier)}
        current = len(earlier)
        #: (unit, month) → [(first release position, answers added then)].
        self.parts: dict[tuple[int, date], list[tuple[int, int]]] = {}
        seen = [self._seen(release, counts) for release in earlier] + [counts]
        for key in sorted(counts):
            before = 0
            for p, snapshot in enumerate(seen):
                value = snapshot.get(key, 0)
                if value > before:
                    self.parts.setdefault(key, []).append((p, value - before))
                    before = value
        self.index: dict[tuple[int, date, int], int] = {}
        for (unit, month), parts in sorted(self.parts.items()):
            for p, _added in parts:
                self.index[(unit, month, p)] = len(self.index)
        self.current = current
        self.counts = counts

    @staticmethod
    def _seen(release: Release, counts) -> dict[tuple[int, date], int]:
        stored = (release.config or {}).get("atoms")
        if stored is None:  # released before snapshots were kept: as today, up to its month
            return {key: n for key, n in counts.items() if key[1] <= release.month}
        result = {}
        for key, n in stored.items():
            unit, label = key.split(":")
            year, number = label.split("-")
            result[(int(unit), date(int(year), int(number), 1))] = int(n)
        return result

    def of(self, unit_ids, period: Period, release_id: int | None = None) -> list[int]:
        """Atom positions of ``unit_ids`` over ``period`` as the release saw them (now when
        ``release_id`` is None)."""
        upto = self.current if release_id is None else self.position.get(release_id,
                                                                         self.current)
        months = [m.start for m in period.parts("month")]
        return sorted(self.index[(u, m, p)] for u in unit_ids for m in months
                      for p, _added in self.parts.get((u, m), ()) if p <= upto)

    def small(self, k: int) -> list[list[int]]:
        """Protected groups among the atoms: an atom with 1..k−1 answers as any release saw it,
        and answers added later to a released month, 1..k−1 at a time."""
        groups = []
        for (unit, month), parts in self.parts.items():
            total = 0
            for i, (p, added) in enumerate(parts):
                total += added
                prefix = [self.index[(unit, month, q)] for q, _a in parts[:i + 1]]
                if 0 < total < k:
                    groups.append(prefix)
                if i and 0 < added < k:
                    groups.append([self.index[(unit, month, p)]])
        return groups

    def sizes(self) -> list[int]:
        """Each atom's answers (its segment's), in atom order."""
        sizes = [0] * len(self.index)
        for (unit, month), parts in self.parts.items():
            for p, added in parts:
                sizes[self.index[(unit, month, p)]] = added
        return sizes

    def snapshot(self) -> dict[str, int]:
        """Today's answer count of every atom, as the new release stores it."""
        return {f"{unit}:{month:%Y-%m}": int(n) for (unit, month), n in self.counts.items()}


def _release_round(session, tree: UnitTree, survey: Survey, k: int, today: date,
                   result: PublishResult) -> None:
    """Decide and store one closed staff round: one cell per unit subtree with answers."""
    measures = source.staff_measures(session, tree, survey.id)
    own = measures.column("n")
    atom_index = {int(tree.ids[i]): j for j, i in enumerate(map(int, own.nonzero()[0]))}
    month = helsinki_day(survey.closes_at).replace(day=1)
    candidates = _candidates(tree, measures, source.members(tree), k,
                             lambda unit_ids: sorted(atom_index[u] for u in unit_ids
                                                     if u in atom_index),
                             period_of(month, "month"))
    small = measures.small_counts()
    primaries = [[atom_index[int(tree.ids[i])]] for i in own.nonzero()[0]
                 if ((small[i] > 0) & (small[i] < k)).any()]
    release = Release(kind=STAFF_ROUND, covers=f"round:{survey.id}", month=month,
                      survey_id=survey.id, created_on=today, threshold=k, config=_config(k))
    _decide_and_store(session, release, "staff", candidates, [], primaries, survey.id, result,
                      tree, [tree.index_of.get(u, -1)
                             for u in sorted(atom_index, key=atom_index.get)],
                      [0] * len(atom_index),
                      [own[tree.index_of[u]] for u in sorted(atom_index, key=atom_index.get)])
    result.rounds.append(survey.code)


def _config(k: int) -> dict:
    return {"k": k, "method": METHOD, "prime": PRIME}


def _candidates(tree, measures, subtree, k, atoms_of, period) -> list[_Candidate]:
    """A candidate cell for every unit subtree with answers in ``period``."""
    rolled = measures.rolled_up(tree)
    small = rolled.small_counts()
    n = rolled.column("n")
    result = []
    for unit in map(int, n.nonzero()[0]):
        primary = bool(((small[unit] > 0) & (small[unit] < k)).any())
        result.append(_Candidate(unit, period, rolled.values(unit), int(round(n[unit])),
                                 atoms_of(subtree[unit]), primary, tree.units[unit].depth,
                                 int(tree.ids[unit]), subtree[unit]))
    return result


def _period(label: str) -> Period:
    return parse_period(label)


#: Category layers of the check: detractors (0–6), passives (7–8), promoters (9–10).
CATEGORY_VALUES = (range(0, 7), range(7, 9), range(9, 11))


def category_counts(values: dict) -> tuple[int, ...]:
    """The cell's count in each category layer."""
    return tuple(int(sum(values.get(f"c{v}", 0) for v in values_range))
                 for values_range in CATEGORY_VALUES)


def _earlier(session, kind: str, start: date, end: date, atoms_of):
    """Atoms of the published cells and of the primary cells of earlier releases in [start, end),
    and the (unit id, period) of each published and each hidden cell, in the same order."""
    rows = session.scalars(
        select(ReleasedCell).join(Release, Release.id == ReleasedCell.release_id)
        .where(ReleasedCell.survey_kind == kind, Release.month >= start, Release.month < end))
    published, primaries, hidden = [], [], []
    keys: dict[str, list] = {"published": [], "hidden": [], "hidden_n": []}
    for cell in rows:
        if not cell.hidden:
            published.append((atoms_of(cell), category_counts(cell.values), cell.n))
            keys["published"].append((cell.unit_id, cell.period))
        else:
            hidden.append(atoms_of(cell))
            keys["hidden"].append((cell.unit_id, cell.period))
            keys["hidden_n"].append(cell.n)
            if cell.reason == "primary":
                primaries.append(hidden[-1])
    return published, primaries, hidden, keys


def _decide_and_store(session, release, kind, candidates, published, primaries, round_id,
                      result, tree, atom_units, atom_slots, atom_n, hidden=(),
                      keys=None) -> None:
    """Run the whole-system check and add the release and its cells to the session.

    The Gaussian check decides first, sub-table by sub-table down the tree
    (:mod:`survey_app.privacy.subtables`); the exact audit (:mod:`survey_app.privacy.audit`,
    by parts) then re-checks the whole year (or round) as a reader sees it and hides more
    where it must. ``atom_units`` / ``atom_slots`` / ``atom_n``: each atom's unit (tree
    position), its month and release segment, and its answers.
    """
    primaries = primaries + [c.atoms for c in candidates if c.primary]
    wanted = sorted((c for c in candidates if not c.primary),
                    key=lambda c: (-c.n, -len(c.period.parts("month")), c.depth, c.unit))
    atoms = _atom_count(candidates, [p for p, _, _ in published], primaries)
    keys = keys or {"published": [], "hidden": [], "hidden_n": []}
    decisions = suppress_by_subtables(
        tree.parent, atom_units, atom_slots,
        [SubCell(tree.index_of.get(unit_id, -1), p, v, n)
         for (p, v, n), (unit_id, _period) in zip(published, keys["published"], strict=True)],
        primaries,
        [SubCell(c.unit, c.atoms, category_counts(c.values), c.n) for c in wanted])
    earlier_hidden = list(hidden) + [c.atoms for c in candidates if c.primary]
    targets = [p for p in primaries if len(p)]
    if targets:
        primary = [c for c in candidates if c.primary]
        cells = _cells(atoms, tree, published, keys["published"], earlier_hidden,
                       keys["hidden"] + [(c.unit_id, c.period.label) for c in primary],
                       keys["hidden_n"] + [c.n for c in primary], wanted, targets, atom_n)
        earlier = np.r_[np.full(len(published), SHOWN, dtype=np.int8),
                        np.full(len(earlier_hidden), HIDDEN, dtype=np.int8)]
        decisions = _audited(cells, earlier, wanted, decisions)
    shown = {id(c) for c, ok in zip(wanted, decisions, strict=True) if ok}
    session.add(release)
    session.flush()
    rows = []
    for c in candidates:
        hidden = id(c) not in shown
        reason = "primary" if c.primary else ("secondary" if hidden else None)
        rows.append(dict(release_id=release.id, survey_kind=kind, unit_id=c.unit_id,
                         scope="subtree", period=c.period.label, round_id=round_id, n=c.n,
                         hidden=hidden, reason=reason, values=c.values, members=c.members))
        result.hidden += hidden
    if rows:
        session.execute(ReleasedCell.__table__.insert(), rows)
    result.cells += len(rows)


def _cells(atoms: int, tree: UnitTree, published, published_keys, hidden, hidden_keys,
           hidden_n, wanted, targets, atom_n) -> Cells:
    """Every cell of the year (or round) as the audit's reader sees it, in this order: the
    earlier releases' shown cells, the hidden ones (earlier, and this release's primaries),
    then this release's candidates; and the protected groups.

    Sub-cells (:mod:`survey_app.privacy.parts`): a year is made of the unit's quarters, a
    quarter or a tertial of its months, and a month of the unit's children's months. So a
    cell whose parts are shown says nothing more, and the parts of the reader's system stay
    within a month and a branch wherever the cells around are shown.
    """
    keys = [*published_keys, *hidden_keys, *((c.unit_id, c.period.label) for c in wanted)]
    position = {key: i for i, key in enumerate(keys)}
    children = {int(tree.ids[u]): [int(tree.ids[c]) for c in tree.children[u]]
                for u in range(len(tree))}
    subcells = [[position[key] for key in _subkeys(unit, label, children) if key in position]
                for unit, label in keys]
    # A hidden cell's categories are never read (it is a label in the respondent layer only).
    values = [(n, *v) for _, v, n in published] + [(n, 0, 0, 0) for n in hidden_n] + [
        (c.n, *category_counts(c.values)) for c in wanted]
    # The atoms' true answers (their categories are not at hand: NaN).
    truth = np.full((atoms, 4), np.nan)
    known = min(atoms, len(atom_n))
    truth[:known, 0] = np.asarray(atom_n, dtype=float)[:known]
    cells = Cells(atoms, [*(p for p, _, _ in published), *hidden, *(c.atoms for c in wanted)],
                  np.array(values, dtype=np.int64).reshape(len(keys), 4), subcells, targets,
                  truth)
    return cells


def _subkeys(unit: int, label: str, children: dict[int, list[int]]) -> list[tuple[int, str]]:
    """The keys of the sub-cells of cell (``unit``, period ``label``)."""
    period = _period(label)
    if period.granularity == "month":
        return [(child, label) for child in children.get(unit, ())]
    finer = "quarter" if period.granularity == "year" else "month"
    return [(unit, part.label) for part in period.parts(finer)]


def _audited(cells: Cells, earlier: np.ndarray, wanted, decisions) -> list[bool]:
    """``decisions`` with further cells hidden until the exact audit finds no protected cell
    pinned in any layer.

    ``cells`` holds every cell of the year: first the earlier ones, in the states ``earlier``
    gives, then this release's candidates (``wanted``). Every audit works on the parts of the
    reader's system that hold the groups it asks about (:mod:`survey_app.privacy.parts`): the
    answer is the whole system's, at the cost of a part. While something is pinned, one pinned
    group at a time: among the shown cells that meet it (or, if hiding those does not free it,
    those that meet its part; or else all shown cells), a bisection in priority order,
    auditing only the layers where it is pinned, finds the cell
    whose showing pins it, and that cell is hidden. Showing more never un-pins anything, so
    this ends, at worst with this release all hidden, which pins nothing new.

    The same monotonicity makes the audits cheaper without changing any answer: after a cell
    is hidden only the groups and layers pinned before can be pinned again, and the audits of
    one bisection (one :class:`~survey_app.privacy.parts.Trials`) name the audits of readers
    who know less (``inner``) and more (``outer``) than they do, whose implicit equalities
    bound their own (:meth:`~survey_app.privacy.audit.Auditor.check`).
    """
    decisions = list(decisions)
    first = len(earlier)
    targets = cells.targets
    if not targets:
        return decisions
    # meets[i, t]: candidate i holds an atom of group t.
    meets = (incidence([c.atoms for c in wanted], cells.atoms)
             @ incidence(targets, cells.atoms).T).toarray() > 0
    every = list(range(len(targets)))

    split = cells.split(_state(earlier, decisions))
    full, _ = audit_parts(cells, split.state, every, split=split)
    if not full.any():
        return decisions
    # What earlier releases already pin cannot be helped now (the ledger's own releases never
    # leave such a cell; a database from before the audit might): only new pins count.
    before, _ = audit_parts(cells, _state(earlier, [False] * len(wanted)), every)
    found = full & ~before
    while found.any():
        pinned = np.flatnonzero(found.any(axis=0))
        target = int(pinned[0])
        layers = np.flatnonzero(found[:, target]).tolist()
        shown = [i for i, ok in enumerate(decisions) if ok]
        meeting = [i for i in shown if meets[i, target]]

        def trials(cells_list: list[int], target: int = target) -> Trials:
            return Trials(cells, _state(earlier, decisions,
                                        [first + i for i in cells_list]), target)

        def pins(trial: Trials, cells_list: list[int], count: int, inner, outer,
                 target: int = target, layers=layers) -> tuple[bool, AuditResult]:
            result = trial.check([first + i for i in cells_list[:count]], layers, inner=inner,
                                 outer=outer)
            return bool((result.determined[:, 0] & ~before[:, target]).any()), result

        cells_list, trial, low_result, high_result = None, None, None, None
        # The cells to search, nearest first: those that meet the group; then those that meet
        # its part or hold a cell that does (hiding them leaves the part's equations as labels
        # and cuts it from the known cells around it); then every shown cell.
        for step in ("meeting", "part"):
            near = meeting if step == "meeting" else _near(split, cells, first, target, shown)
            if not near or len(near) == len(shown) or (step == "part" and near == meeting):
                continue
            trial = trials(near)
            pinned_without, without = pins(trial, near, 0, [], [])
            if not pinned_without:
                cells_list, low_result = near, without
                break
        if cells_list is None:
            cells_list, trial = shown, trials(shown)
            low_result = trial.check([], layers)
        low, high = 0, len(cells_list)  # showing cells[:low] does not pin it, cells[:high] does
        while high - low > 1:
            middle = (low + high) // 2
            pinned_now, result = pins(trial, cells_list, middle, [low_result],
                                      [high_result] if high_result is not None else [])
            if pinned_now:
                high, high_result = middle, result
            else:
                low, low_result = middle, result
        decisions[cells_list[high - 1]] = False
        # Hiding a cell pins nothing new: only the groups and layers pinned so far are audited.
        # Only the parts that hold a constraint the hidden cell changed (its own, and those
        # of the cells above it) can change; every other part is as it was.
        split = cells.split(_state(earlier, decisions))
        again, audited = audit_parts(cells, split.state,
                                     layers=np.flatnonzero(found.any(axis=1)).tolist(),
                                     hidden=first + cells_list[high - 1], split=split)
        full[:, audited] = again[:, audited]
        found = full & ~before
    return decisions


def _near(split: Split, cells: Cells, first: int, target: int, shown: list[int]) -> list[int]:
    """The shown candidates (positions in ``wanted``, in ``shown``'s order) that meet the part
    holding the target, or that are a sub-cell of a cell meeting it."""
    part = split.part(target)
    meeting = {i for a in part.atoms for i in cells.by_atom[a]}
    near = {i - first for i in meeting | {j for i in meeting for j in cells.subcells[i]}
            if i >= first}
    return [i for i in shown if i in near]


def _state(earlier: np.ndarray, shown: list[bool], open_cells=()) -> np.ndarray:
    """The cells' states (:func:`_cells`' order): the earlier cells' ``earlier``, this
    release's candidates as ``shown`` says, and ``open_cells`` open."""
    result = np.r_[earlier, np.where(np.asarray(shown, dtype=bool), SHOWN, HIDDEN)].astype(
        np.int8)
    result[list(open_cells)] = OPEN
    return result


def _atom_count(candidates, published, primaries) -> int:
    highest = [max(a) for group in ([c.atoms for c in candidates], published, primaries)
               for a in group if a]
    return (max(highest) + 1) if highest else 1


def helsinki_today() -> date:
    """Today in Helsinki (the default ``until``)."""
    return datetime.now(HELSINKI).date()
