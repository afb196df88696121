"""The anonymity page of both surveys (``/<lang>/p/anonymity``): residents first, then staff,
then how results are reported with both thresholds; and the link to it in every page's footer,
in the page's own language."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from survey_app.i18n import LANGUAGES

RESIDENT_RULE = ("Figures from residents' feedback are shown only for groups of at least "
                 "%(count)d answers. Smaller groups are hidden, and so are other groups from "
                 "which a hidden group could be worked out by subtraction.")


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">'):]


@pytest.fixture
def unit(make_unit, make_survey):
    """A health centre with open resident feedback."""
    unit = make_unit("KAJ-AN", name_fi="Kajaanin terveysasema", name_sv="Kajana hälsostation")
    make_survey(unit)
    return unit


@pytest.mark.parametrize(("path", "link", "text"), [
    ("/fi/s/KAJ-AN", "/fi/p/anonymity", "Kyselyjen nimettömyys"),
    ("/sv/s/KAJ-AN?ch=qr", "/sv/p/anonymity", "Enkäternas anonymitet"),
    ("/fi/s/KAJ-AN?variant=selko", "/fi/p/anonymity", "Kyselyjen nimettömyys"),
    ("/so/s/KAJ-AN/thanks", "/so/p/anonymity", "Qarsoodinimada sahannada"),
    ("/fi/", "/fi/p/anonymity", "Kyselyjen nimettömyys"),
    ("/uk/", "/uk/p/anonymity", "Анонімність опитувань"),
    ("/et/accessibility", "/et/p/anonymity", "Küsitluste anonüümsus"),
])
def test_resident_and_public_pages_link_the_anonymity_page_in_their_language(client, unit, path,
                                                                             link, text):
    page = client.get(path)
    assert page.status_code == 200
    footer = _footer(page.get_data(as_text=True))
    assert f'<a href="{link}">{text}</a>' in footer
    # Exactly one anonymity link there, and no other language's.
    assert len(re.findall(r'href="/[a-z]+/p/anonymity"', footer)) == 1


def test_a_page_without_a_language_prefix_links_the_anonymity_page_in_the_browser_language(
        client):
    html = client.get("/login", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert '<a href="/sv/p/anonymity">Enkäternas anonymitet</a>' in _footer(html)


def test_an_error_page_has_the_footer_link_too(client):
    page = client.get("/ru/s/NO-SUCH-UNIT")
    assert page.status_code == 404
    assert '<a href="/ru/p/anonymity">Анонимность опросов</a>' in _footer(
        page.get_data(as_text=True))


@pytest.mark.parametrize(("lang", "title", "residents", "rule"), [
    ("fi", "Kyselyjen nimettömyys", "Jos annoit palautetta käynnin jälkeen",
     "Asukaspalautteen tulokset näytetään vain ryhmistä, joissa on vähintään 8 vastausta."),
    ("sv", "Enkäternas anonymitet", "Om du gav respons efter ett besök",
     "Resultat från invånarnas respons visas bara för grupper med minst 8 svar."),
    ("en", "Anonymity of the surveys", "If you gave feedback after a visit",
     "Figures from residents' feedback are shown only for groups of at least 8 answers."),
])
def test_the_page_shows_the_residents_section_and_the_resident_threshold(make_app, lang, title,
                                                                         residents, rule):
    client = make_app(PRIVACY_MIN_STAFF=6, PRIVACY_MIN_RESIDENT=8,
                      PRIVACY_MIN_COMMENTS=12).test_client()
    html = client.get(f"/{lang}/p/anonymity").get_data(as_text=True)
    assert f"<h1>{title}</h1>" in html and f"<title>{title} – " in html
    assert f'<h2 id="residents">{residents}</h2>' in html
    assert rule in html
    # The residents' section comes first, then staff, then reporting; the SMS part is the
    # residents', the e-mail invitation part the staff's.
    order = [html.index(f'id="{name}"') for name in ("residents", "sms", "staff", "e-mail",
                                                        "reporting")]
    assert order == sorted(order)


def test_the_resident_threshold_is_the_configured_one_not_the_staff_one(make_app):
    client = make_app(PRIVACY_MIN_STAFF=6, PRIVACY_MIN_RESIDENT=11).test_client()
    html = client.get("/fi/p/anonymity").get_data(as_text=True)
    assert "Asukaspalautteen tulokset näytetään vain ryhmistä, joissa on vähintään 11 " in html
    assert "Pulssikyselyn tulokset näytetään vain ryhmistä, joissa on vähintään 6 " in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_the_residents_section_translated(make_app, lang):
    app = make_app(PRIVACY_MIN_RESIDENT=9)
    html = app.test_client().get(f"/{lang}/p/anonymity").get_data(as_text=True)
    with app.test_request_context(), force_locale(lang):
        rule = _(RESIDENT_RULE, count=9)
        heading = _("If you gave feedback after a visit")
    if lang != "en":
        assert rule != RESIDENT_RULE % {"count": 9} and "9" in rule
    assert f'<h2 id="residents">{heading}</h2>' in html
    assert str(rule) in html


def test_heading_levels_never_skip_and_there_is_one_h1(client):
    html = client.get("/fi/p/anonymity").get_data(as_text=True)
    main = html[html.index('<main'):html.index('</main>')]
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", main)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    assert levels.count(2) == 3   # residents, staff, how results are reported


def test_the_page_no_longer_calls_itself_the_staff_pulse_survey_page(client):
    for lang, old in (("en", "Anonymity of the staff pulse survey"),
                      ("fi", "Henkilöstön pulssikyselyn nimettömyys")):
        assert old not in client.get(f"/{lang}/p/anonymity").get_data(as_text=True)
