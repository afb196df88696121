"""``survey-app translations extract|update|compile|check``: the Babel catalogs.

One message domain per part of the app, so parts can be translated independently. The
source language is English; ``update`` fills the English catalog with the source text.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from survey_app.i18n import DOMAINS, LANGUAGES, REPORT_LANGUAGES

PACKAGE = Path(__file__).resolve().parents[1]
TRANSLATIONS = PACKAGE.parent / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None,
            "_l": None, "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
#: Files that live with the reports or the public pages but whose strings are in the ``api``
#: domain (translated in every language): the board report, exports, their tables and texts,
#: and the public area pages.
API_DOMAIN_FILES = [
    "reports/board.py", "reports/exports.py", "reports/formatting.py",
    "templates/reports/board.html", "templates/reports/_exports.html",
    "services/reports/board.py", "services/reports/exports.py", "services/reports/files.py",
    "services/reports/tables.py", "services/reports/texts.py",
    "public/areas.py", "templates/public/areas/*.html", "services/public/**/*.py",
]
#: Source files of each domain, as globs relative to the package; a glob starting with ``!``
#: takes files out again.
DOMAIN_SOURCES = {
    "core": ["*.py", "public/pages.py", "auth/**/*.py", "services/*.py", "models/**/*.py",
             "templates/*.html", "templates/public/*.html", "templates/auth/**/*.html"],
    "survey": ["survey/**/*.py", "templates/survey/**/*.html", "services/survey/**/*.py",
               "reach/**/*.py", "templates/reach/**/*.html", "services/reach/**/*.py"],
    "pulse": ["pulse/**/*.py", "templates/pulse/**/*.html", "services/pulse/**/*.py"],
    "reports": ["reports/**/*.py", "templates/reports/**/*.html", "services/reports/**/*.py",
                "services/comments/**/*.py", *("!" + path for path in API_DOMAIN_FILES)],
    "admin": ["admin/**/*.py", "templates/admin/**/*.html"],
    "api": ["api/**/*.py", "services/api/**/*.py", *API_DOMAIN_FILES],
}
#: Languages every domain must be complete in.
DOMAIN_LANGUAGES = {
    "core": LANGUAGES, "survey": LANGUAGES, "pulse": LANGUAGES,
    "reports": REPORT_LANGUAGES, "admin": REPORT_LANGUAGES, "api": LANGUAGES,
}


def source_files(domain: str) -> list[Path]:
    """The files whose strings belong to ``domain``."""
    patterns = DOMAIN_SOURCES[domain]
    files = {path for pattern in patterns if not pattern.startswith("!")
             for path in PACKAGE.glob(pattern)}
    files -= {path for pattern in patterns if pattern.startswith("!")
              for path in PACKAGE.glob(pattern[1:])}
    return sorted(p for p in files if p.is_file())


def extract(domain: str) -> Catalog:
    """A template catalog of every translatable string in the domain's sources."""
    catalog = Catalog(project="survey-app", domain=domain, charset="utf-8")
    for path in source_files(domain):
        method = "jinja2" if path.suffix == ".html" else "python"
        options = {"extensions": "jinja2.ext.i18n"} if method == "jinja2" else {}
        for lineno, message, comments, context in extract_from_file(
                method, str(path), keywords=KEYWORDS, options=options):
            catalog.add(message, None, [(str(path.relative_to(PACKAGE.parent)), lineno)],
                        auto_comments=comments, context=context)
    return catalog


def po_path(lang: str, domain: str) -> Path:
    """``translations/<lang>/LC_MESSAGES/<domain>.po``."""
    return TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po"


def read_catalog(path: Path, lang: str, domain: str) -> Catalog:
    """The catalog at ``path``, or a new empty one."""
    if path.is_file():
        with path.open("rb") as handle:
            return read_po(handle, locale=lang, domain=domain)
    return Catalog(locale=lang, domain=domain, project="survey-app", charset="utf-8")


def update(domain: str) -> list[Path]:
    """Merge the extracted strings into every language's catalog of the domain."""
    template = extract(domain)
    written = []
    for lang in DOMAIN_LANGUAGES[domain]:
        path = po_path(lang, domain)
        catalog = read_catalog(path, lang, domain)
        created = catalog.creation_date
        # Babel's update shares the template's Message objects with the catalog; a copy per
        # language keeps the English fill-in below from leaking into the other languages.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True,
                       update_header_comment=False)
        # Keep the header stable so that an update without new strings changes nothing.
        catalog.creation_date = created
        catalog.obsolete.clear()
        if lang == "en":
            for message in catalog:
                if message.id and not message.string:
                    message.string = message.id
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, sort_output=False,
                     include_previous=False)
        written.append(path)
    return written


def compile_all() -> int:
    """Write a ``.mo`` beside every ``.po``; returns how many."""
    count = 0
    for path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po")):
        lang, domain = path.parts[-3], path.stem
        catalog = read_catalog(path, lang, domain)
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        count += 1
    return count


def problems() -> list[str]:
    """Missing catalogs, untranslated or fuzzy entries, and strings not yet extracted."""
    found = []
    for domain in DOMAINS:
        expected = {m.id for m in extract(domain) if m.id}
        for lang in DOMAIN_LANGUAGES[domain]:
            path = po_path(lang, domain)
            if not path.is_file():
                if expected:
                    found.append(f"{path.relative_to(TRANSLATIONS)}: missing")
                continue
            catalog = read_catalog(path, lang, domain)
            ids = {m.id for m in catalog if m.id}
            for missing in sorted(expected - ids, key=str):
                found.append(f"{path.relative_to(TRANSLATIONS)}: not extracted: {missing!r}")
            for message in catalog:
                if not message.id:
                    continue
                if message.fuzzy:
                    found.append(f"{path.relative_to(TRANSLATIONS)}: fuzzy: {message.id!r}")
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if not all(strings):
                    found.append(f"{path.relative_to(TRANSLATIONS)}: untranslated: {message.id!r}")
    return found


@click.group("translations")
def translations_group() -> None:
    """Babel message catalogs (extract, update, compile, check)."""


@translations_group.command("update")
@click.argument("domains", nargs=-1)
def update_command(domains: tuple[str, ...]) -> None:
    """Extract strings and merge them into the catalogs of DOMAINS (default: all)."""
    for domain in domains or DOMAINS:
        for path in update(domain):
            click.echo(f"updated {path.relative_to(TRANSLATIONS.parent)}")


@translations_group.command("compile")
def compile_command() -> None:
    """Compile every catalog to .mo."""
    click.echo(f"compiled {compile_all()} catalogs")


@translations_group.command("check")
def check_command() -> None:
    """Fail when a catalog is missing, incomplete, fuzzy or behind the sources."""
    found = problems()
    for line in found:
        click.echo(line, err=True)
    if found:
        sys.exit(1)
    click.echo("all catalogs complete")
