"""One reader's view of the service, collected through its real HTTP paths.

After every publish the reader reads the unit tree and the pulse rounds (``/api/v1/units``,
``/api/v1/rounds``), the newly released resident cells of every unit (``/api/v1/scores``, NPS
with the category counts), the staff sums that new rounds changed (eNPS), the public
service-area pages, and, when asked, the CSV unit table of the reports. Each number becomes a
:class:`~tests.attack.solver.Fact` over atoms: one unit's own resident answers in one month
(split at the releases that include the month, so answers arriving after a release are atoms of
their own), or one unit's answers in one pulse round. A cell's atoms follow the tree as it stood
when the cell was released, which the reader knows because it read the tree right then.

A released cell never changes; the reader notes every cell it sees twice whose status or numbers
differ (``Reader.changed``). Calendar and schedule are the README's, written out here again so
that nothing is shared with the code under attack.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from tests.attack.solver import Fact, hidden_fact, resident_atom, shown_facts, staff_atom

#: Months of each quarter, tertial and the year (1-based).
GROUPS = {**{f"Q{q}": tuple(range(3 * q - 2, 3 * q + 1)) for q in range(1, 5)},
          **{f"T{t}": tuple(range(4 * t - 3, 4 * t + 1)) for t in range(1, 4)}}
HIDDEN_TEXT = "Hidden so that a small group cannot be worked out"
NOT_RELEASED_TEXT = "Not released yet"
NO_ANSWERS_TEXT = "No answers in this period."


# Calendar and the release schedule ---------------------------------------------------------


@cache
def period_months(label: str) -> tuple[str, ...]:
    """Month labels of a period label: ``2026-03``, ``2026-Q1``, ``2026-T2`` or ``2026``."""
    year, _, part = label.partition("-")
    if not part:
        months = tuple(range(1, 13))
    elif part[0] in "QT":
        months = GROUPS[part]
    else:
        months = (int(part),)
    return tuple(f"{year}-{m:02d}" for m in months)


def released_periods(year: int, month: int) -> dict[str, tuple[str, ...]]:
    """The month and each quarter, tertial and year that it completes, with their months."""
    labels = [f"{year}-{month:02d}"]
    labels += [f"{year}-{name}" for name, months in GROUPS.items() if months[-1] == month]
    labels += [str(year)] if month == 12 else []
    return {label: period_months(label) for label in labels}


def every_period(year: int) -> dict[str, tuple[str, ...]]:
    """Every month, quarter, tertial and the year, with their months."""
    labels = [f"{year}-{m:02d}" for m in range(1, 13)] + [f"{year}-{g}" for g in GROUPS]
    return {label: period_months(label) for label in [*labels, str(year)]}


@dataclass(frozen=True, slots=True)
class Schedule:
    """When each period was released: ``publish_of(label)`` is the publish that released it.

    ``monthly``: publish ``p`` releases month ``p + 1`` of ``year`` and what that month
    completes (the nightly rule), for ``horizon`` publishes; otherwise everything was released
    by publish 0 at once.
    """

    year: int
    horizon: int
    monthly: bool = True

    def publish_of(self, label: str) -> int:
        """The publish that released a resident period (0 for a one-shot release)."""
        if not self.monthly:
            return 0
        last = period_months(label)[-1]
        return (int(last[:4]) - self.year) * 12 + int(last[5:]) - 1

    def cutoffs(self, month: str) -> tuple[int, ...]:
        """The publishes that released a period containing ``month``, in order."""
        return _cutoffs(self, month)

    def segments(self, month: str, publish: int) -> list[int]:
        """Segments of ``month``'s answers inside a cell released at ``publish``."""
        return [s for s, mark in enumerate(self.cutoffs(month)) if mark <= publish]

    def segment(self, month: str, arrival: int) -> int | None:
        """Segment of answers that arrived before publish ``arrival`` (None: never released)."""
        for s, mark in enumerate(self.cutoffs(month)):
            if arrival <= mark:
                return s
        return None


