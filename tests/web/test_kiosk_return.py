"""A kiosk's footer pages (anonymity, accessibility) return to the kiosk's blank form after the
idle time, so a waiting-room tablet never stays on them for the next visitor; and no address
but a kiosk form of this site is ever taken as the way back."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from survey_app.survey.kiosk_return import kiosk_address


@pytest.fixture
def unit(make_unit, make_survey):
    unit = make_unit("KAJ-AN", name_fi="Kajaanin terveysasema")
    make_survey(unit)
    return unit


def _footer_links(html: str) -> dict[str, str]:
    footer = html[html.index('<footer class="site-footer">'):]
    return {text: unescape(href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>',
                                                              footer)}


def _refresh(html: str) -> str | None:
    found = re.search(r'<meta http-equiv="refresh" content="(\d+);url=([^"]+)">', html)
    return f"{found.group(1)};{unescape(found.group(2))}" if found else None


def test_a_kiosk_page_sends_its_address_to_the_footer_pages_and_they_return_to_it(client, unit):
    kiosk = client.get("/ar/k/KAJ-AN?lang=sv").get_data(as_text=True)
    links = _footer_links(kiosk)
    anonymity = next(href for href in links.values() if "/p/anonymity" in href)
    accessibility = next(href for href in links.values() if "/accessibility" in href)
    for href, path in ((anonymity, "/ar/p/anonymity"), (accessibility, "/ar/accessibility")):
        assert urlsplit(href).path == path
        assert parse_qs(urlsplit(href).query) == {"back": ["/sv/k/KAJ-AN?lang=sv"]}
    for href in (anonymity, accessibility):
        page = client.get(href)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        # Without JavaScript: a refresh to the kiosk's blank form in its own language.
        assert _refresh(html) == "60;/sv/k/KAJ-AN?lang=sv"
        assert 'src="/static/kiosk.js"' in html
        assert 'data-home="/sv/k/KAJ-AN?lang=sv"' in unescape(html)
        # Its own footer keeps the way back, so anonymity -> accessibility still returns.
        assert all("back=" in link for link in _footer_links(html).values()
                   if "/p/anonymity" in link or "/accessibility" in link)


def test_pages_not_opened_from_a_kiosk_neither_return_nor_pass_an_address(client, unit):
    for path in ("/fi/s/KAJ-AN", "/fi/", "/fi/p/anonymity", "/fi/accessibility"):
        html = client.get(path).get_data(as_text=True)
        assert _refresh(html) is None and "kiosk.js" not in html, path
        assert not any("back=" in href for href in _footer_links(html).values()), path


@pytest.mark.parametrize("back", [
    "https://evil.example/fi/k/KAJ-AN", "//evil.example/fi/k/KAJ-AN", "/fi/s/KAJ-AN",
    "/fi/k/KAJ-AN?next=https://evil.example", "/fi/k/KAJ-AN#x", "javascript:alert(1)",
    "/fi/k/KAJ-AN/../../admin", "/fi/k/" + "A" * 41, "/fi/k/KAJ-AN?lang=<script>",
])
def test_no_other_address_is_taken_as_the_way_back(client, unit, back):
    assert kiosk_address(back) is None
    html = client.get("/fi/p/anonymity", query_string={"back": back}).get_data(as_text=True)
    assert _refresh(html) is None and "kiosk.js" not in html
    assert "evil.example" not in html and "<script>" not in html.split("<body", 1)[1]


def test_a_kiosk_address_is_rebuilt_from_its_checked_parts():
    assert kiosk_address("/sv/k/KAJ-AN?lang=sv") == "/sv/k/KAJ-AN?lang=sv"
    assert kiosk_address("/fi-x-selko/k/KAJ-AN") == "/fi-x-selko/k/KAJ-AN"
    assert kiosk_address("/fi/k/KAJ-AN?lang=fi&variant=selko") == \
        "/fi/k/KAJ-AN?lang=fi&variant=selko"
    assert kiosk_address("") is None and kiosk_address(None) is None
