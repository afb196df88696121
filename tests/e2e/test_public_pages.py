"""The front page and the accessibility statement in a real browser."""

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fi", "sv", "ar"])
def test_accessibility_statement_passes_axe(live_server, page, lang):
    page.goto(f"{live_server.url}/{lang}/accessibility")
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page)


def test_arabic_front_page_is_right_to_left_and_passes_axe(live_server, page):
    page.goto(f"{live_server.url}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(page)
