"""`survey-app score {nps,enps,qwl} FILE.csv`: score an export from any system.

The command only reads options, calls `services.score_file` and prints; the statistics live in
`survey_app.scoring`. Nothing reaches stdout unless the whole file was valid.
"""

from __future__ import annotations

import csv
import io
import json

import click

from survey_app.periods import GRANULARITIES
from survey_app.scoring import DEFAULT_METHOD, METHODS, ScoringError
from survey_app.services.score_file import GROUPINGS, KINDS, ScoreFileError, ScoreTable, score_file

FORMATS = ("table", "csv", "json")


@click.command("score")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=False))
@click.option(
    "--by",
    default="unit,period",
    show_default=True,
    help="Group by unit, period, both (unit,period) or nothing ('' for one total).",
)
@click.option(
    "--confidence",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.95,
    show_default=True,
    help="Confidence level of the intervals.",
)
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default=DEFAULT_METHOD,
    show_default=True,
    help="NPS/eNPS interval: Tango score with continuity correction (score-cc, recommended), "
    "plain Tango score, adjusted Wald or plain Wald.",
)
@click.option(
    "--period",
    "granularity",
    type=click.Choice(GRANULARITIES),
    default=None,
    help="Bucket dates (default month) and roll period labels up to this granularity.",
)
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True
)
@click.option(
    "--scale",
    default="1-5",
    show_default=True,
    metavar="MIN-MAX",
    help="QWL answer scale of the item columns.",
)
def score_command(kind, file, by, confidence, method, granularity, output_format, scale):
    """Score a CSV export as NPS, eNPS or QWL with confidence intervals.

    Columns: unit, period (2026-03, 2026-Q1, 2026-T1, 2026 or a date), and score (0-10; empty =
    don't know) for nps/enps, or item columns named safety_*, belonging_*, goals_* for qwl.
    """
    grouping = _grouping(by)
    try:
        table = score_file(
            file,
            kind,
            by=grouping,
            confidence=confidence,
            method=method,
            granularity=granularity,
            scale=_scale(scale),
        )
    except ScoreFileError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(error.problems)} problem(s); nothing was scored.", err=True)
        raise click.exceptions.Exit(1) from None
    except (ScoringError, UnicodeDecodeError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(_render(table, output_format), nl=False)


def _grouping(by: str) -> tuple[str, ...]:
    """('unit', 'period') from 'unit,period'; a usage error for anything else."""
    names = tuple(name.strip().lower() for name in by.split(",") if name.strip())
    wrong = [name for name in names if name not in GROUPINGS]
    if wrong or len(set(names)) != len(names):
        raise click.BadParameter(
            "use unit, period, unit,period or '' (one total)", param_hint="--by"
        )
    return names


def _scale(text: str) -> tuple[float, float]:
    """(low, high) from 'low-high'."""
    try:
        low, high = (float(part) for part in text.split("-", 1))
    except ValueError:
        raise click.BadParameter(
            "write the scale as MIN-MAX, e.g. 1-5", param_hint="--scale"
        ) from None
    if not low < high:
        raise click.BadParameter("the scale's MIN must be below its MAX", param_hint="--scale")
    return low, high


def _render(table: ScoreTable, output_format: str) -> str:
    """The table as aligned text, CSV or JSON (numbers rounded to 2 decimals, None empty/null)."""
    rows = [{name: _rounded(row[name]) for name in table.columns} for row in table.rows]
    if output_format == "json":
        document = {
            "kind": table.kind,
            "confidence": table.confidence,
            "method": table.method,
            "rows": rows,
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=table.columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
        return buffer.getvalue()
    return _aligned(table.columns, rows)


def _rounded(value):
    """Floats to 2 decimals; everything else unchanged."""
    return round(value, 2) if isinstance(value, float) else value


def _aligned(columns, rows) -> str:
    """A plain-text table: text left-aligned, numbers right-aligned, '-' for undefined."""
    cells = [[_cell(row[name]) for name in columns] for row in rows]
    widths = [max([len(name)] + [len(line[i]) for line in cells]) for i, name in enumerate(columns)]
    numeric = [all(isinstance(row[name], int | float | None) for row in rows) for name in columns]

    def fmt(values):
        return "  ".join(
            v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([fmt(columns)] + [fmt(line) for line in cells]) + "\n"


def _cell(value) -> str:
    """One table cell."""
    if value is None:
        return "-"
    return f"{value:.1f}" if isinstance(value, float) else str(value)
