"""Comment redaction: identity codes, phone numbers, e-mail addresses, cleaning and the cap."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.privacy.redaction import (
    EMAIL_PLACEHOLDER,
    ID_PLACEHOLDER,
    PHONE_PLACEHOLDER,
    redact,
    redact_comment,
)

CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
SIGNS_1800 = "+"
SIGNS_1900 = "-YXWVU"
SIGNS_2000 = "ABCDEF"
VALID_HETU = re.compile(r"(\d{6})([-+ABCDEFYXWVU])(\d{3})([0-9A-Y])")


def check_char(ddmmyy: str, nnn: str) -> str:
    """Independent test-side checksum: DDMMYYNNN mod 31 into the check alphabet."""
    return CHECK[int(ddmmyy + nnn) % 31]


def hetu(ddmmyy: str, sign: str, nnn: str) -> str:
    return f"{ddmmyy}{sign}{nnn}{check_char(ddmmyy, nnn)}"


def contains_valid_hetu(text: str) -> bool:
    return any(
        check_char(m.group(1), m.group(3)) == m.group(4) for m in VALID_HETU.finditer(text)
    )


def test_checksum_helper_matches_the_published_example():
    assert hetu("131052", "-", "308") == "131052-308T"


@pytest.mark.parametrize("sign", list(SIGNS_1800 + SIGNS_1900 + SIGNS_2000))
def test_valid_code_with_every_century_sign_is_redacted(sign):
    code = hetu("010594", sign, "239")
    redacted = redact_comment(f"Minun hetu on {code}, kiitos.")
    assert redacted == f"Minun hetu on {ID_PLACEHOLDER}, kiitos."


@pytest.mark.parametrize(
    "near_miss",
    [
        "131052-308X",  # wrong checksum
        "131052-308t",  # lowercase check character
        "131052a308t",  # lowercase sign
        "131052 - 308T",  # spaces around the sign
        "131052 -308T",
        "131052-308",  # check character missing
        "131052\u2013308T",  # en dash instead of hyphen
        "131052308T",  # sign dropped, letter check character
        "０１０５９４Y２３９F",  # full-width digits
        "131052/308T",  # slash, dot or underscore for the sign
        "131052.308T",
        "131052_308T",
        "131052 / 308T",
        "131052\t-\t308T",  # tab around the sign
        "131052  -  308T",  # two spaces around the sign
        "131052 _-_ 308T",
        "13.10.52-308T",  # the date written with dots
        "13/10/52-308T",
        "13105O-3O8T",  # letter O for zero
        "13.1O.52/3O8T",
        "131052/3140",  # checksum-valid digit at the end
    ],
)
def test_near_miss_identity_codes_are_redacted(near_miss):
    result = redact(f"tunnus {near_miss} loppu")
    assert result.text == f"tunnus {ID_PLACEHOLDER} loppu"
    assert result.ids == 1


def test_code_glued_to_a_word_is_still_redacted():
    assert redact_comment("hetu:" + hetu("311299", "A", "123")) == "hetu:" + ID_PLACEHOLDER
    assert redact_comment("hetu" + hetu("311299", "A", "123") + "x") == f"hetu{ID_PLACEHOLDER}x"


@pytest.mark.parametrize(
    "ordinary",
    [
        "Kävin 13.10.2025 ja odotin 5 minuuttia.",
        "Aika 2026-03-15 klo 8-16 oli hyvä.",
        "Annoin 9/10, vuonna 2026 taas.",
        "numero 131052 ei ole tunnus",
        "arvosana 0-10 ja 1 200 000 euroa",
        "Huone 123, kerros 4, 45 min jonossa",
        "pvm 01-02-2026",
        "1310523081 ei ole tunnus",  # no sign, last digit not the valid check
        "klo 08:00-16:00",
    ],
)
def test_dates_times_and_small_numbers_are_kept(ordinary):
    assert redact_comment(ordinary) == ordinary


@pytest.mark.parametrize(
    "phone",
    [
        "040 123 4567",
        "040-123 4567",
        "0401234567",
        "041 1234567",
        "044-1234567",
        "045 123 45 67",
        "046 1234 567",
        "050 123 4567",
        "08 6155 1234",  # Kainuu landline
        "(08) 615 512",
        "09 123 4567",
        "(09) 1234 5678",
        "+358 40 123 4567",
        "+358401234567",
        "+358 (0)40 123 4567",
        "+358-9-123 4567",
        "00358 40 123 4567",
        "00358 8 615 5123",
        "+46 70 123 45 67",
        "٠٤٠١٢٣٤٥٦٧",  # Arabic-Indic digits
        "040\u00a0123\u00a04567",  # no-break spaces
        "040.123.4567",  # dots and slashes
        "040/1234567",
        "040/123 4567",
        "09/123 4567",
        "08.6155.1234",
        "050.1234567",
    ],
)
def test_phone_numbers_are_redacted(phone):
    result = redact(f"Soita {phone}, kiitos")
    assert result.text == f"Soita {PHONE_PLACEHOLDER}, kiitos"
    assert result.phones == 1


@pytest.mark.parametrize(
    "email",
    [
        "matti.meikalainen@esimerkki.fi",
        "Matti_M+hoito@sote.kainuu.fi",
        "mäki-kärkkäinen@esimerkki.fi",
        "a@b.fi",
        "nimi @ esimerkki.fi",
        "matti(at)esimerkki.fi",  # the @ written out
        "matti (at) esimerkki.fi",
        "matti[at]esimerkki.fi",
        "matti(a)esimerkki.fi",
        "matti (ät) esimerkki.fi",
        "matti.virtanen at esimerkki.fi",
        "matti_v at esimerkki.fi",
        "matti at sote.kainuu.fi",
        "matti at esimerkki dot fi",
        "matti(at)esimerkki(dot)fi",
        "MATTI (AT) ESIMERKKI.FI",
    ],
)
def test_email_addresses_are_redacted(email):
    result = redact(f"Ota yhteyttä <{email}>.")
    assert result.text == f"Ota yhteyttä <{EMAIL_PLACEHOLDER}>."
    assert result.emails == 1


@pytest.mark.parametrize(
    "loose",
    ["131052/308", "13.10.52-308", "131052 / 308 kpl", "13105O-3O81"],
)
def test_loose_spellings_without_a_plausible_check_character_are_kept(loose):
    # Order numbers and date ranges look like this; without a letter or a valid check
    # character there is nothing to tell them from a code written loosely.
    assert redact_comment(f"numero {loose} loppu") == f"numero {loose} loppu"


def test_a_spoken_at_before_a_web_address_is_ordinary_text():
    assert redact_comment("I booked it at omakanta.fi") == "I booked it at omakanta.fi"


def test_at_sign_without_a_domain_is_kept():
    assert redact_comment("tavataan @ 5.50 tai @kela") == "tavataan @ 5.50 tai @kela"


def test_counts_report_every_kind_without_the_originals():
    text = f"{hetu('010203', 'B', '004')} 040 1234567 x@y.fi ja 0451234567"
    result = redact(text)
    assert (result.ids, result.phones, result.emails, result.redacted) == (1, 2, 1, 4)
    assert "040" not in repr(result) and "x@y" not in repr(result)


def test_control_characters_are_removed_but_newlines_and_tabs_kept():
    assert redact_comment("a\x00b\x07c\r\nd\te\u202ef\u200bg") == "abc\nd\tefg"


def test_text_is_normalised_to_nfc_and_trimmed():
    assert redact_comment("  Pa\u0308iva\u0308 \n") == "Päivä"


def test_invisible_characters_cannot_split_an_identity_code():
    assert redact_comment("131\u200b052-308T") == ID_PLACEHOLDER


def test_long_text_is_capped_and_flagged():
    result = redact("a" * 3000, max_length=2000)
    assert len(result.text) == 2000 and result.truncated


def test_cap_never_leaves_a_phone_number_half_cut_into_a_new_one():
    text = "x" * 10 + " 0401234567890123"
    once = redact_comment(text, max_length=21)
    assert once == redact_comment(once, max_length=21)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_max_length_must_be_a_positive_integer(bad):
    with pytest.raises(ValueError, match="max_length"):
        redact_comment("x", max_length=bad)


def test_non_string_input_is_a_type_error():
    with pytest.raises(TypeError):
        redact_comment(b"bytes")  # type: ignore[arg-type]


ddmmyy = st.builds(
    lambda d, m, y: f"{d:02d}{m:02d}{y:02d}",
    st.integers(1, 28), st.integers(1, 12), st.integers(0, 99),
)
hetus = st.builds(
    hetu, ddmmyy, st.sampled_from(SIGNS_1800 + SIGNS_1900 + SIGNS_2000),
    st.integers(2, 999).map(lambda n: f"{n:03d}"),
)
pieces = st.one_of(
    st.text(max_size=20),
    st.text(alphabet="0123456789 -+()@.aAfi", max_size=20),
    hetus,
    st.sampled_from(["040 123 4567", "+358 9 1234567", "x@y.fi", "\x00", "\n", " "]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(pieces, max_size=8), st.integers(1, 120))
def test_redaction_is_idempotent_capped_and_leaves_no_valid_code(parts, cap):
    text = "".join(parts)
    once = redact_comment(text, max_length=cap)
    assert redact_comment(once, max_length=cap) == once
    assert len(once) <= cap
    assert not contains_valid_hetu(once)
    assert not contains_valid_hetu(redact_comment(text))
