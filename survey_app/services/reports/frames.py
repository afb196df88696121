"""A metric's sums and suppression decisions for one report, and its cells and changes.

Scoring is called once per batch of cells (all units × periods of a page at once), never in a
loop per group; the statistics themselves live only in `survey_app.scoring`.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from survey_app.models import SCORE_COLUMNS
from survey_app.periods import Period
from survey_app.privacy import Thresholds
from survey_app.scoring import (
    MomentSums,
    categorise_score_counts,
    excludes_zero,
    fdr_adjusted_level,
    grouped_nps_from_counts,
    grouped_qwl_from_sums,
    nps_differences,
    welch_differences,
)
from survey_app.services.releases.ledger import Ledger

from . import sums as source
from .results import COUNT_METRICS, METRIC_KINDS, Change, Distribution, MetricCell
from .tree import UnitTree

#: False discovery rate for marking changes significant (and for the level of their intervals).
FDR = 0.05
#: Level of the unadjusted intervals kept beside the adjusted ones.
UNADJUSTED = 0.95
_SCORE = slice(0, 11)


@dataclass(slots=True, eq=False)
class Frame:
    """One metric's released cells and who may see which (every value read from the ledger)."""

    metric: str
    tree: UnitTree
    ledger: Ledger
    protection: LedgerProtection

    @property
    def threshold(self) -> int:
        """The k that applies to this metric."""
        return self.protection.threshold

    def subtree_sums(self, units: list[int], periods: list[Period]) -> np.ndarray:
        """``result[i, j, column]``: released sums of unit ``units[i]``'s subtree in
        ``periods[j]`` (zeros where the cell is hidden or not released)."""
        columns = _columns(self.metric)
        result = np.zeros((len(units), len(periods), len(columns)))
        for i, unit in enumerate(units):
            for j, period in enumerate(periods):
                status, values = self.protection.cell(unit, period)
                if status is None:
                    result[i, j] = [values.get(name, 0) for name in columns]
        return result


def _columns(metric: str) -> tuple[str, ...]:
    """The value names a metric reads: 0–10 counts and comments, or n, Σ, Σ² of an index."""
    if metric in COUNT_METRICS:
        return (*SCORE_COLUMNS, "comments")
    return (f"m:{metric}:n", f"m:{metric}:sum", f"m:{metric}:sq")


class LedgerProtection:
    """Whether a reader may see a cell: released and not hidden (decided at publishing)."""

    def __init__(self, tree: UnitTree, ledger: Ledger, kind: str, threshold: int) -> None:
        self.tree, self.ledger, self.kind, self.threshold = tree, ledger, kind, threshold

    def cell(self, unit: int, period: Period) -> tuple[str | None, dict]:
        """Status (None when shown, ``hidden``, ``not_released``) and the released values."""
        unit_id = int(self.tree.ids[unit])
        if self.kind == "resident":
            return self.ledger.resident_cell(unit_id, period)
        return self.ledger.staff_cell(unit_id, period)

    def reason(self, unit: int, period: Period) -> str | None:
        """``hidden``, ``not_released`` or None when shown."""
        return self.cell(unit, period)[0]


class Sources:
    """Loads each table once per report and hands out frames per metric.

    ``units``: the tree indexes the report shows; only their released cells are read.
    """

    def __init__(self, session: Session, tree: UnitTree, periods: list[Period], as_of: date,
                 thresholds: Thresholds, units: Iterable[int]) -> None:
        self.session, self.tree, self.as_of, self.thresholds = session, tree, as_of, thresholds
        self.periods = list(periods)
        self.units = sorted({int(u) for u in units})
        self.months = source.month_range(periods)
        self._cache: dict[str, object] = {}

    def load(self, name: str):
        """One aggregate read (comments only; numbers come from the ledger)."""
        if name not in self._cache:
            self._cache[name] = _shared_read((name, self.months, self.as_of), self.session,
                                             self.tree, lambda: self._read(name))
        return self._cache[name]

    def _read(self, name: str):
        """One read of the aggregate tables."""
        if name == "resident":
            return source.resident_sums(self.session, self.tree, self.months, self.as_of)
        if name == "items":
            return source.item_sums(self.session, self.tree, self.months, self.as_of)
        if name == "rounds":
            return source.closed_rounds(self.session, self.months, self.as_of)
        if name == "staff":
            return source.staff_sums(self.session, self.tree, self.load("rounds"), self.months)
        return source.measure_sums(self.session, self.tree, self.load("rounds"), self.months)

    def frame(self, metric: str) -> Frame:
        """The metric's frame: nps, enps, qwl, or a QWL factor (safety, belonging, goals)."""
        key = f"frame:{metric}"
        if key not in self._cache:
            kind = METRIC_KINDS.get(metric, "pulse")
            protection = LedgerProtection(self.tree, self.ledger(), kind,
                                          self.thresholds.for_kind(kind))
            self._cache[key] = Frame(metric, self.tree, self.ledger(), protection)
        return self._cache[key]

    def ledger(self) -> Ledger:
        """Released cells for the report's periods (read once per report)."""
        if "ledger" not in self._cache:
            self._cache["ledger"] = Ledger(self.session, self.periods,
                                           [int(self.tree.ids[u]) for u in self.units])
        return self._cache["ledger"]


