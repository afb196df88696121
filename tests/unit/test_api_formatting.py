"""Locale formatting of board and public numbers: true minus, no negative zero."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from survey_app.reports.formatting import change_text, interval, number, signed


@pytest.fixture
def babel_app():
    from survey_app.cli.translations import TRANSLATIONS
    from survey_app.i18n import DOMAINS

    app = Flask(__name__)
    # The app's catalogs: the range pattern ("… " / "to") is translated.
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join([str(TRANSLATIONS)] * len(DOMAINS))
    app.config["BABEL_DOMAIN"] = ";".join(DOMAINS)
    Babel(app)
    with app.app_context():
        yield app


@pytest.mark.parametrize("lang, value, expected", [
    ("fi", -12.54, "\u221212,5"), ("en", -12.54, "\u221212.5"), ("fi", 3.0, "3,0"),
    ("fi", -0.04, "0,0"), ("sv", 1234.5, "1\xa0234,5"), ("fi", None, "–"),
])
def test_numbers_use_the_locale_and_a_true_minus(babel_app, lang, value, expected):
    with force_locale(lang):
        assert number(value) == expected


def test_signed_interval_and_change(babel_app):
    with force_locale("fi"):
        assert signed(2.0) == "+2,0" and signed(-2.0) == "\u22122,0" and signed(0.01) == "0,0"
        assert interval(-1.0, 2.5) == "\u22121,0 … 2,5" and interval(None, 1.0) == "–"
        assert change_text(None) == "–"
    with force_locale("en"):
        assert interval(-17.5, -6.7) == "\u221217.5 to \u22126.7"
