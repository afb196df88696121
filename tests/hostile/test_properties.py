"""Property tests added by the hardening work (hypothesis, small example counts).

Scoring: mirror symmetry of every interval method, grouped results independent of answer
order and of how answers are split into batches. Redaction: generated phone numbers and
e-mail addresses inside arbitrary digit-free text are always removed, digit-free text is never
over-redacted, and no control character other than newline and tab survives.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.privacy import redact_comment
from survey_app.scoring import METHODS, grouped_nps, grouped_nps_from_counts, nps_interval

PROPERTY = settings(max_examples=60, deadline=None)
counts = st.integers(0, 80)
answers = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 10)), min_size=1, max_size=120)


@PROPERTY
@given(counts, counts, counts, st.sampled_from(METHODS),
       st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_swapping_detractors_and_promoters_mirrors_the_interval(d, m, p, method, level):
    result, mirrored = nps_interval(d, m, p, level, method), nps_interval(p, m, d, level, method)
    if d + m + p == 0:
        assert result.value is None and mirrored.value is None
        return
    assert mirrored.value == pytest.approx(-result.value, abs=1e-9)
    assert mirrored.low == pytest.approx(-result.high, abs=1e-6)
    assert mirrored.high == pytest.approx(-result.low, abs=1e-6)


@PROPERTY
@given(answers, st.integers(0, 2**32 - 1))
def test_grouped_nps_does_not_depend_on_the_order_of_answers(pairs, seed):
    keys, scores = (np.array(column) for column in zip(*pairs, strict=True))
    shuffled = list(pairs)
    random.Random(seed).shuffle(shuffled)
    keys2, scores2 = (np.array(column) for column in zip(*shuffled, strict=True))
    assert grouped_nps(keys, scores).rows() == grouped_nps(keys2, scores2).rows()


@PROPERTY
@given(answers, st.integers(1, 119), st.sampled_from(METHODS))
def test_counts_added_batch_by_batch_score_like_all_answers_at_once(pairs, cut, method):
    """What the aggregates do (one upsert per answer or per batch) scores like the raw answers."""
    cut = min(cut, len(pairs))
    batches = [pairs[:cut], pairs[cut:]]
    totals: dict[int, list[int]] = {}
    for batch in batches:
        for key, score in batch:
            row = totals.setdefault(key, [0, 0, 0])
            row[0 if score <= 6 else 1 if score <= 8 else 2] += 1
    ordered = sorted(totals)
    d, m, p = (np.array([totals[k][i] for k in ordered]) for i in range(3))
    from_counts = grouped_nps_from_counts(d, m, p, method=method).rows()
    keys, scores = (np.array(column) for column in zip(*pairs, strict=True))
    direct = grouped_nps(keys, scores, method=method).rows()
    for row, expected in zip(from_counts, direct, strict=True):
        for name in ("n", "value", "low", "high"):
            assert row[name] == pytest.approx(expected[name], abs=1e-9)


# --- redaction -------------------------------------------------------------------------------

words = st.text(alphabet=st.characters(categories=["L", "Zs", "P"], exclude_characters="@"),
                max_size=30)
separators = st.sampled_from([" ", "-", "", "\u00a0"])
mobile = st.builds(
    lambda prefix, a, b, s1, s2: f"{prefix}{s1}{a}{s2}{b}",
    st.sampled_from(["040", "041", "044", "045", "050", "+358 40", "+358 50", "00358 44"]),
    st.integers(100, 999).map(str), st.integers(1000, 9999).map(str), separators, separators)
emails = st.builds(
    lambda user, domain, tld: f"{user}@{domain}.{tld}",
    st.from_regex(r"[a-z][a-z0-9._]{0,12}[a-z0-9]", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True),
    st.sampled_from(["fi", "com", "org", "net"]))


@PROPERTY
@given(words, mobile, words)
def test_phone_numbers_in_any_text_are_removed(before, number, after):
    redacted = redact_comment(f"{before} {number} {after}")
    digits = "".join(ch for ch in number if ch.isdigit())
    # A number shaped like an identity code may come out as [ID]: removed either way.
    assert "[PHONE]" in redacted or "[ID]" in redacted
    assert digits[-7:] not in "".join(ch for ch in redacted if ch.isdigit())


@PROPERTY
@given(words, emails, words)
def test_email_addresses_in_any_text_are_removed(before, address, after):
    redacted = redact_comment(f"{before} {address} {after}")
    assert "[EMAIL]" in redacted and address not in redacted


def test_an_address_with_a_doubled_dot_is_still_removed():
    """Found by the property above: the local part's dots were matched one at a time."""
    assert redact_comment("kirjoita matti..virtanen@kainuu.fi") == "kirjoita [EMAIL]"


@PROPERTY
@given(words)
def test_text_without_digits_or_at_signs_loses_nothing_to_placeholders(text):
    redacted = redact_comment(text)
    assert not any(token in redacted for token in ("[ID]", "[PHONE]", "[EMAIL]"))


@PROPERTY
@given(st.text(max_size=200))
def test_no_control_character_but_newline_and_tab_survives(text):
    redacted = redact_comment(text)
    assert all(ch in "\n\t" or ord(ch) >= 32 and not 0x7f <= ord(ch) < 0xa0 for ch in redacted)
