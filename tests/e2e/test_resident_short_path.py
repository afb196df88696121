"""Issue 15 in a real browser: the short phone path, text enlarged to 200 % at 320 px, the
one-tap kiosk that forgets its visitor, and the compact language choice; axe-core on each."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import assert_accessible
from tests.e2e.resident_seed import seed_unit, stored_responses, wait_for

pytestmark = pytest.mark.browser
LANGS = ["fi", "sv", "ar"]
PHONE = {"width": 390, "height": 844}

#: Every element a person can see, outside [0, viewport width]: the deliberately off-screen
#: skip link (until focused), honeypot and screen-reader texts are not seen.
OUTSIDE = """() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.skip-link, .hp, .visually-hidden')) continue;
    const box = el.getBoundingClientRect();
    if (!box.width && !box.height) continue;
    if (box.left < -0.5 || box.right > window.innerWidth + 0.5)
      out.push(`${el.tagName}.${el.className} ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  return out;
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


def enlarge_text(page, percent: int) -> None:
    """The browser's own text size setting (not zoom): the default font size, via CDP."""
    size = 16 * percent // 100
    session = page.context.new_cdp_session(page)
    session.send("Page.setFontSizes", {"fontSizes": {"standard": size, "fixed": size * 13 // 16}})


def assert_fits(page, width: int) -> None:
    """No horizontal scroll and nothing visible outside the viewport."""
    assert page.evaluate("window.innerWidth") == width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OUTSIDE) == []


# --- the short path on a phone ----------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_phone_answer_sent_after_question_one_is_stored_once(live_server, phone, lang):
    code = f"SHORT-{lang.upper()}"
    seed_unit(live_server, code)
    phone.goto(f"{live_server.url}/{lang}/s/{code}?ch=sms")
    send = phone.locator("#send-short")
    assert send.bounding_box()["y"] + send.bounding_box()["height"] < PHONE["height"]
    phone.locator("label:has(#recommend-8)").click()
    send.click()
    phone.wait_for_selector("input[name=token]", state="attached")
    assert_accessible(phone)
    wait_for(lambda: len(stored_responses(live_server, code)) == 1)
    [row] = stored_responses(live_server, code)
    assert (row.score, row.answers, row.comment, row.channel) == (8, {}, None, "sms")
    phone.reload()      # the browser posts the same form again: still one answer
    phone.wait_for_selector("input[name=token]", state="attached")
    assert len(stored_responses(live_server, code)) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_a_phone_answer_completed_with_the_optional_part_is_one_answer(live_server, phone,
                                                                        lang):
    code = f"MORE-{lang.upper()}"
    seed_unit(live_server, code)
    phone.goto(f"{live_server.url}/{lang}/s/{code}?ch=qr")
    phone.locator("label:has(#recommend-9)").click()
    phone.locator("#send-short").click()
    phone.locator("label:has(#timely_access-4)").click()
    phone.locator("label:has(#useful-5)").click()
    phone.locator("#comment").fill("Hyvä, kirjoita matti(at)esimerkki.fi")
    phone.locator("button.send").click()
    phone.wait_for_url(re.compile(rf"/{lang}/s/{code}/thanks\?ch=qr$"))
    assert_accessible(phone)
    [row] = stored_responses(live_server, code)
    assert (row.score, row.language, row.channel) == (9, lang, "qr")
    assert row.answers == {"timely_access": 4, "useful": 5}
    assert row.comment == "Hyvä, kirjoita [EMAIL]"


def test_the_whole_form_sent_at_the_end_is_one_answer_too(live_server, phone):
    seed_unit(live_server, "WHOLE")
    phone.goto(f"{live_server.url}/fi/s/WHOLE")
    phone.locator("label:has(#recommend-6)").click()
    phone.locator("details.more summary").click()
    assert_accessible(phone)
    phone.locator("label:has(#safety-cannot-say)").click()
    phone.locator("#send-all").click()
    phone.wait_for_url(re.compile(r"/fi/s/WHOLE/thanks$"))
    [row] = stored_responses(live_server, "WHOLE")
    assert (row.score, row.answers) == (6, {"safety": None})


# --- text size and width ----------------------------------------------------------------


@pytest.mark.parametrize(("width", "percent"), [(320, 100), (320, 200), (390, 200),
                                                (1280, 200)])
def test_the_pages_reflow_with_larger_text_and_narrow_screens(live_server, browser, width,
                                                              percent):
    seed_unit(live_server, "REFLOW")
    context = browser.new_context(viewport={"width": width, "height": 700})
    page = context.new_page()
    try:
        enlarge_text(page, percent)
        page.goto(f"{live_server.url}/fi/s/REFLOW?ch=qr")
        assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == \
            f"{16 * percent // 100}px"          # a real text-size change, not zoom
        assert page.evaluate("window.devicePixelRatio") == 1
        page.locator("details.languages summary").click()
        page.locator("details.more summary").click()
        assert_fits(page, width)
        boxes = [page.locator(f"label:has(#recommend{'-' + str(v) if v else ''})")
                 .bounding_box() for v in range(11)]
        assert len({round(box["y"]) for box in boxes}) >= (2 if width < 1000 else 1)
        page.locator("label:has(#recommend-10)").click()
        page.locator("#send-short").click()
        page.wait_for_selector("input[name=token]", state="attached")
        assert_fits(page, width)
        page.goto(f"{live_server.url}/ar/k/REFLOW")
        assert_fits(page, width)
        page.locator("#recommend-10").click()
        page.wait_for_selector("input[name=token]", state="attached")
        assert_fits(page, width)
    finally:
        context.close()


# --- the kiosk --------------------------------------------------------------------------


def test_an_arabic_kiosk_answer_is_followed_by_the_next_visitor_in_the_default_language(
        live_server, page):
    seed_unit(live_server, "KIOSK-AR")
    live_server.app.config["KIOSK_RETURN_SECONDS"] = 1
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{live_server.url}/fi/k/KIOSK-AR")
        assert page.context.cookies() == []
        page.locator("details.languages summary").click()
        page.locator("a[hreflang=ar]").click()
        page.wait_for_url(re.compile(r"/ar/k/KIOSK-AR$"))
        assert_accessible(page)
        box = page.locator("#recommend-7").bounding_box()
        assert box["width"] >= 64 and box["height"] >= 80      # tapped while standing
        page.locator("#recommend-7").click()                   # one tap stores the answer
        page.wait_for_selector("input[name=token]", state="attached")
        assert_accessible(page)
        page.locator("label:has(#listened_to-5)").click()
        page.locator("button.send").click()                    # "Done"
        page.wait_for_url(re.compile(r"/ar/k/KIOSK-AR/thanks$"))
        assert_accessible(page)
        page.wait_for_url(re.compile(r"/fi/k/KIOSK-AR$"), timeout=8000)
        assert page.locator("html").get_attribute("lang") == "fi"
        assert page.context.cookies() == []
        page.locator("#recommend-9").click()
        page.wait_for_selector("input[name=token]", state="attached")
    finally:
        live_server.app.config.pop("KIOSK_RETURN_SECONDS")
    rows = sorted(stored_responses(live_server, "KIOSK-AR"), key=lambda r: r.score)
    assert [(r.language, r.channel, r.score, r.answers) for r in rows] == [
        ("ar", "kiosk", 7, {"listened_to": 5}), ("fi", "kiosk", 9, {})]


@pytest.mark.parametrize("lang", LANGS)
def test_the_kiosk_pages_pass_axe(live_server, page, lang):
    seed_unit(live_server, "KIOSK-AXE")
    page.goto(f"{live_server.url}/{lang}/k/KIOSK-AXE?lang={lang}")
    assert_accessible(page)
    page.locator("#recommend-3").click()
    page.wait_for_selector("input[name=token]", state="attached")
    assert_accessible(page)
    page.locator("button.send").click()
    page.wait_for_url(re.compile(rf"/{lang}/k/KIOSK-AXE/thanks\?lang={lang}$"))
    assert_accessible(page)          # the meta refresh is in <noscript>: the script returns


@pytest.mark.parametrize("javascript", [True, False])
def test_an_abandoned_half_filled_kiosk_form_is_reset_after_the_idle_time(live_server,
                                                                           browser, javascript):
    code = f"IDLE-{int(javascript)}"
    seed_unit(live_server, code)
    live_server.app.config["KIOSK_IDLE_SECONDS"] = 2
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/sv/k/{code}?lang=fi")
        page.locator("#recommend-4").click()
        page.wait_for_selector("input[name=token]", state="attached")
        page.locator("label:has(#safety-2)").click()
        page.locator("#comment").fill("halvfärdig")
        assert page.locator("input:checked").count() == 1
        page.wait_for_url(re.compile(rf"/fi/k/{code}\?lang=fi$"), timeout=10000)
        assert page.locator("html").get_attribute("lang") == "fi"
        assert page.locator("input:checked").count() == 0
        assert page.locator("#comment").count() == 0       # back on the blank first screen
        assert context.cookies() == []
    finally:
        live_server.app.config.pop("KIOSK_IDLE_SECONDS")
        context.close()
    [row] = stored_responses(live_server, code)      # the unsent extras are not kept
    assert (row.score, row.answers, row.comment, row.language) == (4, {}, None, "sv")


# --- the compact language choice --------------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False])
def test_the_compact_chooser_is_one_line_and_keeps_unit_and_channel(live_server, browser,
                                                                     javascript):
    code = f"CHOOSE-{int(javascript)}"
    seed_unit(live_server, code)
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/fi/s/{code}?ch=sms")
        header = page.locator(".site-header").bounding_box()
        assert header["height"] < 80                 # one line, not three rows
        assert not page.locator("a[hreflang=sv]").is_visible()
        page.locator("details.languages summary").click()
        if javascript:
            assert_accessible(page)
        page.locator("a[hreflang=sv]").click()
        page.wait_for_url(re.compile(rf"/sv/s/{code}\?ch=sms$"))
        assert "Svenska" in page.locator("details.languages summary").inner_text()
        page.locator("label:has(#recommend-10)").click()
        page.locator("#send-short").click()
        page.wait_for_selector("input[name=token]", state="attached")
    finally:
        context.close()
    [row] = stored_responses(live_server, code)
    assert (row.language, row.channel, row.score) == ("sv", "sms", 10)


def test_input_on_a_kiosk_page_restarts_the_idle_time(live_server, page):
    # The page's own timers run on Playwright's clock, moved by hand: no sleeping, no race.
    seed_unit(live_server, "IDLE-INPUT")
    live_server.app.config["KIOSK_IDLE_SECONDS"] = 3
    try:
        page.clock.install()
        page.goto(f"{live_server.url}/sv/k/IDLE-INPUT")      # home is the default, fi
        page.locator("#recommend-6").click()
        page.wait_for_selector("input[name=token]", state="attached")
        page.clock.run_for(2000)
        page.locator("#comment").press_sequentially("hyvä")      # input: the time restarts
        page.clock.run_for(2000)                                 # 4 s on the page, 2 s idle
        assert page.locator("#comment").input_value() == "hyvä"
        assert "/sv/k/IDLE-INPUT" in page.url
        page.clock.run_for(1500)                                 # 3.5 s idle: home
        page.wait_for_url(re.compile(r"/fi/k/IDLE-INPUT$"))
        assert page.locator("#comment").count() == 0
    finally:
        live_server.app.config.pop("KIOSK_IDLE_SECONDS")
