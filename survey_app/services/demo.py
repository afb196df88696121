"""A realistic demo county: Kainuu's units, 14 months of resident answers, pulse rounds.

Deterministic for a given seed and end day. Answers are drawn per unit from a score
distribution whose quality drifts slowly over time (a few units improve, a few decline),
statements agree with the recommendation, and some comments carry phone numbers or
identity codes so that the redaction shows. Everything goes through the same aggregate
rules as live answers (``AggregateBuffer``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from survey_app.instruments import load_instrument
from survey_app.models import OrgUnit, Response, Survey, SurveyKind
from survey_app.privacy import redact_comment
from survey_app.services import demo_county
from survey_app.services.aggregates import AggregateBuffer
from survey_app.services.pulse import create_invitations, create_round
from survey_app.services.qwl import person_measures
from survey_app.services.units import import_units
from survey_app.services.users import create_user

HELSINKI = ZoneInfo("Europe/Helsinki")
CHANNELS = np.array(["sms", "qr", "kiosk", "web", "email", "paper"])
CHANNEL_P = [0.46, 0.2, 0.14, 0.13, 0.04, 0.03]
LANGS = np.array(["fi", "sv", "en", "ru", "uk", "et", "ar", "so", "fi-x-selko"])
LANG_P = [0.86, 0.02, 0.025, 0.02, 0.02, 0.005, 0.015, 0.005, 0.03]
#: Demo logins (demo data only; printed by ``survey-app demo`` and in the README).
DEMO_USERS = [
    ("admin", "demo-admin-2026", "admin", []),
    ("hr", "demo-hr-2026-pass", "hr", []),
    ("manager.kuhmo", "demo-kuhmo-2026", "manager", ["TK-KUH", "KOT-KUH", "ASU-KUH"]),
    ("manager.hospital", "demo-hospital-2026", "manager", ["KS"]),
]

GOOD = [
    ("fi", "Hoitaja oli ystävällinen ja selitti kaiken selkeästi."),
    ("fi", "Pääsin vastaanotolle nopeasti, kiitos!"),
    ("fi", "Lääkäri kuunteli ja otti huoleni vakavasti."),
    ("fi", "Hyvää palvelua, henkilökunta oli ammattitaitoista."),
    ("fi", "Kaikki sujui hyvin. Soittakaa jos tarvitsette lisätietoja 040 123 4567."),
    ("sv", "Vänlig personal och bra information."),
    ("en", "Friendly staff and clear instructions, thank you."),
    ("ar", "كان الموظفون لطفاء وشرحوا كل شيء بوضوح."),
    ("ru", "Очень внимательный персонал, спасибо."),
]
BAD = [
    ("fi", "Jonotin puhelimessa lähes tunnin ennen kuin pääsin läpi."),
    ("fi", "Ajanvaraus oli hankalaa ja odotusaika liian pitkä."),
    ("fi", "En saanut tietää, mitä tapahtuu seuraavaksi."),
    ("fi", "Henkilötunnukseni 131052-308T kysyttiin ääneen odotustilassa."),
    ("fi", "Pysäköintipaikkoja ei ollut tarpeeksi ja ohjeet olivat epäselvät."),
    ("sv", "Lång väntetid och ingen förklaring."),
    ("en", "Long wait and nobody told me why. Mail me at someone@example.com"),
    ("uk", "Довго чекали, але лікар був уважний."),
    ("so", "Waqti dheer ayaan sugay."),
]
STAFF_COMMENTS = [
    "Kiire on jatkuvaa, lisää käsiä tarvitaan.",
    "Hyvä työporukka, tuetaan toisiamme.",
    "Esihenkilö kuuntelee ja asioihin voi vaikuttaa.",
    "Vuorosuunnittelu voisi olla reilumpaa.",
    "Perehdytykseen pitäisi varata enemmän aikaa.",
    "Koulutusmahdollisuudet ovat parantuneet.",
]


def has_units(session: Session) -> bool:
    """True when the database already has an organisation."""
    return session.scalar(select(OrgUnit.id).limit(1)) is not None


def load(session: Session, seed: int = 2026, months: int = 14, until: date | None = None,
         progress: Callable[[int], None] = lambda _step: None, users: bool = True,
         invitations_out: Path | None = None, base_url: str = "http://127.0.0.1:5000") -> str:
    """Create the demo county and its answers; returns a short summary for the CLI.

    With ``invitations_out``, a pulse round open now gets a few invitations whose links are
    written to that file (demo only: real links go to the people invited, once).
    """
    rng = np.random.default_rng(seed)
    until = until or datetime.now(HELSINKI).date()
    start = _months_back(until, months)
    rows = demo_county.units()
    import_units(session, _units_csv(rows), actor="demo")
    progress(5)
    units = {u.code: u for u in session.scalars(select(OrgUnit))}
    # Services people don't choose ask about the experience, not a recommendation (issue 15).
    for code in ("KS-PAIV", "PEL"):
        units[code].wording = "experience"
    resident = _survey(session, "resident-kainuu", SurveyKind.RESIDENT, units["KAINUU"], start,
                       None, "Asiakaspalaute")
    buffer = AggregateBuffer()
    count = _resident_answers(session, rng, rows, units, resident, start, until, buffer, progress)
    staff = _staff_rounds(session, rng, rows, units, start, until, buffer)
    buffer.flush(session)
    progress(10)
    if users:
        for username, password, role, scope in DEMO_USERS:
            create_user(session, username, password, role, scope, actor="demo")
    session.commit()
    progress(5)
    logins = ", ".join(f"{u} / {p}" for u, p, _r, _s in DEMO_USERS) if users else "none"
    summary = (f"Demo county loaded: {len(rows)} units, {count} resident answers from {start} "
               f"to {until}, {staff} staff answers. Demo logins: {logins}")
    if invitations_out is not None:
        _open_round_with_invitations(session, until, invitations_out, base_url)
        summary += f". Invitation links to an open pulse round: {invitations_out}"
    return summary


def _open_round_with_invitations(session, until: date, out: Path, base_url: str) -> None:
    opens = datetime.combine(until - timedelta(days=3), time(8), HELSINKI).astimezone(UTC)
    closes = datetime.combine(until + timedelta(days=14), time(16), HELSINKI).astimezone(UTC)
    create_round(session, "pulse-now", "KAINUU", opens, closes, title="Pulssi nyt",
                 actor="demo")
    out.unlink(missing_ok=True)
    create_invitations(session, "pulse-now", {"TK-KUH": 5, "KS-PAIV": 5}, out, base_url,
                       actor="demo")


def _units_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "parent_code", "name_fi", "name_sv", "name_en", "kind"])
    writer.writerows([code, parent or "", fi, sv, en, kind]
                     for code, parent, fi, sv, en, kind, _daily, _staff in rows)
    return out.getvalue().encode()


def _survey(session, code, kind, unit, start, closes, title, key=None) -> Survey:
    instrument = key or (("resident-feedback", 1) if kind == SurveyKind.RESIDENT
                         else ("staff-pulse", 1))
    opens = datetime.combine(start, time(8), HELSINKI).astimezone(UTC)
    survey = Survey(code=code, kind=kind, unit_id=unit.id, instrument_key=instrument[0],
                    instrument_version=instrument[1], opens_at=opens, closes_at=closes,
                    title=title)
    session.add(survey)
    session.flush()
    return survey


def _resident_answers(session, rng, rows, units, survey, start, until, buffer, progress) -> int:
    instrument = load_instrument(survey.instrument_key, survey.instrument_version)
    items = [item.id for item in instrument.items]
    days = np.arange(np.datetime64(start), np.datetime64(until) + 1)
    total = 0
    resident_rows = [r for r in rows if r[6] > 0]
    for index, (code, _p, _fi, _sv, _en, _k, daily, _s) in enumerate(resident_rows):
        unit = units[code]
        quality = rng.normal(0.0, 0.8)
        trend = rng.normal(0.0, 0.5)
        weekday = np.array([1.2, 1.1, 1.05, 1.0, 0.95, 0.25, 0.2])
        dow = (days.astype("datetime64[D]").view("int64") - 4) % 7
        counts = rng.poisson(daily * weekday[dow])
        n = int(counts.sum())
        if n == 0:
            continue
        answer_days = np.repeat(days, counts)
        position = np.linspace(0, 1, len(days))[np.repeat(np.arange(len(days)), counts)]
        latent = quality + trend * (position - 0.5) + rng.normal(0, 1.6, n)
        scores = np.clip(np.rint(8.2 + 1.4 * latent), 0, 10).astype(int)
        skipped = rng.random(n) < 0.02
        channels = rng.choice(CHANNELS, n, p=CHANNEL_P)
        if code.startswith(("KS", "PEL", "KOT", "ASU")):
            channels = np.where(channels == "kiosk", "paper", channels)
        langs = rng.choice(LANGS, n, p=LANG_P)
        statements = np.clip(np.rint(1 + (scores[:, None] / 10) * 4
                                     + rng.normal(0, 0.8, (n, len(items)))), 1, 5).astype(int)
        cannot_say = rng.random((n, len(items))) < 0.07
        comment_draw = rng.random(n)
        batch = []
        for i in range(n):
            answers = {item: (None if cannot_say[i, j] else int(statements[i, j]))
                       for j, item in enumerate(items)}
            score = None if skipped[i] else int(scores[i])
            comment = None
            if comment_draw[i] < 0.09:
                pool = GOOD if (score or 0) >= 8 else BAD
                comment = _redacted(pool[int(comment_draw[i] * 1000) % len(pool)][1])
            day = answer_days[i].astype(date)
            batch.append({"id": _random_id(rng), "survey_id": survey.id, "unit_id": unit.id,
                          "day": day, "language": str(langs[i]), "channel": str(channels[i]),
                          "score": score, "answers": answers, "qwl_index": None,
                          "comment": comment})
            buffer.add_resident(survey.id, unit.id, day, str(channels[i]), score, answers,
                                comment is not None)
        session.connection().execute(insert(Response.__table__), batch)
        total += n
        progress(int(80 * (index + 1) / len(resident_rows)) - int(80 * index / len(resident_rows)))
    return total


def _staff_rounds(session, rng, rows, units, start, until, buffer) -> int:
    """Pulse rounds every two months; each closes two weeks after it opens."""
    instrument = load_instrument("staff-pulse", 1)
    items = [item.id for item in instrument.items]
    total = 0
    staff_rows = [r for r in rows if r[7] > 0]
    wellbeing = {r[0]: rng.normal(0, 0.5) for r in staff_rows}
    month = date(start.year, start.month, 1)
    number = 0
    while True:
        opens = month + timedelta(days=7)
        closes = opens + timedelta(days=14)
        if closes > until:
            break
        number += 1
        survey = _survey(session, f"pulse-{opens:%Y-%m}", SurveyKind.PULSE, units["KAINUU"],
                         opens, datetime.combine(closes, time(16), HELSINKI).astimezone(UTC),
                         f"Pulssi {opens:%m/%Y}")
        batch = []
        for code, *_names, _kind, _daily, team in staff_rows:
            answered = rng.binomial(team, rng.uniform(0.4, 0.8))
            for _ in range(answered):
                latent = wellbeing[code] + 0.05 * number + rng.normal(0, 0.9)
                values = np.clip(np.rint(3.6 + latent + rng.normal(0, 0.6, len(items))), 1, 5)
                answers = {item: (None if rng.random() < 0.04 else int(v))
                           for item, v in zip(items, values, strict=True)}
                measures = person_measures(instrument, answers)
                score = int(np.clip(np.rint(7 + 1.6 * latent + rng.normal(0, 1.2)), 0, 10))
                comment = (STAFF_COMMENTS[int(rng.integers(len(STAFF_COMMENTS)))]
                           if rng.random() < 0.12 else None)
                batch.append({"id": _random_id(rng), "survey_id": survey.id,
                              "unit_id": units[code].id, "day": None, "language": None,
                              "channel": None, "score": score, "answers": answers,
                              "qwl_index": measures["qwl"], "comment": comment})
                buffer.add_staff(survey.id, units[code].id, score, answers, measures,
                                 comment is not None)
        if batch:
            session.connection().execute(insert(Response.__table__), batch)
        total += len(batch)
        month = _add_month(month, 2)
    return total


@cache
def _redacted(text: str) -> str:
    return redact_comment(text)


def _random_id(rng) -> str:
    return rng.bytes(16).hex()


def _months_back(until: date, months: int) -> date:
    month = _add_month(date(until.year, until.month, 1), -(months - 1))
    return month


def _add_month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)

