"""Score a CSV export from any system: validate every row, then hand whole arrays to `scoring`.

Columns (header row, names case-insensitive, comma- or semicolon-separated, UTF-8 with or without
BOM; other columns are ignored):

- ``unit``: the unit's code or name (needed when grouping by unit);
- ``period``: a period label (``2026-03``, ``2026-Q1``, ``2026-T1``, ``2026``), a date
  (``2026-03-14``) or an ISO timestamp (taken to its Helsinki day). Dates are bucketed to months
  unless a granularity is given; labels are rolled up to a coarser granularity when they nest
  (months into quarters, tertials or years; quarters and tertials into years);
- nps / enps: ``score``, a whole number 0–10; an empty cell is a "don't know" and is left out;
- qwl: one column per item, named by its factor: ``safety…``, ``belonging…`` or ``goals…``
  (e.g. ``safety_1``, ``belonging_competence_2``, ``goals_3``); answers on the given scale,
  an empty cell is an unanswered item. Scored with our open rule (`OpenQwlRule`).

Nothing is scored unless every row is valid: all problems are collected and raised together.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np

from survey_app.periods import (
    MONTHS_PER_PERIOD,
    Period,
    PeriodError,
    helsinki_day,
    parse_period,
    period_of,
)
from survey_app.scoring import DEFAULT_METHOD, FACTORS, QwlInstrument, grouped_nps, grouped_qwl

KINDS = ("nps", "enps", "qwl")
GROUPINGS = ("unit", "period")
#: Column-name prefix → QWL factor.
FACTOR_PREFIXES = {
    "safety": "safety",
    "belonging": "belonging_competence",
    "goals": "goals_creativity",
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ].*)?")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One reason a line of the file cannot be scored."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class ScoreFileError(ValueError):
    """The file cannot be scored; `problems` lists every bad line and why."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True, slots=True)
class ScoreTable:
    """The scored groups as plain rows (dicts with the keys of `columns`, None where undefined)."""

    kind: str
    columns: tuple[str, ...]
    rows: list[dict]
    confidence: float
    method: str


@dataclass(frozen=True, slots=True)
class _Parsed:
    """Validated columns of the file."""

    units: list[str]
    periods: list[Period | None]
    values: np.ndarray


def score_file(path: str | Path, kind: str, **options) -> ScoreTable:
    """Read and score the CSV file at `path`; see `score_lines` for the options."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return score_lines(handle, kind, **options)


def score_lines(
    lines: Iterable[str],
    kind: str,
    by: Sequence[str] = GROUPINGS,
    confidence: float = 0.95,
    method: str = DEFAULT_METHOD,
    granularity: str | None = None,
    scale: tuple[float, float] = (1.0, 5.0),
) -> ScoreTable:
    """Score CSV lines as `kind` (nps, enps or qwl) grouped `by` unit and/or period.

    Raises ScoreFileError listing every bad line; `scoring.ScoringError` for a bad confidence,
    method or scale.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    unknown = [name for name in by if name not in GROUPINGS]
    if unknown:
        raise ValueError(f"cannot group by {', '.join(unknown)}; use unit and/or period")
    text = lines if isinstance(lines, str) else "".join(lines)
    parsed, instrument = _parse(text, kind, tuple(by), granularity, scale)
    return _score(parsed, kind, tuple(by), confidence, method, instrument)


