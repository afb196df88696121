"""Single-use invitations: random tokens handed out once, only their keyed hashes kept.

A batch writes its links to a new file exactly once (it refuses to overwrite anything); the
database keeps a keyed hash of each token (``tokens.py``; the key is not in the database)
with the round, the unit, a used flag and an optional expiry. The rows are inserted in an
order of their own, unrelated to the order of the links, so the position of a link in the
file names no row. Nothing can print an old token again: re-running makes new ones.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.errors import InvalidInput, NotFound
from survey_app.i18n import LANGUAGES
from survey_app.models import Invitation, OrgUnit, Survey
from survey_app.services.audit import record
from survey_app.services.pulse.rounds import CLOSED, get_round, round_state
from survey_app.services.pulse.tokens import (  # noqa: F401  (public names of this module)
    TOKEN_BYTES,
    TOKEN_PATTERN,
    looks_like_token,
    new_token,
    token_hash,
    token_key,
)
from survey_app.services.units import get_unit, subtree

MAX_PER_BATCH = 20_000


@dataclass(frozen=True, slots=True)
class BatchReport:
    """What a batch created: invitations per unit code, and the file written."""

    round_code: str
    counts: dict[str, int]
    path: Path

    @property
    def total(self) -> int:
        """All invitations of the batch."""
        return sum(self.counts.values())


def parse_sizes(data: bytes) -> dict[str, int]:
    """A ``unit_code,count`` CSV (header optional) → counts; every bad line is reported."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_("The sizes file is not UTF-8 text.")) from None
    sizes, problems = {}, []
    for line, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (line == 1 and cells[:2] == ["unit_code", "count"]):
            continue
        if len(cells) != 2 or not cells[1].isdigit() or not cells[0]:
            problems.append(_("line %(line)d: expected unit_code,count", line=line))
        elif cells[0] in sizes:
            problems.append(_("line %(line)d: unit %(code)s appears twice", line=line,
                              code=cells[0]))
        elif int(cells[1]) > 0:
            sizes[cells[0]] = int(cells[1])
    if problems:
        raise InvalidInput("\n".join(problems))
    if not sizes:
        raise InvalidInput(_("The sizes file lists no invitations."))
    return sizes


def create_invitations(session: Session, round_code: str, counts: dict[str, int], out: Path,
                       base_url: str, lang: str = "fi", expires_at: datetime | None = None,
                       now: datetime | None = None, actor: str = "cli") -> BatchReport:
    """Create invitations per unit of the round's subtree and write their links to ``out``.

    All or nothing: the links are written to a new file beside ``out``, linked into place
    (never over an existing file), then the rows are committed; if the commit fails the file
    is removed again. The audit event holds counts, never tokens.
    """
    _check_output(out)
    survey = get_round(session, round_code)
    units = _check_batch(session, survey, counts, lang, expires_at, now)
    rows, links = _new_invitations(survey, units, counts, base_url, lang, expires_at)
    temporary = _write_new_file(out.with_name(f".{out.name}.{secrets.token_hex(4)}.part"), links)
    placed = False
    try:
        os.link(temporary, out)  # fails instead of overwriting a file made meanwhile
        placed = True
        _store_batch(session, rows, round_code, lang, counts, actor)
    except BaseException:
        session.rollback()
        if placed:
            out.unlink(missing_ok=True)
        raise
    finally:
        temporary.unlink(missing_ok=True)
    return BatchReport(round_code, dict(counts), out)


def create_invitation_links(session: Session, round_code: str, counts: dict[str, int],
                            base_url: str, lang: str = "fi", expires_at: datetime | None = None,
                            now: datetime | None = None,
                            actor: str = "cli") -> list[tuple[str, str]]:
    """Create invitations and return their ``(unit_code, link)`` pairs, never kept anywhere.

    For a download that is the response itself (the admin pages): the hashes are committed
    first, then the caller hands the links out once; nothing can produce them again.
    """
    survey = get_round(session, round_code)
    units = _check_batch(session, survey, counts, lang, expires_at, now)
    rows, links = _new_invitations(survey, units, counts, base_url, lang, expires_at)
    try:
        _store_batch(session, rows, round_code, lang, counts, actor)
    except BaseException:
        session.rollback()
        raise
    return links


