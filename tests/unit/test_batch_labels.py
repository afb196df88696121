"""Batch labels: every selectable class of a released batch holds 0 or at least k comments."""

from __future__ import annotations

from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.privacy.batch_labels import batch_labels, score_group

LANGUAGES = st.sampled_from(["fi", "sv", "en", "fi-x-selko", None])
GROUPS = st.sampled_from(["detractor", "passive", "promoter", None])


def selectable_classes(languages, groups):
    """Every set a reader can select with a language and/or group filter (independent check)."""
    language_values = set(languages) | {"*"}
    group_values = set(groups) | {"*"}
    for lang, group in product(language_values, group_values):
        members = [i for i in range(len(languages))
                   if lang in ("*", languages[i]) and group in ("*", groups[i])]
        if lang == "*" and group == "*":
            continue
        yield lang, group, members


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(LANGUAGES, GROUPS), min_size=10, max_size=80),
       st.integers(min_value=3, max_value=10))
def test_no_filter_or_remainder_selects_fewer_than_k(comments, k):
    languages, groups = batch_labels([c[0] for c in comments], [c[1] for c in comments], k)
    for _lang, _group, members in selectable_classes(languages, groups):
        assert len(members) == 0 or len(members) >= k
    # The remainder of the batch outside any shown class is empty or at least k too.
    for values in (languages, groups):
        for value in set(values):
            rest = sum(1 for v in values if v != value)
            assert rest == 0 or rest >= k
    # A kept label is the comment's own label, never another one.
    for (lang, group), (kept_lang, kept_group) in zip(comments, zip(languages, groups,
                                                                     strict=True), strict=True):
        assert kept_lang in (None, lang) and kept_group in (None, group)


def test_two_large_classes_keep_both_labels():
    languages = ["fi"] * 6 + ["sv"] * 5
    groups = ["promoter"] * 6 + ["detractor"] * 5
    assert batch_labels(languages, groups, 5) == (languages, groups)


def test_a_small_class_takes_every_label_with_it_when_its_remainder_would_be_small():
    languages, groups = batch_labels(["fi"] * 12 + ["sv"] * 2, ["promoter"] * 14, 5)
    assert set(languages) == {None} and groups == ["promoter"] * 14


def test_small_cross_classes_drop_the_smaller_label():
    # Languages 8 fi / 8 sv, groups 8 promoter / 8 detractor, crossed 4/4/4/4: both labels
    # cannot stay; one label survives with classes of 8.
    languages = ["fi"] * 8 + ["sv"] * 8
    groups = (["promoter"] * 4 + ["detractor"] * 4) * 2
    kept_languages, kept_groups = batch_labels(languages, groups, 5)
    assert (set(kept_languages) == {None}) != (set(kept_groups) == {None})


def test_labels_need_one_per_comment():
    with pytest.raises(ValueError):
        batch_labels(["fi"], [], 5)


@pytest.mark.parametrize("score, group", [(0, "detractor"), (6, "detractor"), (7, "passive"),
                                          (8, "passive"), (9, "promoter"), (10, "promoter"),
                                          (None, None)])
def test_score_groups_follow_nps(score, group):
    assert score_group(score) == group

