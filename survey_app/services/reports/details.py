"""The unit page's details: statements, QWL factors and channel mix."""

from __future__ import annotations

import numpy as np

from survey_app.instruments import InstrumentError, latest
from survey_app.periods import Period
from survey_app.scoring import MomentSums, grouped_qwl_from_sums
from survey_app.scoring.proportions import grouped_wilson

from .frames import Sources
from .results import ChannelShare, FactorCell, StatementCell

QWL_FACTORS = ("safety", "belonging", "goals")


def statements_of(sources: Sources, index, period, lang) -> tuple[StatementCell, ...]:
    """Core statements as % agreeing with Wilson intervals, from the unit's released cell.

    A statement's answers are counts inside the resident cell (unit, period), so they are shown
    exactly when that cell is: the whole-system check at publishing covers them too.
    """
    status, values = sources.ledger().resident_cell(int(sources.tree.ids[index]), period)
    counts: dict[str, dict[int, int]] = {}
    for name, count in values.items():
        if name.startswith("item:"):
            item, _, value = name[5:].rpartition(":")
            counts.setdefault(item, {})[int(value)] = int(count)
    if status is not None or not counts:
        return ()
    try:
        instrument = latest("resident")
        texts = {item.id: instrument.item_text(item, lang) for item in instrument.items}
        agree_from = int(instrument.data["scale"].get("agree_from", 4))
        order = [item.id for item in instrument.items]
    except InstrumentError:
        texts, agree_from, order = {}, 4, []
    items = [i for i in order if i in counts] + sorted(set(counts) - set(order))
    n = np.array([sum(c for v, c in counts[i].items() if v >= 1) for i in items])
    agree = np.array([sum(c for v, c in counts[i].items() if v >= agree_from) for i in items])
    shares = grouped_wilson(agree, n)
    k = sources.thresholds.resident
    return tuple(StatementCell(item, texts.get(item, item), int(n[j]), int(agree[j]),
                               _opt(shares.value[j]), _opt(shares.low[j]), _opt(shares.high[j]),
                               None, k)
                 for j, item in enumerate(items))


def factors_of(sources: Sources, index, period, lang) -> tuple[FactorCell, ...]:
    """QWL factor means with t-intervals; each factor protected like a metric (own n)."""
    frames = [sources.frame(factor) for factor in QWL_FACTORS]
    rows = np.stack([frame.subtree_sums([index], [period])[0, 0] for frame in frames])
    scored = grouped_qwl_from_sums(MomentSums(rows[:, 0], rows[:, 1], rows[:, 2])).index
    try:
        names = latest("pulse").data.get("factors", {})
    except InstrumentError:
        names = {}
    result = []
    for j, frame in enumerate(frames):
        name = names.get(frame.metric, {}).get(lang) or frame.metric
        reason = frame.protection.reason(index, period)
        if reason is not None:
            result.append(FactorCell(frame.metric, name, None, None, None, None, reason,
                                     frame.threshold))
        else:
            result.append(FactorCell(frame.metric, name, int(scored.n[j]), _opt(scored.mean[j]),
                                     _opt(scored.low[j]), _opt(scored.high[j]), None,
                                     frame.threshold))
    return tuple(result)


def channels_of(sources: Sources, index: int, period: Period) -> tuple[ChannelShare, ...]:
    """Resident answers per channel from the unit's released cell, largest first."""
    status, values = sources.ledger().resident_cell(int(sources.tree.ids[index]), period)
    if status is not None:
        return ()
    counts = {name[8:]: int(n) for name, n in values.items()
              if name.startswith("channel:") and n}
    total = sum(counts.values()) or 1
    return tuple(ChannelShare(channel, n, 100.0 * n / total)
                 for channel, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _opt(value) -> float | None:
    """A plain float, or None for masked / non-finite values."""
    if value is np.ma.masked or value is None:
        return None
    number = float(value)
    return number if np.isfinite(number) else None