@cache
def _cutoffs(schedule: Schedule, month: str) -> tuple[int, ...]:
    if not schedule.monthly:
        return (0,)
    marks = {schedule.publish_of(label) for label in every_period(int(month[:4]))
             if month in period_months(label)}
    return tuple(sorted(p for p in marks if p < schedule.horizon))


def subtree(parents: dict[str, str | None], code: str) -> set[str]:
    """Codes of ``code`` and everything below it under ``parents``."""
    children: dict[str | None, list[str]] = {}
    for unit, parent in parents.items():
        children.setdefault(parent, []).append(unit)
    found, stack = set(), [code]
    while stack:
        unit = stack.pop()
        found.add(unit)
        stack += children.get(unit, [])
    return found


# Reading -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Cell:
    """A cell as one output showed it: ``status`` shown/hidden, and (n, d, pa, pr) if shown."""

    status: str
    numbers: tuple[int, int, int, int] | None


@dataclass(slots=True)
class Reader:
    """Everything one reader with an HR API token sees, as facts over atoms."""

    client: object
    token: str
    schedule: Schedule
    trees: dict[int, dict[str, str | None]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    rounds: dict[str, tuple[str, date]] = field(default_factory=dict)
    round_release: dict[str, int] = field(default_factory=dict)
    seen: dict[tuple, Cell] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    # HTTP ----------------------------------------------------------------------------------

    def get_json(self, url: str) -> dict:
        """One API GET with the bearer token; fails the test on anything but 200."""
        response = self.client.get(url, headers={"Authorization": f"Bearer {self.token}"})
        assert response.status_code == 200, (url, response.status_code, response.get_data())
        return response.get_json()

    def _pages(self, path: str) -> list[dict]:
        items, page = [], 1
        while True:
            body = self.get_json(f"{path}?per_page=200&page={page}")
            items += body["items"]
            if body["next"] is None:
                return items
            page += 1

    def read_tree(self, publish: int, until: date) -> None:
        """The unit tree and the released rounds as they stand right after ``publish``."""
        units = self._pages("/api/v1/units")
        self.trees[publish] = {u["code"]: u["parent"] for u in units}
        self.kinds.update({u["code"]: u["kind"] for u in units})
        self.names.update({u["names"]["en"]: u["code"] for u in units})
        for r in self._pages("/api/v1/rounds"):
            closes = date.fromisoformat(r["closes_on"]) if r["closes_on"] else None
            if closes is not None and closes < until:
                self.rounds[r["code"]] = (r["unit"], closes)
                self.round_release.setdefault(r["code"], publish)

    def tree(self, publish: int) -> dict[str, str | None]:
        """The tree read right after ``publish``."""
        return self.trees[publish]

    def has_children(self, publish: int, unit: str, kind: str) -> bool:
        """Whether ``unit`` had, at ``publish``, a child whose subtree answers ``kind``."""
        tree = self.tree(publish)
        answering = {"resident": ("resident", "both"), "staff": ("staff", "both")}[kind]
        return any(parent == unit and any(self.kinds[x] in answering for x in subtree(tree, c))
                   for c, parent in tree.items())

    def read_county(self, metric: str, root: str, label: str, publish: int) -> None:
        """A county's cells in one period, top down: the children of every unit with children.

        A unit shown with no answers has none anywhere below it (everyone answers the score in
        the generated counties), so its subtree is not read further: the equation already says
        that every atom inside is 0.
        """
        kind = "resident" if metric == "nps" else "staff"
        queue = [root]
        while queue:
            rows = self.read_scores(metric, queue.pop(0), label)
            for unit, role, cell in rows:
                empty = cell.status == "shown" and cell.numbers[0] == 0
                if role == "child" and not empty and cell.status != "not_released" and \
                        self.has_children(publish, unit, kind):
                    queue.append(unit)

    # Cells to facts ------------------------------------------------------------------------

    def resident_atoms(self, unit: str, label: str) -> frozenset:
        """Atoms of ``unit``'s subtree in period ``label``, as the cell was released."""
        publish = self.schedule.publish_of(label)
        members = subtree(self.tree(publish), unit)
        return frozenset(resident_atom(u, m, s) for u in members if self.kinds[u] != "staff"
                         for m in period_months(label)
                         for s in self.schedule.segments(m, publish))

    def staff_rounds(self, label: str) -> frozenset:
        """Released rounds closing in period ``label``."""
        months = set(period_months(label))
        return frozenset(code for code, (_, closes) in self.rounds.items()
                         if f"{closes.year}-{closes.month:02d}" in months)

    def staff_atoms(self, unit: str, rounds: frozenset) -> frozenset:
        """Atoms of ``unit``'s subtree in ``rounds``, each under the tree of its release."""
        atoms = set()
        for code in rounds:
            members = subtree(self.tree(self.round_release[code]), unit)
            atoms |= {staff_atom(u, code) for u in members if self.kinds[u] != "resident"}
        return frozenset(atoms)

    def note(self, key: tuple, cell: Cell, atoms: frozenset, source: str) -> None:
        """Record a cell once; a cell seen again must look exactly the same."""
        before = self.seen.get(key)
        if before is not None:
            if before != cell:
                self.changed.append(f"{key}: {before} then {cell} ({source})")
            return
        self.seen[key] = cell
        if cell.status == "hidden":
            self.facts.append(hidden_fact(atoms, f"{source} hidden {key}"))
        else:
            self.facts += shown_facts(atoms, cell.numbers, f"{source} {key}")

    def read_scores(self, metric: str, unit: str, period: str, granularity: str | None = None
                    ) -> list[tuple[str, str, Cell]]:
        """One ``/api/v1/scores`` call: a unit and its children in a period (or in each of its
        parts of ``granularity``); facts noted.

        Returns (unit, role, cell) of every row, ``role`` being ``unit`` or ``child``.
        """
        parts = f"&granularity={granularity}" if granularity else ""
        body = self.get_json(f"/api/v1/scores?metric={metric}&unit={unit}&period={period}"
                             f"&children=true{parts}")
        rows = []
        for row in body["results"]:
            label = row["period"]
            assert set(period_months(label)) <= set(period_months(period)), row
            if row["suppressed"]:
                assert row["n"] is None and row["distribution"] is None, row
                status = row["suppression_reason"]
                assert status in ("hidden", "not_released"), row
                cell = Cell(status, None)
            else:
                d = row["distribution"]
                cell = Cell("shown", (row["n"], d["detractors"], d["passives"], d["promoters"]))
                assert sum(cell.numbers[1:]) == cell.numbers[0], row
            rows.append((row["unit"], row["role"], cell))
            if cell.status == "not_released":
                continue
            if metric == "nps":
                key = ("resident", row["unit"], label)
                atoms = self.resident_atoms(row["unit"], label)
            else:
                rounds = self.staff_rounds(label)
                key = ("staff", row["unit"], label, rounds)
                atoms = self.staff_atoms(row["unit"], rounds)
            self.note(key, cell, atoms, "api")
        return rows

    def read_public(self, areas_of: set[str] | None = None, lang: str = "en"
                    ) -> list[tuple[tuple, Cell, float | None]]:
        """Public service-area pages (of the counties ``areas_of``, default all): the latest
        released month of an area and its units.

        Adds the answers as an equation and the rounded NPS as a bound on promoters −
        detractors; returns (key, cell, NPS) for comparison with the API.
        """
        index = self.client.get(f"/{lang}/public/")
        assert index.status_code == 200
        tree = self.trees[max(self.trees)]
        codes = [html.unescape(code) for code in re.findall(rf'href="/{lang}/public/([^"]+)"',
                                                             index.get_data(as_text=True))]
        assert all(tree[code] is not None and tree[tree[code]] is None for code in codes), codes
        found = []
        for code in codes:
            if areas_of is None or tree[code] in areas_of:
                found += self._read_area(lang, code)
        return found

    def _read_area(self, lang: str, code: str) -> list[tuple[tuple, Cell, float | None]]:
        page = self.client.get(f"/{lang}/public/{code}").get_data(as_text=True)
        first = re.search(r"Net Promoter Score \(NPS\) from (.+?) to (.+?):", page)
        assert first, page[:2000]
        label = _month_label(html.unescape(first.group(1)))
        found = []
        for section in re.findall(r'<section class="area-score".*?</section>', page, re.S):
            name = html.unescape(re.search(r"<h[23][^>]*>(.*?)</h[23]>", section, re.S)
                                 .group(1).strip())
            unit = self.names[name]
            cell, value = _public_cell(section)
            if cell.status == "not_released":
                continue
            key = ("resident", unit, label)
            # Shown with no decimals: promoters − detractors is within half a point of NPS.
            self._note_rounded(key, cell, value, 0.5, "public")
            found.append((key, cell, value))
        return found

    def read_csv(self, hr_client, unit: str, label: str) -> list[tuple[tuple, Cell, float | None]]:
        """The CSV unit table of the reports (English dialect): n and NPS of a unit's rows."""
        response = hr_client.get(f"/reports/export/units.csv?unit={unit}&period={label}"
                                 f"&metric=nps&lang=en")
        assert response.status_code == 200, response.status_code
        rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
        header = rows[0]
        n_at, value_at = header.index("Answers (n)"), header.index("Score")
        found = []
        for row in rows[1:]:
            code, answers, value = row[0], row[n_at], row[value_at]
            assert row[3] == label, row
            if answers.isdigit():
                cell = Cell("shown", (int(answers), None, None, None))
                score = float(value) if value else None
            else:
                assert answers in (HIDDEN_TEXT, NOT_RELEASED_TEXT), row
                assert not any(row[value_at:]), row
                cell = Cell("hidden" if answers == HIDDEN_TEXT else "not_released", None)
                score = None
            if cell.status == "not_released":
                continue
            key = ("resident", code, label)
            self._note_rounded(key, cell, score, 0.05, "csv")
            found.append((key, cell, score))
        return found

    def _note_rounded(self, key: tuple, cell: Cell, value: float | None, half: float,
                      source: str) -> None:
        """Facts of a cell shown with its answers and an NPS rounded to ± ``half``."""
        atoms = self.resident_atoms(key[1], key[2])
        if cell.status == "hidden":
            self.facts.append(hidden_fact(atoms, f"{source} hidden {key}"))
            return
        n = cell.numbers[0]
        self.facts.append(Fact(atoms, "n", n, n, f"{source} {key}"))
        if n:
            self.facts.append(Fact(atoms, "nps", (value - half) * n / 100,
                                   (value + half) * n / 100, f"{source} {key}"))


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def _month_label(text: str) -> str:
    """``2026-03`` from an English long date such as ``March 1, 2026``."""
    match = re.match(r"(\w+) \d+, (\d{4})", text)
    assert match, text
    return f"{match.group(2)}-{MONTH_NAMES.index(match.group(1)) + 1:02d}"


def _public_cell(section: str) -> tuple[Cell, float | None]:
    note = re.search(r'<p class="area-note">(.*?)</p>', section, re.S)
    if note:
        text = html.unescape(note.group(1)).strip()
        if text == NO_ANSWERS_TEXT:
            return Cell("shown", (0, None, None, None)), None
        assert text in (HIDDEN_TEXT, NOT_RELEASED_TEXT), text
        return Cell("hidden" if text == HIDDEN_TEXT else "not_released", None), None
    value = re.search(r'<span dir="ltr">(.*?)</span>', section, re.S).group(1)
    answers = re.search(r"<dd>(\d+)</dd>", section).group(1)
    number = html.unescape(value).replace("\u2212", "-").replace(",", "").strip()
    return Cell("shown", (int(answers), None, None, None)), float(number)
