"""Organisation units: CSV import (all or nothing), listing, subtrees."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.errors import InvalidInput, NotFound
from survey_app.models import OrgUnit, UnitKind
from survey_app.services.audit import record

COLUMNS = ("code", "parent_code", "name_fi", "name_sv", "name_en", "kind")
#: Optional columns (see :func:`_optional_values`): ``name_<lang>`` for the other public
#: languages, ``wording`` (an alternative recommendation wording of the resident instrument)
#: and ``kiosk_lang`` (the language a kiosk returns to). A column left out of the file leaves
#: what is stored unchanged; an empty cell clears it.
EXTRA_NAME_LANGUAGES = ("ru", "uk", "et", "ar", "so")
RESIDENT_COLUMNS = (*(f"name_{lang}" for lang in EXTRA_NAME_LANGUAGES), "wording", "kiosk_lang")
#: Optional column: ``sms`` = ``yes``/``no`` (empty = no); a file without it leaves the setting.
SMS_VALUES = {"yes": True, "no": False, "": False}
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
NAME_MAX = 200


class UnitImportError(InvalidInput):
    """A unit file was refused whole; ``problems`` lists every (line, reason)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = sorted(problems)
        lines = "\n".join(
            _("line %(line)d: %(reason)s", line=line, reason=reason) if line else reason
            for line, reason in self.problems
        )
        super().__init__(_("The unit file was not imported; nothing was changed.") + "\n" + lines)


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One validated line of a unit file."""

    line: int
    code: str
    parent_code: str | None
    name_fi: str
    name_sv: str
    name_en: str
    kind: UnitKind
    #: Values of the optional columns present in the file, by model attribute.
    extra: dict = field(default_factory=dict)


@dataclass(slots=True)
class ImportReport:
    """What an import changed."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def parse_unit_file(data: bytes) -> tuple[list[UnitRow], list[tuple[int, str]]]:
    """Decode and check each line of a unit CSV: the good rows and every (line, problem)."""
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [(1, _("missing columns: %(columns)s", columns=", ".join(missing)))]
    rows, problems, first_line = [], [], {}
    for record_ in reader:
        line = reader.line_num
        row, row_problems = _parse_row(line, record_)
        problems += row_problems
        if row is None:
            continue
        if row.code in first_line:
            problems.append((line, _("duplicate code %(code)s (first on line %(first)d)",
                                     code=row.code, first=first_line[row.code])))
            continue
        first_line[row.code] = line
        rows.append(row)
    if not rows and not problems:
        problems.append((1, _("the file has no units")))
    return rows, problems


def import_units(session: Session, data: bytes, actor: str = "cli") -> ImportReport:
    """Validate the whole file against itself and the database, then upsert it in one commit."""
    rows, problems = parse_unit_file(data)
    existing = {unit.code: unit for unit in session.scalars(select(OrgUnit))}
    problems += _parent_problems(rows, existing)
    if problems:
        raise UnitImportError(problems)
    report = ImportReport()
    for row in rows:
        unit = existing.get(row.code)
        values = {"name_fi": row.name_fi, "name_sv": row.name_sv, "name_en": row.name_en,
                  "kind": row.kind, **row.extra}
        if unit is None:
            unit = OrgUnit(code=row.code, path="/", active=True, **values)
            session.add(unit)
            existing[row.code] = unit
            report.created.append(row.code)
        elif any(getattr(unit, k) != v for k, v in values.items()) or \
                _parent_code(unit) != row.parent_code:
            for key, value in values.items():
                setattr(unit, key, value)
            report.updated.append(row.code)
        else:
            report.unchanged += 1
    session.flush()
    for row in rows:
        parent = existing.get(row.parent_code) if row.parent_code else None
        existing[row.code].parent_id = parent.id if parent else None
    session.flush()
    rebuild_paths(session)
    record(session, actor, "units.import",
           f"created {len(report.created)}, updated {len(report.updated)}, "
           f"unchanged {report.unchanged}")
    session.commit()
    return report


def rebuild_paths(session: Session) -> None:
    """Recompute every materialised path from the parent links (helper: flushes, no commit)."""
    units = list(session.scalars(select(OrgUnit)))
    by_parent: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    stack = [(unit, "/") for unit in by_parent.get(None, [])]
    while stack:
        unit, prefix = stack.pop()
        unit.path = f"{prefix}{unit.id}/"
        stack += [(child, unit.path) for child in by_parent.get(unit.id, [])]
    session.flush()


def list_units(session: Session) -> list[OrgUnit]:
    """All units in tree order (by path, then code)."""
    units = list(session.scalars(select(OrgUnit)))
    by_id = {u.id: u for u in units}

    def sort_key(unit: OrgUnit):
        ids = [int(part) for part in unit.path.strip("/").split("/") if part]
        return [by_id[i].code for i in ids if i in by_id]

    return sorted(units, key=sort_key)


def get_unit(session: Session, code: str) -> OrgUnit:
    """The unit with this code, or NotFound."""
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise NotFound(_("No unit with the code %(code)s.", code=code))
    return unit


def subtree(session: Session, unit: OrgUnit, active_only: bool = True) -> list[OrgUnit]:
    """The unit and everything below it."""
    query = select(OrgUnit).where(OrgUnit.path.startswith(unit.path, autoescape=True))
    if active_only:
        query = query.where(OrgUnit.active.is_(True))
    return list(session.scalars(query.order_by(OrgUnit.path)))


