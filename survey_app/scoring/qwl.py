"""QWL (quality of working life): a per-person index 0–100 and three factor scores, unit means.

The instrument's items fall in three factors: safety; belonging and competence; goals and
creativity. A *person rule* turns one person's answers into an index and factor scores. The rule
shipped here, `OpenQwlRule`, is **our own open rule**, documented below; it is not a licensed QWL
index and must not be presented as one. A county holding a licence passes its own rule (any
callable matching `PersonRule`) and nothing else changes. Unit scores are means of per-person
values with t-intervals (see `means`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol

import numpy as np

from ._checks import critical_z, masked, optional_float
from .errors import ScoringError
from .means import GroupedMeans, MeanInterval, MomentSums, grouped_mean_from_sums

#: Factor names, in the order of every factor column.
FACTORS = ("safety", "belonging_competence", "goals_creativity")

#: The scale of every per-person index and factor score.
QWL_BOUNDS = (0.0, 100.0)


@dataclass(frozen=True, slots=True)
class QwlInstrument:
    """Items, the factor of each item, the answer scale and the reverse-worded items."""

    items: tuple[str, ...]
    factors: tuple[str, ...]
    scale_min: float
    scale_max: float
    reversed_items: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if len(self.items) != len(self.factors) or len(set(self.items)) != len(self.items):
            raise ScoringError("an instrument needs distinct items, each with one factor")
        unknown = sorted(set(self.factors) - set(FACTORS))
        if unknown:
            raise ScoringError(f"unknown QWL factors {unknown}; use {', '.join(FACTORS)}")
        empty = [f for f in FACTORS if f not in self.factors]
        if empty:
            raise ScoringError(f"every factor needs at least one item; none for {', '.join(empty)}")
        if not self.scale_min < self.scale_max:
            raise ScoringError(
                f"scale_min {self.scale_min} must be below scale_max {self.scale_max}"
            )
        if not set(self.reversed_items) <= set(self.items):
            raise ScoringError("reversed_items must be items of the instrument")

    @property
    def membership(self) -> np.ndarray:
        """(items × 3) 0/1 matrix: item i belongs to factor j."""
        return (np.asarray(self.factors)[:, None] == np.asarray(FACTORS)[None, :]).astype(
            np.float64
        )


class PersonRule(Protocol):
    """Turns answers (persons × items, NaN = not answered) into (index, factors) float arrays.

    index has shape (persons,), factors (persons × 3) in FACTORS order; NaN marks a person or
    factor the rule cannot score. Values should lie in 0–100.
    """

    def __call__(
        self, answers: np.ndarray, instrument: QwlInstrument
    ) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True, slots=True)
class OpenQwlRule:
    """Our own open per-person rule (not a licensed index).

    1. Each answer x on the scale [a, b] becomes 100 (x − a)/(b − a); reverse-worded items
       100 − that.
    2. Factor score = mean of the person's answered items in the factor, if at least
       ⌈min_answered_share × items in the factor⌉ (and at least 1) are answered; else undefined.
    3. Index = mean of the three factor scores (each factor weighs the same whatever its item
       count); undefined unless all three are defined.
    Answers outside [a, b] → ScoringError.
    """

    min_answered_share: float = 0.5

    def __call__(
        self, answers: np.ndarray, instrument: QwlInstrument
    ) -> tuple[np.ndarray, np.ndarray]:
        rescaled = (
            100.0 * (answers - instrument.scale_min) / (instrument.scale_max - instrument.scale_min)
        )
        flip = np.isin(np.asarray(instrument.items), list(instrument.reversed_items))
        rescaled = np.where(flip, 100.0 - rescaled, rescaled)
        answered = np.isfinite(rescaled)
        membership = instrument.membership
        sums = np.where(answered, rescaled, 0.0) @ membership
        counts = answered.astype(np.float64) @ membership
        needed = np.maximum(np.ceil(self.min_answered_share * membership.sum(axis=0) - 1e-9), 1.0)
        scorable = counts >= needed
        factors = np.full(sums.shape, np.nan)
        np.divide(sums, counts, out=factors, where=scorable)
        complete = scorable.all(axis=1)
        index = np.where(complete, np.where(scorable, factors, 0.0).mean(axis=1), np.nan)
        return index, factors


OPEN_QWL_RULE = OpenQwlRule()


@dataclass(frozen=True, slots=True, eq=False)
class PersonScores:
    """Per-person index (persons,) and factor scores (persons × 3), masked where not scorable."""

    index: np.ma.MaskedArray
    factors: np.ma.MaskedArray

    def person(self, i: int) -> dict:
        """Person `i` as {"index": …, "safety": …, …}, None where not scorable."""
        row = {"index": optional_float(self.index[i])}
        row.update({name: optional_float(self.factors[i, j]) for j, name in enumerate(FACTORS)})
        return row


@dataclass(frozen=True, slots=True, eq=False)
class GroupedQwl:
    """QWL per group: `index` and each factor in `factors` (a read-only mapping) as GroupedMeans."""

    keys: np.ndarray
    index: GroupedMeans
    factors: Mapping[str, GroupedMeans] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.keys.shape[0])


@dataclass(frozen=True, slots=True)
class QwlInterval:
    """QWL of one group: the index and each factor as a MeanInterval (t-interval)."""

    index: MeanInterval
    factors: Mapping[str, MeanInterval]


def qwl_person_scores(
    answers, instrument: QwlInstrument, rule: PersonRule = OPEN_QWL_RULE
) -> PersonScores:
    """Per-person QWL index and factor scores from answers (persons × items, or one person's items).

    Missing answers are NaN. The rule (default: our `OpenQwlRule`) defines the scores; its NaN
    become masked entries. Wrong width, or answers off the instrument's scale → ScoringError.
    """
    matrix = _answer_matrix(answers, instrument)
    index, factors = rule(matrix, instrument)
    index, factors = np.asarray(index, dtype=np.float64), np.asarray(factors, dtype=np.float64)
    if index.shape != (matrix.shape[0],) or factors.shape != (matrix.shape[0], len(FACTORS)):
        raise ScoringError("a QWL person rule must return (persons,) and (persons × 3) arrays")
    return PersonScores(masked(index, ~np.isfinite(index)), masked(factors, ~np.isfinite(factors)))


def grouped_qwl(
    keys, answers, instrument: QwlInstrument, confidence=0.95, rule: PersonRule = OPEN_QWL_RULE
) -> GroupedQwl:
    """Unit QWL per sorted distinct integer key: mean of per-person indices with a t-interval.

    Per-person values from `rule`; persons it cannot score are left out of n (a key whose persons
    are all unscorable gets n = 0 and is masked). Factor scores likewise. One bincount per sum;
    intervals as `grouped_mean_from_sums`.
    """
    critical_z(confidence)
    key_array = np.asarray(keys)
    scores = qwl_person_scores(answers, instrument, rule)
    if key_array.shape != scores.index.shape or (
        key_array.size and not np.issubdtype(key_array.dtype, np.integer)
    ):
        raise ScoringError("keys must be integers, one per person (row of answers)")
    distinct, codes = np.unique(key_array, return_inverse=True)
    codes = codes.reshape(-1)
    index_sums = MomentSums.per_code(codes, scores.index.filled(np.nan), distinct.size)
    factor_sums = {
        name: MomentSums.per_code(codes, scores.factors[:, j].filled(np.nan), distinct.size)
        for j, name in enumerate(FACTORS)
    }
    return grouped_qwl_from_sums(index_sums, confidence, factor_sums, keys=distinct)


def grouped_qwl_from_sums(
    index_sums: MomentSums,
    confidence=0.95,
    factor_sums: Mapping[str, MomentSums] | None = None,
    keys=None,
) -> GroupedQwl:
    """Unit QWL from stored sums (n, Σ index, Σ index²) per group, optionally per factor too.

    Mean ± t_{1−α/2, n−1} s/√n per group (see `grouped_mean_from_sums`), limits clipped to 0–100.
    n = 0 → masked; n = 1 → mean without interval.
    """
    index = grouped_mean_from_sums(index_sums, confidence, keys, QWL_BOUNDS)
    factors = {
        name: grouped_mean_from_sums(sums, confidence, keys, QWL_BOUNDS)
        for name, sums in (factor_sums or {}).items()
    }
    return GroupedQwl(index.keys, index, MappingProxyType(factors))


def qwl_interval(
    answers, instrument: QwlInstrument, confidence=0.95, rule: PersonRule = OPEN_QWL_RULE
) -> QwlInterval:
    """QWL of one group of persons (rows of answers): index and factor means with t-intervals."""
    matrix = _answer_matrix(answers, instrument)
    grouped = grouped_qwl(
        np.zeros(matrix.shape[0], dtype=np.int64), matrix, instrument, confidence, rule
    )
    if len(grouped) == 0:
        empty = MeanInterval(None, None, None, 0, None, float(confidence))
        return QwlInterval(empty, MappingProxyType({name: empty for name in FACTORS}))
    return QwlInterval(
        _first(grouped.index), MappingProxyType({k: _first(v) for k, v in grouped.factors.items()})
    )


def _first(means: GroupedMeans) -> MeanInterval:
    """Entry 0 of grouped means as a MeanInterval."""
    return MeanInterval(
        optional_float(means.mean[0]),
        optional_float(means.low[0]),
        optional_float(means.high[0]),
        int(means.n[0]),
        optional_float(means.sd[0]),
        means.confidence,
    )


def _answer_matrix(answers, instrument: QwlInstrument) -> np.ndarray:
    """Answers as a float (persons × items) matrix, checked against the instrument's scale."""
    try:
        matrix = np.atleast_2d(np.asarray(answers, dtype=np.float64))
    except (TypeError, ValueError):
        raise ScoringError("QWL answers must be numbers (NaN for an unanswered item)") from None
    if matrix.ndim != 2 or matrix.shape[1] != len(instrument.items):
        raise ScoringError(
            f"expected {len(instrument.items)} item columns, got shape {matrix.shape}"
        )
    given = matrix[np.isfinite(matrix)]
    if np.isinf(matrix).any() or (
        given.size and (given.min() < instrument.scale_min or given.max() > instrument.scale_max)
    ):
        raise ScoringError(
            f"QWL answers must lie on the scale {instrument.scale_min:g}–{instrument.scale_max:g}"
        )
    return matrix
