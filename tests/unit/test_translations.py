"""Every catalog complete, none fuzzy, none behind the sources; two locales in one test."""

from survey_app.cli.translations import problems


def test_every_catalog_is_complete_and_up_to_date():
    found = problems()
    assert found == [], "\n".join(found[:50])


def test_update_fills_english_without_leaking_it_into_later_languages(tmp_path, monkeypatch):
    from babel.messages.catalog import Catalog

    from survey_app.cli import translations

    template = Catalog(domain="demo")
    template.add("Log out", None, [("x.py", 1)])
    monkeypatch.setattr(translations, "TRANSLATIONS", tmp_path)
    monkeypatch.setattr(translations, "extract", lambda domain: template)
    monkeypatch.setitem(translations.DOMAIN_LANGUAGES, "demo", ("fi", "en", "ru"))
    translations.update("demo")
    strings = {lang: translations.read_catalog(translations.po_path(lang, "demo"), lang, "demo")
               ["Log out"].string for lang in ("fi", "en", "ru")}
    assert strings == {"fi": "", "en": "Log out", "ru": ""}
