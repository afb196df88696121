"""The unit page's details: statements, QWL factors and channel mix."""

from __future__ import annotations

import numpy as np

from survey_app.instruments import InstrumentError, latest
from survey_app.periods import Period
from survey_app.scoring import MomentSums, grouped_qwl_from_sums
from survey_app.scoring.proportions import grouped_wilson

from . import sums as source
from .frames import Sources
from .protection import protect
from .results import ChannelShare, FactorCell, StatementCell

QWL_FACTORS = ("safety", "belonging", "goals")


def statements_of(sources: Sources, index, period, lang) -> tuple[StatementCell, ...]:
    """Core statements as % agreeing with Wilson intervals; hidden cells carry the reason.

    Each statement is its own n definition (answers other than "cannot say"), protected like a
    metric over the whole tree and every period, so that a statement hidden in one unit cannot
    be worked out as its parent minus the siblings.
    """
    counts = source.statement_counts(sources.session, sources.tree.units[index], period,
                                     sources.as_of)
    if not counts:
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
    result = []
    for j, item in enumerate(items):
        text = texts.get(item, item)
        reason = _statement_reason(sources, item, index, period)
        if reason is not None:
            result.append(StatementCell(item, text, None, None, None, None, None, reason, k))
        else:
            result.append(StatementCell(item, text, int(n[j]), int(agree[j]),
                                        _opt(shares.value[j]), _opt(shares.low[j]),
                                        _opt(shares.high[j]), None, k))
    return tuple(result)


def _statement_reason(sources: Sources, item: str, index: int, period: Period) -> str | None:
    """Why the unit's cell of the statement is hidden, or None when it is shown."""
    sums = sources.load("items").get(item)
    if sums is None:  # only "cannot say" answers: n = 0 in every cell, which is always shown
        return None
    protection = protect(sources.tree, sums.data[:, :, 0], sources.months[0],
                         sources.thresholds.resident)
    return protection.reason(index, period)


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


def channels_of(session, tree, index, period, as_of) -> tuple[ChannelShare, ...]:
    """Resident answers per channel, largest first."""
    counts = source.channel_counts(session, tree.units[index], period, as_of)
    total = sum(counts.values()) or 1
    return tuple(ChannelShare(channel, n, 100.0 * n / total)
                 for channel, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _opt(value) -> float | None:
    """A plain float, or None for masked / non-finite values."""
    if value is np.ma.masked or value is None:
        return None
    number = float(value)
    return number if np.isfinite(number) else None