_READS: dict[tuple, tuple[float, object]] = {}
_READS_LOCK = threading.Lock()


def _shared_read(key: tuple, session: Session, tree: UnitTree, read):
    """``read()``, reused for ``REPORTS_CACHE_SECONDS`` (0, the default, turns this off).

    Reports include whole days up to yesterday only, and answers are stored on the day they
    arrive, so the rows a report reads do not change during the day: a short reuse saves the
    database from summing the same rows for every page view. The key holds the database and the
    unit tree, so a new unit or another database never gets old sums.
    """
    seconds = float(current_app.config.get("REPORTS_CACHE_SECONDS", 0)) if has_app_context() \
        else 0.0
    if seconds <= 0:
        return read()
    full_key = (str(session.get_bind().url), tree.ids.tobytes(), tree.parent.tobytes(), *key)
    now = time.monotonic()
    with _READS_LOCK:
        hit = _READS.get(full_key)
        if hit is not None and now - hit[0] < seconds:
            return hit[1]
    value = read()
    with _READS_LOCK:
        for stale in [k for k, (when, _) in _READS.items() if now - when >= seconds]:
            del _READS[stale]
        _READS[full_key] = (now, value)
    return value


def build_cells(frame: Frame, units: list[int], periods: list[Period],
                lang: str) -> dict[tuple[int, str], MetricCell]:
    """MetricCells for every unit × period, keyed (unit index, period label); no changes yet."""
    raw = frame.subtree_sums(units, periods)
    flat = np.rint(raw.reshape(len(units) * len(periods), -1)) if frame.metric in COUNT_METRICS \
        else raw.reshape(len(units) * len(periods), -1)
    keys = [(u, p) for u in units for p in periods]
    if frame.metric in COUNT_METRICS:
        d, m, pr = categorise_score_counts(flat[:, _SCORE])
        scored = grouped_nps_from_counts(d, m, pr)
        n, value, low, high, sd = scored.n, scored.value, scored.low, scored.high, None
        distributions = np.stack([d, m, pr], axis=1).astype(np.int64)
    else:
        scored = grouped_qwl_from_sums(MomentSums(flat[:, 0], flat[:, 1], flat[:, 2])).index
        n, value, low, high, sd = scored.n, scored.mean, scored.low, scored.high, scored.sd
        distributions = None
    cells = {}
    for i, (unit, period) in enumerate(keys):
        ref = frame.tree.units[unit]
        reason = frame.protection.reason(unit, period)
        common = dict(unit_code=ref.code, unit_name=ref.name(lang), metric=frame.metric,
                      period=period.label, threshold=frame.threshold)
        if reason is not None:
            cells[(unit, period.label)] = MetricCell(n=None, value=None, low=None, high=None,
                                                     suppressed=reason, **common)
            continue
        cells[(unit, period.label)] = MetricCell(
            n=int(n[i]), value=_float(value[i]), low=_float(low[i]), high=_float(high[i]),
            suppressed=None, sd=_float(sd[i]) if sd is not None else None,
            distribution=Distribution(*map(int, distributions[i]))
            if distributions is not None else None,
            **common)
    return cells


@dataclass(frozen=True, slots=True)
class Comparison:
    """Compare the cell ``(unit, period)`` with ``(unit, other)``; ``field`` names the change."""

    metric: str
    unit: int
    period: Period
    other: Period
    field: str


