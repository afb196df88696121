"""Answering the resident questionnaire in a real browser with the keyboard only."""

from __future__ import annotations

import re

import pytest

from tests.e2e.resident_seed import choose, seed_unit, stored_responses, tab_to, wait_for

pytestmark = pytest.mark.browser


def answer_with_keyboard(page, comment: str) -> None:
    """Recommendation 9, open "tell us more", statements 4, 5, cannot say, 1, 5, a comment,
    then Enter on the last send (issue 15: a Send and the optional part follow question 1)."""
    tab_to(page, "input[name=recommend]")
    choose(page, 9)
    page.keyboard.press("Tab")
    assert page.locator("#send-short:focus").count() == 1
    page.keyboard.press("Tab")
    assert page.locator("details.more summary:focus").count() == 1
    page.keyboard.press("Enter")
    for steps in (3, 4, 5, 0, 4):
        page.keyboard.press("Tab")
        choose(page, steps)
    page.keyboard.press("Tab")
    assert page.locator("textarea#comment:focus").count() == 1
    page.keyboard.type(comment)
    page.keyboard.press("Tab")
    assert page.locator("#send-all:focus").count() == 1
    page.keyboard.press("Enter")


@pytest.mark.parametrize(("path", "language", "thanks"), [
    ("/fi/s/KEY-FI?ch=qr", "fi", "Kiitos palautteestasi"),
    ("/ar/s/KEY-AR?ch=qr", "ar", "شكرًا لك على رأيك"),
    ("/fi/s/KEY-SELKO?ch=qr&variant=selko", "fi-x-selko", "Kiitos palautteestasi"),
])
def test_questionnaire_answered_with_keyboard_only(live_server, page, path, language, thanks):
    code = path.split("/")[3].split("?")[0]
    seed_unit(live_server, code)
    page.goto(live_server.url + path)
    answer_with_keyboard(page, "Hyvä käynti, soita 040 123 4567")
    page.wait_for_url(re.compile(rf"/{code}/thanks"))
    assert thanks in page.locator("h1").inner_text()
    [row] = stored_responses(live_server, code)
    assert (row.language, row.channel, row.score) == (language, "qr", 9)
    assert row.answers == {"timely_access": 4, "listened_to": 5, "safety": None,
                           "clear_information": 1, "useful": 5}
    assert row.comment == "Hyvä käynti, soita [PHONE]"


def test_arabic_page_is_mirrored(live_server, page):
    seed_unit(live_server, "KEY-AR")
    page.goto(f"{live_server.url}/ar/s/KEY-AR")
    assert page.locator("html").get_attribute("dir") == "rtl"
    zero = page.locator("label:has(#recommend)").bounding_box()
    ten = page.locator("label:has(#recommend-10)").bounding_box()
    assert zero["y"] == ten["y"] or zero["x"] > ten["x"]
    first_row_one = page.locator("label:has(#recommend-1)").bounding_box()
    assert zero["x"] > first_row_one["x"]


def test_kiosk_answered_with_keyboard_returns_to_the_start_by_itself(live_server, page):
    seed_unit(live_server, "KEY-KIOSK")
    live_server.app.config["KIOSK_RETURN_SECONDS"] = 1
    try:
        page.goto(f"{live_server.url}/fi/k/KEY-KIOSK")
        tab_to(page, "#recommend-10")        # issue 15: one button per score, one press
        page.keyboard.press("Enter")
        page.wait_for_selector("input[name=token]", state="attached")
        tab_to(page, "button.send")          # "Valmis" (done) on the follow-up page
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/fi/k/KEY-KIOSK/thanks$"))
        assert "Kiitos palautteestasi" in page.locator("h1").inner_text()
        page.wait_for_url(re.compile(r"/fi/k/KEY-KIOSK$"), timeout=5000)
    finally:
        live_server.app.config.pop("KIOSK_RETURN_SECONDS")
    [row] = stored_responses(live_server, "KEY-KIOSK")
    assert (row.channel, row.score, row.answers) == ("kiosk", 10, {})


def test_kiosk_targets_are_large(live_server, page):
    seed_unit(live_server, "KEY-KIOSK")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/fi/k/KEY-KIOSK")
    box = page.locator("#recommend-5").bounding_box()
    assert box["height"] >= 64 and box["width"] >= 64
    page.locator("#recommend-5").click()
    page.wait_for_selector("input[name=token]", state="attached")
    assert page.locator("button.send").bounding_box()["height"] >= 60


def test_questionnaire_works_without_javascript(live_server, page_without_js):
    page = page_without_js
    seed_unit(live_server, "NOJS")
    page.goto(f"{live_server.url}/sv/s/NOJS?ch=sms")
    page.locator("button.send").click()
    assert page.locator("#error-summary a[href='#recommend']").count() == 1
    page.locator("label:has(#recommend-7)").click()
    page.locator("details.more summary").click()      # <details> opens without JavaScript
    page.locator("label:has(#useful-5)").click()
    page.locator("button.send").click()
    page.wait_for_url(re.compile(r"/sv/s/NOJS/thanks\?ch=sms$"))
    wait_for(lambda: len(stored_responses(live_server, "NOJS")) == 1)
    [row] = stored_responses(live_server, "NOJS")
    assert (row.language, row.channel, row.score, row.answers) == ("sv", "sms", 7, {"useful": 5})
