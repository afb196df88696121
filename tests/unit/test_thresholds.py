"""Anonymity thresholds: defaults, validation and reading them from configuration."""

import subprocess
import sys
from pathlib import Path

import pytest

from survey_app.privacy.thresholds import Thresholds

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_are_five_for_scores_and_ten_for_comments():
    assert Thresholds() == Thresholds(staff=5, resident=5, comments=10)


@pytest.mark.parametrize("field", ["staff", "resident", "comments"])
def test_a_threshold_below_three_is_refused_with_a_clear_message(field):
    with pytest.raises(ValueError, match=f"'{field}' is 2; it may never be below 3"):
        Thresholds(**{field: 2})


def test_three_is_the_smallest_allowed_threshold():
    assert Thresholds(staff=3, resident=3, comments=3).staff == 3


@pytest.mark.parametrize("bad", [4.5, "5", True, None])
def test_a_non_integer_threshold_is_refused(bad):
    with pytest.raises(ValueError, match="must be an integer"):
        Thresholds(staff=bad)


def test_from_config_reads_the_three_keys():
    config = {"PRIVACY_MIN_STAFF": 7, "PRIVACY_MIN_RESIDENT": "6", "PRIVACY_MIN_COMMENTS": 12}
    assert Thresholds.from_config(config) == Thresholds(staff=7, resident=6, comments=12)


def test_from_config_keeps_defaults_for_missing_keys():
    assert Thresholds.from_config({"SECRET_KEY": "x", "PRIVACY_MIN_STAFF": 8}) == Thresholds(
        staff=8
    )


@pytest.mark.parametrize("bad", ["five", 5.0, False])
def test_from_config_names_the_key_of_a_bad_value(bad):
    with pytest.raises(ValueError, match="PRIVACY_MIN_COMMENTS"):
        Thresholds.from_config({"PRIVACY_MIN_COMMENTS": bad})


def test_from_config_cannot_lower_a_threshold_below_three():
    with pytest.raises(ValueError, match="never be below 3"):
        Thresholds.from_config({"PRIVACY_MIN_RESIDENT": 1})


@pytest.mark.parametrize(("kind", "expected"), [("resident", 6), ("staff", 8), ("pulse", 8)])
def test_for_kind_maps_pulse_to_the_staff_threshold(kind, expected):
    assert Thresholds(staff=8, resident=6).for_kind(kind) == expected


def test_for_kind_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown survey kind 'comments'"):
        Thresholds().for_kind("comments")


def test_thresholds_are_immutable():
    with pytest.raises(AttributeError):
        Thresholds().staff = 1  # type: ignore[misc]


def test_importing_the_privacy_package_loads_neither_flask_nor_sqlalchemy():
    code = (
        "import sys, survey_app.privacy; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr
