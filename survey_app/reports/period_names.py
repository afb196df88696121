"""Periods in words for the report pages ("T2 2026: May–August") and the grouped chooser.

Month names come from Babel's stand-alone forms in the page's locale, so Finnish reads
"T2 2026: toukokuu–elokuu" and Swedish "T2 2026: maj–augusti".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel.dates import get_month_names
from flask_babel import get_locale, gettext

from survey_app.periods import Period, PeriodError, parse_period
from survey_app.services.reports.periods import CHOOSER_ORDER, PeriodOption


def _month(number: int) -> str:
    """The month's stand-alone name in the page's locale ("May", "toukokuu", "maj")."""
    return _month_names(str(get_locale()))[number]


@cache
def _month_names(locale: str) -> dict[int, str]:
    """Babel's stand-alone month names of a locale (looked up once per process)."""
    return dict(get_month_names("wide", context="stand-alone", locale=locale))


def _as_period(period: Period | str) -> Period | None:
    if isinstance(period, Period):
        return period
    try:
        return parse_period(str(period))
    except PeriodError:
        return None


def short_name(period: Period | str) -> str:
    """A short name for sentences: "T1 2026", "Q1 2026", "March 2026" or "2026"."""
    found = _as_period(period)
    if found is None:
        return str(period)
    if found.granularity == "tertial":
        return gettext("T%(index)s %(year)s", index=found.index, year=found.year)
    if found.granularity == "quarter":
        return gettext("Q%(index)s %(year)s", index=found.index, year=found.year)
    if found.granularity == "month":
        return gettext("%(month)s %(year)s", month=_month(found.index), year=found.year)
    return str(found.year)


def long_name(period: Period | str) -> str:
    """The period in words: "T2 2026: May–August", "Q3 2026: July–September", "August 2026"."""
    found = _as_period(period)
    if found is None:
        return str(period)
    if found.granularity in ("tertial", "quarter"):
        last = found.end.month - 1 or 12
        return gettext("%(short)s: %(first)s–%(last)s", short=short_name(found),
                       first=_month(found.start.month), last=_month(last))
    if found.granularity == "year":
        return gettext("%(year)s: whole year", year=found.year)
    return short_name(found)


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of the period chooser."""

    label: str
    text: str
    selected: bool


def chooser_groups(options: list[PeriodOption], chosen: str) -> list[tuple[int, list[Choice]]]:
    """Options grouped by year (newest first); in a year tertials, quarters, months, the year.

    The running period is named incomplete. A chosen period without data is still listed (in
    its year), so the chooser always shows what the page shows.
    """
    labels = {o.period.label for o in options}
    chosen_period = _as_period(chosen)
    if chosen_period is not None and chosen_period.label not in labels:
        options = [*options, PeriodOption(chosen_period, True)]
    chosen_label = chosen_period.label if chosen_period is not None else chosen
    years: dict[int, list[PeriodOption]] = {}
    for option in options:
        years.setdefault(option.period.year, []).append(option)
    groups = []
    for year in sorted(years, reverse=True):
        ordered = sorted(years[year], key=lambda o: (CHOOSER_ORDER.index(o.period.granularity),
                                                     -o.period.index))
        groups.append((year, [Choice(o.period.label, _option_text(o),
                                     o.period.label == chosen_label) for o in ordered]))
    return groups


def _option_text(option: PeriodOption) -> str:
    name = long_name(option.period)
    return name if option.complete else gettext("%(name)s (incomplete)", name=name)