def invitation_count(session: Session, round_code: str, unit_code: str) -> int:
    """Invitations already made for one unit of a round (0 for unknown codes)."""
    return int(session.scalar(
        select(func.count()).select_from(Invitation)
        .join(Survey, Survey.id == Invitation.survey_id)
        .join(OrgUnit, OrgUnit.id == Invitation.unit_id)
        .where(Survey.code == round_code, OrgUnit.code == unit_code)) or 0)


def single_invitee_units(session: Session, round_code: str, counts: dict[str, int]) -> list[str]:
    """Units that would have exactly one invitation in the round after this batch.

    Their one answer is that person's answer, whatever the service does: the one case no
    design hides, so the admin page and the CLI ask for a confirmation first.
    """
    return [code for code, count in counts.items()
            if count + invitation_count(session, round_code, code) == 1]


def _new_invitations(survey: Survey, units: dict[str, OrgUnit], counts: dict[str, int],
                     base_url: str, lang: str, expires_at: datetime | None):
    """Fresh tokens: the rows (keyed hashes only, in a random order of their own) and the
    links (tokens, for the caller alone, in unit order)."""
    key = token_key()
    rows, links = [], []
    for code, count in counts.items():
        for _index in range(count):
            token = new_token()
            rows.append(Invitation(survey_id=survey.id, unit_id=units[code].id,
                                   token_hash=token_hash(token, key), used=False,
                                   expires_at=expires_at))
            links.append((code, f"{base_url.rstrip('/')}/{lang}/p/{token}"))
    secrets.SystemRandom().shuffle(rows)
    return rows, links


def _store_batch(session: Session, rows: list[Invitation], round_code: str, lang: str,
                 counts: dict[str, int], actor: str) -> None:
    """Add the rows and an audit event holding counts only, and commit."""
    session.add_all(rows)
    record(session, actor, "invitations.create", f"round {round_code} lang {lang} "
           + ", ".join(f"{code} {count}" for code, count in counts.items()))
    session.commit()


def _check_output(out: Path) -> None:
    """The links file must be new, in a folder that exists."""
    if out.exists():
        raise InvalidInput(_("The file %(path)s exists; invitations are written only to a new "
                             "file.", path=str(out)))
    if not out.parent.is_dir():
        raise InvalidInput(_("The folder %(path)s does not exist.", path=str(out.parent)))


def _check_batch(session: Session, survey: Survey, counts: dict[str, int], lang: str,
                 expires_at: datetime | None, now: datetime | None) -> dict[str, OrgUnit]:
    """Every unit in the round's subtree, sane counts; units by code."""
    if lang not in LANGUAGES:
        raise InvalidInput(_("Unknown language %(lang)s; use one of %(languages)s.", lang=lang,
                             languages=", ".join(LANGUAGES)))
    total = sum(counts.values())
    if not counts or any(n < 1 for n in counts.values()) or total > MAX_PER_BATCH:
        raise InvalidInput(_("Give between 1 and %(max)d invitations per batch.",
                             max=MAX_PER_BATCH))
    if now is not None and round_state(survey, now) == CLOSED:
        raise InvalidInput(_("The round %(code)s has closed.", code=survey.code))
    if expires_at is not None and now is not None and expires_at <= now:
        raise InvalidInput(_("The expiry must be in the future."))
    covered = {unit.code: unit for unit in subtree(session, survey.unit)}
    units, problems = {}, []
    for code in counts:
        try:
            unit = get_unit(session, code)
        except NotFound as error:
            problems.append(error.message)
            continue
        if code not in covered:
            problems.append(_("The unit %(unit)s is not in the round %(code)s.", unit=code,
                              code=survey.code))
        units[code] = unit
    if problems:
        raise InvalidInput("\n".join(problems))
    return units


def _write_new_file(path: Path, links: list[tuple[str, str]]) -> Path:
    """Write ``unit_code,link`` lines to a file that must not exist yet, readable by its owner."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit_code", "link"])
        writer.writerows(links)
        handle.flush()
        os.fsync(handle.fileno())
    return path