def unit_as_dict(unit: OrgUnit, parent_code: str | None) -> dict:
    """Plain data for JSON listings."""
    return {"code": unit.code, "parent_code": parent_code, "name_fi": unit.name_fi,
            "name_sv": unit.name_sv, "name_en": unit.name_en, "kind": unit.kind.value,
            "active": unit.active, "names": dict(unit.names or {}), "wording": unit.wording,
            "kiosk_lang": unit.kiosk_lang}


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnitImportError([(line, _("the file is not UTF-8 text (byte %(byte)d); save it "
                                        "as CSV UTF-8", byte=error.start + 1))]) from None
    if "\x00" in text:
        raise UnitImportError([(text[: text.index("\x00")].count("\n") + 1,
                                _("the file contains NUL characters; it is not a CSV file"))])
    return text


def _parse_row(line: int, raw: dict) -> tuple[UnitRow | None, list[tuple[int, str]]]:
    problems = []
    if None in raw:
        problems.append((line, _("too many fields on the line")))
    values = {key: (raw.get(key) or "").strip() for key in COLUMNS}
    if not CODE_PATTERN.match(values["code"]):
        problems.append((line, _("bad code %(code)s: use 1–40 letters, digits, '-', '_' or '.'",
                                 code=repr(values["code"]))))
    for key in ("name_fi", "name_sv", "name_en"):
        if not values[key]:
            problems.append((line, _("empty name in column %(column)s", column=key)))
        elif len(values[key]) > NAME_MAX:
            problems.append((line, _("name in column %(column)s is longer than %(max)d characters",
                                     column=key, max=NAME_MAX)))
    try:
        kind = UnitKind(values["kind"].lower())
    except ValueError:
        kind = None
        problems.append((line, _("bad kind %(kind)s: use resident, staff or both",
                                 kind=repr(values["kind"]))))
    extra = _optional_values(line, raw, problems)
    sms = _sms_value(line, raw, problems)
    if sms is not None:
        extra["sms"] = sms
    if problems:
        return None, problems
    return UnitRow(line, values["code"], values["parent_code"] or None, values["name_fi"],
                   values["name_sv"], values["name_en"], kind, extra), []


def _optional_values(line: int, raw: dict, problems: list[tuple[int, str]]) -> dict:
    """Model values of the optional resident columns present on the line (problems added)."""
    from survey_app.i18n import LANGUAGES
    from survey_app.instruments import resident_wordings

    extra: dict = {}
    present = {key: (raw.get(key) or "").strip() for key in RESIDENT_COLUMNS if key in raw}
    names = {}
    for lang in EXTRA_NAME_LANGUAGES:
        column = f"name_{lang}"
        value = present.get(column, "")
        if len(value) > NAME_MAX:
            problems.append((line, _("name in column %(column)s is longer than %(max)d characters",
                                     column=column, max=NAME_MAX)))
        elif value:
            names[lang] = value
    if any(f"name_{lang}" in present for lang in EXTRA_NAME_LANGUAGES):
        extra["names"] = names or None
    if "wording" in present:
        wording = present["wording"] or None
        if wording is not None and wording not in resident_wordings():
            problems.append((line, _("unknown wording %(wording)s: use one of %(known)s or "
                                     "leave it empty", wording=repr(wording),
                                     known=", ".join(sorted(resident_wordings())) or "—")))
        extra["wording"] = wording
    if "kiosk_lang" in present:
        kiosk_lang = present["kiosk_lang"] or None
        if kiosk_lang is not None and kiosk_lang not in LANGUAGES:
            problems.append((line, _("unknown kiosk language %(lang)s: use one of %(known)s",
                                     lang=repr(kiosk_lang), known=", ".join(LANGUAGES))))
        extra["kiosk_lang"] = kiosk_lang
    return extra


def _sms_value(line: int, raw: dict, problems: list) -> bool | None:
    """The optional ``sms`` opt-in: yes/no (empty = no); None without the column."""
    if "sms" not in raw:
        return None
    value = (raw.get("sms") or "").strip().lower()
    if value not in SMS_VALUES:
        problems.append((line, _("bad sms value %(value)s: use yes or no", value=repr(value[:20]))))
        return None
    return SMS_VALUES[value]


def _parent_code(unit: OrgUnit) -> str | None:
    return unit.parent.code if unit.parent is not None else None


def _parent_problems(rows: list[UnitRow], existing: dict[str, OrgUnit]) -> list[tuple[int, str]]:
    """Every parent must exist (in the file or the database) and the result must be a tree."""
    parent_of = {code: _parent_code(unit) for code, unit in existing.items()}
    parent_of.update({row.code: row.parent_code for row in rows})
    problems = []
    for row in rows:
        if row.parent_code and row.parent_code not in parent_of:
            problems.append((row.line, _("unknown parent %(parent)s", parent=row.parent_code)))
        elif row.parent_code == row.code:
            problems.append((row.line, _("unit %(code)s is its own parent", code=row.code)))
        elif _in_cycle(row.code, parent_of):
            problems.append((row.line, _("unit %(code)s is in a cycle of parents", code=row.code)))
    return problems


def _in_cycle(code: str, parent_of: dict[str, str | None]) -> bool:
    seen, current = set(), code
    while current is not None:
        if current in seen:
            return current == code
        seen.add(current)
        current = parent_of.get(current)
    return False
