"""Languages, locale selection and text direction.

The locale comes from the URL prefix (``/fi/…``), then from a language the user chose
for the report pages (kept in the signed session cookie), then from Accept-Language.
"""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel

from survey_app.errors import NotFound

#: Languages of the public questionnaires, in the order of the language chooser.
LANGUAGES: tuple[str, ...] = ("fi", "sv", "en", "ru", "uk", "et", "ar", "so")
#: Languages of the report, admin and login pages.
REPORT_LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
#: Languages written right to left.
RTL_LANGUAGES = frozenset({"ar"})
#: Each language's name in itself, for the chooser (never translated).
NATIVE_NAMES = {
    "fi": "Suomi",
    "sv": "Svenska",
    "en": "English",
    "ru": "Русский",
    "uk": "Українська",
    "et": "Eesti",
    "ar": "العربية",
    "so": "Soomaali",
}
#: The message domains, one catalog per part of the app (translations/<lang>/LC_MESSAGES/*.po).
DOMAINS: tuple[str, ...] = ("core", "survey", "pulse", "reports", "admin", "api")

babel = Babel()


def select_locale() -> str:
    """URL prefix, then the chosen report language, then Accept-Language, then Finnish.

    Outside a request (the CLI) messages are in English, the source language.
    """
    if not has_request_context():
        return "en"
    lang = g.get("lang")
    if lang in LANGUAGES:
        return lang
    chosen = session.get("ui_lang") if _has_session_cookie() else None
    if chosen in REPORT_LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def _has_session_cookie() -> bool:
    """Read the session only when the client sent one, so public pages set no cookie."""
    return current_app.config.get("SESSION_COOKIE_NAME", "session") in request.cookies


def text_direction(lang: str | None = None) -> str:
    """``rtl`` for Arabic, ``ltr`` otherwise."""
    return "rtl" if (lang or current_language()) in RTL_LANGUAGES else "ltr"


def current_language() -> str:
    """The language of the current request as a plain code."""
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None else "fi"


def init_app(app: Flask) -> None:
    """Wire Flask-Babel (several domains) and the ``lang`` URL prefix."""
    translations = str(app.root_path + "/../translations")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join([translations] * len(DOMAINS)))
    app.config.setdefault("BABEL_DOMAIN", ";".join(DOMAINS))
    babel.init_app(app, locale_selector=select_locale)

    @app.url_value_preprocessor
    def take_lang_prefix(_endpoint, values):
        if values and "lang" in values:
            if values["lang"] not in LANGUAGES:
                raise NotFound()
            g.lang = values["lang"]

    @app.url_defaults
    def add_lang_prefix(endpoint, values):
        if "lang" in values or not g.get("lang"):
            return
        if app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values["lang"] = g.lang

    # Globals, so that macros imported without context can use them too.
    app.jinja_env.globals.update(
        native_names=NATIVE_NAMES, public_languages=LANGUAGES, report_languages=REPORT_LANGUAGES,
        current_language=current_language, text_direction=text_direction,
        current_path=lambda: request.full_path.rstrip("?"),
    )

    @app.context_processor
    def language_context():
        lang = current_language()
        return {
            "current_lang": lang,
            "text_dir": text_direction(lang),
            "native_names": NATIVE_NAMES,
            "public_languages": LANGUAGES,
            "report_languages": REPORT_LANGUAGES,
        }