def apply_changes(frames: dict[str, Frame], cells: dict[str, dict], comparisons: list[Comparison]
                  ) -> None:
    """Compute every comparison, then show all of them at one FDR-adjusted level and flag a
    change exactly when its shown interval excludes 0 (`survey_app.scoring.fdr`).

    ``cells[metric][(unit, label)]`` is replaced by a copy with ``change_previous`` /
    ``change_year`` set. Pairs where either cell is hidden or empty get no change (None).
    """
    families, results = [], []
    counted, means = [], []
    for metric in sorted({c.metric for c in comparisons}):
        chosen = [c for c in comparisons if c.metric == metric
                  and _comparable(cells[metric], c)]
        if chosen:
            operands = _operands(frames[metric], chosen)
            (counted if metric in COUNT_METRICS else means).append((chosen, operands))
    for group, differ in ((counted, _count_differences), (means, _mean_differences)):
        if group:
            chosen = [c for part, _ in group for c in part]
            a = np.concatenate([ops[0] for _, ops in group])
            b = np.concatenate([ops[1] for _, ops in group])
            families.append((a, b, differ))
            results += list(zip(chosen, differ(a, b, UNADJUSTED), strict=True))
    if not results:
        return
    fdr = fdr_adjusted_level([r["p"] if r["p"] is not None else np.nan for _, r in results], FDR)
    shown = [row for a, b, differ in families
             for row in (differ(a, b, fdr.level) if fdr.level is not None
                         else [None] * a.shape[0])]
    for index, ((comparison, raw), adjusted) in enumerate(zip(results, shown, strict=True)):
        key = (comparison.unit, comparison.period.label)
        low, high = (adjusted["low"], adjusted["high"]) if adjusted and raw["p"] is not None \
            else (None, None)
        flagged = low is not None and high is not None and bool(excludes_zero(low, high))
        change = Change(comparison.other.label, raw["delta"], low, high, raw["p"],
                        _float(fdr.discovery.adjusted[index]), flagged,
                        fdr.level if low is not None else None, raw["low"], raw["high"])
        cells[comparison.metric][key] = replace(cells[comparison.metric][key],
                                                **{comparison.field: change})


def _comparable(metric_cells: dict, comparison: Comparison) -> bool:
    """Both cells exist, are shown and have answers."""
    a = metric_cells.get((comparison.unit, comparison.period.label))
    b = metric_cells.get((comparison.unit, comparison.other.label))
    return bool(a and b and a.shown and b.shown and a.n and b.n)


def _operands(frame: Frame, comparisons: list[Comparison]) -> tuple[np.ndarray, np.ndarray]:
    """Subtree sums of both sides of every comparison (one roll-up for all of them)."""
    units = sorted({c.unit for c in comparisons})
    periods = sorted({c.period for c in comparisons} | {c.other for c in comparisons})
    table = frame.subtree_sums(units, periods)
    row, column = {u: i for i, u in enumerate(units)}, {p: j for j, p in enumerate(periods)}
    a = np.array([table[row[c.unit], column[c.period]] for c in comparisons])
    b = np.array([table[row[c.unit], column[c.other]] for c in comparisons])
    return a, b


def _count_differences(a: np.ndarray, b: np.ndarray, confidence: float) -> list[dict]:
    """Newcombe differences of NPS/eNPS for all count comparisons of a report at once (p-values
    only at the unadjusted level: they do not depend on it, and they are the costly part)."""
    triples = [np.stack(categorise_score_counts(np.rint(x[:, _SCORE])), axis=1) for x in (a, b)]
    with_p = confidence == UNADJUSTED
    return _memoised(f"newcombe:{confidence!r}", triples,
                     lambda: nps_differences(*triples, confidence, p_values=with_p))


def _mean_differences(a: np.ndarray, b: np.ndarray, confidence: float) -> list[dict]:
    """Welch differences of QWL means from n, Σ, Σ²."""
    return _memoised(f"welch:{confidence!r}", [a, b], lambda: welch_differences(
        MomentSums(a[:, 0], a[:, 1], a[:, 2]), MomentSums(b[:, 0], b[:, 1], b[:, 2]),
        confidence))


_DIFFERENCES: OrderedDict[bytes, list[dict]] = OrderedDict()
_DIFFERENCES_LOCK = threading.Lock()


def _memoised(method: str, arrays: list[np.ndarray], compute) -> list[dict]:
    """Differences are pure functions of the counts: reuse them for identical inputs.

    The Newcombe p-value is found by bisection, which costs tens of milliseconds per call.
    """
    digest = hashlib.blake2b(method.encode(), digest_size=20)
    for array in arrays:
        digest.update(np.ascontiguousarray(array, dtype=np.float64).tobytes())
        digest.update(b"|")
    key = digest.digest()
    with _DIFFERENCES_LOCK:
        if key in _DIFFERENCES:
            _DIFFERENCES.move_to_end(key)
            return _DIFFERENCES[key]
    result = compute()
    rows = [{"delta": _float(result.delta[i]), "low": _float(result.low[i]),
             "high": _float(result.high[i]), "p": _float(result.p[i])}
            for i in range(len(result))]
    with _DIFFERENCES_LOCK:
        _DIFFERENCES[key] = rows
        while len(_DIFFERENCES) > 256:
            _DIFFERENCES.popitem(last=False)
    return rows


def _float(value) -> float | None:
    """A plain float, or None for masked / non-finite values."""
    if value is None or value is np.ma.masked:
        return None
    number = float(value)
    return number if np.isfinite(number) else None