def _parse(text, kind, by, granularity, scale) -> tuple[_Parsed, QwlInstrument | None]:
    """Every row validated into columns, or ScoreFileError with every problem."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    instrument, header_problems = _check_header(header, kind, by, scale)
    if header_problems:
        raise ScoreFileError(header_problems)
    problems: list[RowProblem] = []
    units, periods, values = [], [], []
    for fields in reader:
        line = reader.line_num
        if not any(field.strip() for field in fields):
            continue
        row_problems = _check_row(fields, header, kind, by, granularity, scale, line)
        if row_problems:
            problems += row_problems
            continue
        record = dict(zip(header, (field.strip() for field in fields), strict=True))
        units.append(record["unit"] if "unit" in by else "")
        periods.append(_read_period(record["period"], granularity) if "period" in by else None)
        values.append(_read_values(record, kind, header))
    problems += _mixed_periods(periods, granularity)
    if problems:
        raise ScoreFileError(sorted(problems, key=lambda problem: problem.line))
    width = len(instrument.items) if instrument else 1
    array = np.array(values, dtype=np.float64).reshape(len(values), width)
    return _Parsed(units, periods, array), instrument


def _check_header(header, kind, by, scale) -> tuple[QwlInstrument | None, list[RowProblem]]:
    """The QWL instrument the header describes, and any missing or duplicate columns."""
    problems = []
    if not header or header == [""]:
        return None, [RowProblem(1, "the file is empty: expected a header row")]
    needed = [name for name in by] + (["score"] if kind != "qwl" else [])
    missing = [name for name in needed if name not in header]
    if missing:
        problems.append(RowProblem(1, f"missing column(s) {', '.join(missing)} in the header"))
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        problems.append(RowProblem(1, f"repeated column(s) {', '.join(duplicates)} in the header"))
    if kind != "qwl":
        return None, problems
    items = [name for name in header if _factor(name)]
    factors = [_factor(name) for name in items]
    absent = [f for f in FACTORS if f not in factors]
    if absent:
        problems.append(
            RowProblem(
                1,
                "no item column for factor(s) "
                + ", ".join(absent)
                + " (name items safety_…, belonging_…, goals_…)",
            )
        )
        return None, problems
    low, high = scale
    if not low < high:
        problems.append(RowProblem(1, f"the answer scale {low:g}–{high:g} is empty"))
        return None, problems
    return QwlInstrument(tuple(items), tuple(factors), low, high), problems


def _factor(column: str) -> str | None:
    """The QWL factor a column belongs to by its name, or None."""
    return next(
        (factor for prefix, factor in FACTOR_PREFIXES.items() if column.startswith(prefix)), None
    )


def _check_row(fields, header, kind, by, granularity, scale, line) -> list[RowProblem]:
    """Every problem of one data row."""
    if len(fields) != len(header):
        return [RowProblem(line, f"expected {len(header)} fields, found {len(fields)}")]
    record = dict(zip(header, (field.strip() for field in fields), strict=True))
    problems = []
    if "unit" in by and not record["unit"]:
        problems.append(RowProblem(line, "the unit is empty"))
    if "period" in by:
        try:
            _read_period(record["period"], granularity)
        except PeriodError as error:
            problems.append(RowProblem(line, str(error)))
    if kind == "qwl":
        problems += [RowProblem(line, reason) for reason in _check_items(record, header, scale)]
    elif record["score"] and not re.fullmatch(r"(10|[0-9])", record["score"]):
        problems.append(
            RowProblem(line, f"score {record['score']!r} is not a whole number from 0 to 10")
        )
    return problems


def _check_items(record, header, scale) -> list[str]:
    """Reasons the QWL item answers of a row are unusable."""
    reasons = []
    for name in header:
        if _factor(name) and record[name]:
            number = _number(record[name])
            if number is None or not scale[0] <= number <= scale[1]:
                reasons.append(
                    f"{name} {record[name]!r} is not an answer from {scale[0]:g} to {scale[1]:g}"
                )
    return reasons


def _number(text: str) -> float | None:
    """A finite number from text (decimal comma allowed), or None."""
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def _read_period(text: str, granularity: str | None) -> Period:
    """The period of a label, date or timestamp, bucketed or rolled up to `granularity`."""
    if _DATE.fullmatch(text):
        return period_of(_read_day(text), granularity or "month")
    period = parse_period(text)
    if granularity is None or granularity == period.granularity:
        return period
    if MONTHS_PER_PERIOD[granularity] % MONTHS_PER_PERIOD[period.granularity]:
        raise PeriodError(f"period {period} does not fit in a single {granularity}")
    return period_of(period.start, granularity)


def _read_day(text: str) -> date:
    """A calendar day from an ISO date or an ISO timestamp (taken to Helsinki)."""
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return helsinki_day(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        raise PeriodError(f"{text!r} is not a date or timestamp") from None


def _read_values(record, kind, header) -> list[float]:
    """The row's numbers: [score] (NaN for don't know) or the item answers (NaN unanswered)."""
    if kind != "qwl":
        return [float(record["score"]) if record["score"] else np.nan]
    return [_number(record[name]) if record[name] else np.nan for name in header if _factor(name)]


def _mixed_periods(periods: list[Period | None], granularity: str | None) -> list[RowProblem]:
    """Without a granularity, every period must be of one kind (all months, all quarters, …)."""
    kinds = {p.granularity for p in periods if p is not None}
    if granularity or len(kinds) < 2:
        return []
    return [
        RowProblem(
            1,
            f"the file mixes periods of kinds {', '.join(sorted(kinds))}; "
            "pass a period granularity to bucket them",
        )
    ]


def _score(parsed: _Parsed, kind, by, confidence, method, instrument) -> ScoreTable:
    """Group codes from unit × period, one scoring call, plain rows."""
    unit_names, unit_codes = np.unique(np.array(parsed.units, dtype=str), return_inverse=True)
    ordinals = np.array([p.ordinal if p else 0 for p in parsed.periods], dtype=np.int64)
    period_ordinals, period_codes = np.unique(ordinals, return_inverse=True)
    width = max(period_ordinals.size, 1)
    keys = unit_codes.reshape(-1).astype(np.int64) * width + period_codes.reshape(-1)
    labels = {o: p.label for o, p in zip(ordinals.tolist(), parsed.periods, strict=True) if p}
    label_of = {
        "unit": lambda key: str(unit_names[key // width]),
        "period": lambda key: labels.get(int(period_ordinals[key % width])),
    }
    if kind == "qwl":
        return _qwl_table(keys, parsed.values, instrument, by, label_of, confidence)
    answered = np.isfinite(parsed.values[:, 0])
    result = grouped_nps(
        keys[answered], parsed.values[answered, 0].astype(np.int8), confidence, method
    )
    columns = (*by, "n", "detractors", "passives", "promoters", kind, "low", "high")
    rows = [
        {
            **{name: label_of[name](row["key"]) for name in by},
            **{c: row[c] for c in ("n", "detractors", "passives", "promoters")},
            kind: row["value"],
            "low": row["low"],
            "high": row["high"],
        }
        for row in result.rows()
    ]
    return ScoreTable(kind, columns, rows, float(confidence), method)


def _qwl_table(keys, answers, instrument, by, label_of, confidence) -> ScoreTable:
    """Rows of unit QWL (index mean with t-interval) and factor means."""
    result = grouped_qwl(keys, answers, instrument, confidence)
    columns = (*by, "n", "qwl", "low", "high", *FACTORS)
    factor_means = {name: result.factors[name].mean.tolist() for name in FACTORS}
    rows = []
    for i, row in enumerate(result.index.rows()):
        rows.append(
            {
                **{name: label_of[name](row["key"]) for name in by},
                "n": row["n"],
                "qwl": row["mean"],
                "low": row["low"],
                "high": row["high"],
                **{name: factor_means[name][i] for name in FACTORS},
            }
        )
    return ScoreTable("qwl", columns, rows, float(confidence), "t")
