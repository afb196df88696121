"""Printable A4 posters that invite residents to answer, with a QR code per language.

``poster_svg`` returns a self-contained SVG (no fonts, images or scripts from elsewhere) sized
210 × 297 mm: the unit's name at the top, then one row per language with a short invitation, the
written-out address and a QR code to ``<PUBLIC_BASE_URL>/<lang>/s/<unit_code>?ch=qr``. The
pseudo-language ``selko`` adds the plain-Finnish variant (``/fi/s/<unit>?ch=qr&variant=selko``).
Needs an app context (for the base URL and the translations); an admin download can call it too.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import segno
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from survey_app.errors import InvalidInput
from survey_app.i18n import LANGUAGES, RTL_LANGUAGES
from survey_app.models import OrgUnit

#: Usable poster languages: the public ones and the plain-Finnish variant.
POSTER_LANGUAGES = (*LANGUAGES, "selko")
PAGE_WIDTH, PAGE_HEIGHT, MARGIN, HEADER = 210, 297, 14, 44


@dataclass(frozen=True, slots=True)
class PosterRow:
    """One language on the poster."""

    lang: str
    ui_lang: str
    url: str
    heading: str
    body: str


def parse_languages(value: str) -> list[str]:
    """``"fi,sv,en"`` → ``["fi", "sv", "en"]``; unknown or repeated codes are refused."""
    codes = [code.strip() for code in value.split(",") if code.strip()]
    unknown = [code for code in codes if code not in POSTER_LANGUAGES]
    if not codes or unknown or len(set(codes)) != len(codes) or len(codes) > 6:
        raise InvalidInput(_("Give one to six different languages from: %(languages)s.",
                             languages=", ".join(POSTER_LANGUAGES)))
    return codes


def survey_url(unit_code: str, lang: str) -> str:
    """The questionnaire address a poster's QR code points to."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    if lang == "selko":
        return f"{base}/fi/s/{unit_code}?ch=qr&variant=selko"
    return f"{base}/{lang}/s/{unit_code}?ch=qr"


def qr_path(url: str) -> tuple[str, int]:
    """SVG path data of the QR code's dark modules and its size in modules (quiet zone included)."""
    code = segno.make(url, error="m", micro=False)
    parts = []
    matrix = [list(row) for row in code.matrix_iter(scale=1, border=4)]
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return "".join(parts), len(matrix)


def poster_rows(unit: OrgUnit, languages: list[str]) -> list[PosterRow]:
    """The invitation texts of each language, translated in that language."""
    rows = []
    for lang in languages:
        ui_lang = "fi" if lang == "selko" else lang
        with force_locale(ui_lang):
            if lang == "selko":
                heading = "Kerro, millainen käynti oli"
                body = ("Kuvaa QR-koodi puhelimella. Vastaaminen vie minuutin. "
                        "Et kerro nimeäsi.")
            else:
                heading = _("How was your visit?")
                body = _("Scan the QR code with your phone's camera. Answering takes about a "
                         "minute and is anonymous.")
        rows.append(PosterRow(lang, ui_lang, survey_url(unit.code, lang), heading, body))
    return rows


def poster_svg(unit: OrgUnit, languages: list[str]) -> str:
    """The whole A4 poster as SVG text."""
    rows = poster_rows(unit, languages)
    first = rows[0].ui_lang
    with force_locale(first):
        county = _("Kainuu wellbeing services county")
        feedback = _("Resident feedback")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_WIDTH}mm" '
        f'height="{PAGE_HEIGHT}mm" viewBox="0 0 {PAGE_WIDTH} {PAGE_HEIGHT}" '
        f'font-family="Arial, Helvetica, sans-serif" lang={quoteattr(first)}>',
        f"<title>{escape(feedback)}: {escape(unit.name(first))}</title>",
        f'<rect width="{PAGE_WIDTH}" height="{HEADER}" fill="#00507a"/>',
        _text(MARGIN, 17, 6, escape(county), "#ffffff"),
        _text(MARGIN, 32, 10, escape(unit.name(first)), "#ffffff", bold=True),
    ]
    row_height = (PAGE_HEIGHT - HEADER - MARGIN) / len(rows)
    for index, row in enumerate(rows):
        parts.append(_row(row, HEADER + index * row_height, row_height))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _row(row: PosterRow, top: float, height: float) -> str:
    """Invitation text on the reading-start side, the QR code on the other."""
    rtl = row.ui_lang in RTL_LANGUAGES
    qr_size = min(height - 10, 72)
    data, modules = qr_path(row.url)
    scale = qr_size / modules
    qr_x = MARGIN if rtl else PAGE_WIDTH - MARGIN - qr_size
    text_x = PAGE_WIDTH - MARGIN if rtl else MARGIN
    text_width = PAGE_WIDTH - 2 * MARGIN - qr_size - 8
    # With direction="rtl" on the group, "start" is the right edge; the address stays LTR.
    url_anchor = "end" if rtl else "start"
    out = [f'<g class="row" lang={quoteattr(row.ui_lang)}'
           f'{" direction=" + quoteattr("rtl") if rtl else ""}>',
           f'<line x1="{MARGIN}" x2="{PAGE_WIDTH - MARGIN}" y1="{top + 3:.1f}" y2="{top + 3:.1f}" '
           'stroke="#c8c8c8" stroke-width="0.4"/>']
    y = top + 14
    out.append(_text(text_x, y, 8, escape(row.heading), "#1b1b1b", bold=True))
    for line in textwrap.wrap(row.body, width=max(20, int(text_width / 2.3))):
        y += 7
        out.append(_text(text_x, y, 5, escape(line), "#1b1b1b"))
    out.append(_text(text_x, y + 9, 3.6, escape(row.url), "#00507a", anchor=url_anchor,
                     direction="ltr"))
    out.append(f'<g transform="translate({qr_x:.2f} {top + 6:.2f}) scale({scale:.4f})">'
               f'<rect width="{modules}" height="{modules}" fill="#ffffff"/>'
               f'<path class="qr" data-url={quoteattr(row.url)} d="{data}" fill="#000000"/></g>')
    out.append("</g>")
    return "\n".join(out)


def _text(x: float, y: float, size: float, content: str, fill: str, bold: bool = False,
          anchor: str = "start", direction: str | None = None) -> str:
    weight = ' font-weight="bold"' if bold else ""
    extra = f' direction="{direction}" unicode-bidi="embed"' if direction else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" '
            f'text-anchor="{anchor}"{weight}{extra}>{content}</text>')
