"""Calendar periods in Europe/Helsinki: labels, boundaries, arithmetic, parsing, bucketing."""

from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.periods import (
    HELSINKI,
    Period,
    PeriodError,
    bucket_days,
    helsinki_day,
    helsinki_now,
    parse_period,
    period_of,
    periods_back,
)

granularities = st.sampled_from(["month", "quarter", "tertial", "year"])
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2026-03", date(2026, 3, 1), date(2026, 4, 1)),
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
        ("2026-Q1", date(2026, 1, 1), date(2026, 4, 1)),
        ("2026-Q4", date(2026, 10, 1), date(2027, 1, 1)),
        ("2026-T1", date(2026, 1, 1), date(2026, 5, 1)),
        ("2026-T2", date(2026, 5, 1), date(2026, 9, 1)),
        ("2026-T3", date(2026, 9, 1), date(2027, 1, 1)),
        ("2026", date(2026, 1, 1), date(2027, 1, 1)),
    ],
)
def test_a_period_runs_from_its_first_day_to_the_first_day_after_it(label, start, end):
    period = parse_period(label)
    assert (period.start, period.end, period.label, str(period)) == (start, end, label, label)


def test_tertials_are_january_to_april_may_to_august_and_september_to_december():
    assert [period_of(date(2026, m, 15), "tertial").index for m in range(1, 13)] == [1] * 4 + [
        2
    ] * 4 + [3] * 4


@pytest.mark.parametrize(
    ("label", "previous", "year_before"),
    [
        ("2026-01", "2025-12", "2025-01"),
        ("2026-Q1", "2025-Q4", "2025-Q1"),
        ("2026-T1", "2025-T3", "2025-T1"),
        ("2026", "2025", "2025"),
    ],
)
def test_previous_and_year_before_cross_year_boundaries(label, previous, year_before):
    period = parse_period(label)
    assert (period.previous().label, period.year_before().label) == (previous, year_before)


def test_shift_moves_forward_and_back_by_whole_periods():
    assert parse_period("2026-T3").shift(1).label == "2027-T1"
    assert parse_period("2026-11").shift(14).label == "2028-01"
    assert parse_period("2026-Q2").shift(-6).label == "2024-Q4"


def test_a_tertial_is_made_of_four_months_and_a_year_of_three_tertials():
    assert [p.label for p in parse_period("2026-T2").parts("month")] == [
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
    ]
    assert [p.label for p in parse_period("2026").parts("tertial")] == [
        "2026-T1",
        "2026-T2",
        "2026-T3",
    ]
    assert parse_period("2026-Q3").parts("quarter") == [parse_period("2026-Q3")]


@pytest.mark.parametrize(
    ("label", "granularity"),
    [("2026-Q1", "tertial"), ("2026-T1", "quarter"), ("2026-03", "quarter"), ("2026", "week")],
)
def test_parts_that_do_not_nest_are_refused(label, granularity):
    with pytest.raises(PeriodError):
        parse_period(label).parts(granularity)


def test_contains_includes_the_first_day_and_excludes_the_end():
    quarter = parse_period("2026-Q2")
    assert quarter.contains(date(2026, 4, 1)) and quarter.contains(date(2026, 6, 30))
    assert not quarter.contains(date(2026, 7, 1)) and not quarter.contains(date(2026, 3, 31))


def test_contains_takes_a_datetime_to_its_helsinki_day():
    assert parse_period("2026-04").contains(datetime(2026, 3, 31, 21, 30, tzinfo=UTC))


def test_helsinki_midnight_in_summer_time_is_21_utc():
    assert helsinki_day(datetime(2026, 3, 31, 21, 30, tzinfo=UTC)) == date(2026, 4, 1)
    assert helsinki_day(datetime(2026, 3, 31, 20, 59, tzinfo=UTC)) == date(2026, 3, 31)


def test_helsinki_midnight_in_winter_time_is_22_utc():
    assert helsinki_day(datetime(2026, 12, 31, 22, 0, tzinfo=UTC)) == date(2027, 1, 1)
    assert helsinki_day(datetime(2026, 12, 31, 21, 59, tzinfo=UTC)) == date(2026, 12, 31)


def test_a_naive_datetime_is_taken_as_utc():
    assert helsinki_day(datetime(2026, 3, 31, 21, 30)) == date(2026, 4, 1)


def test_an_aware_datetime_in_another_zone_is_converted():
    new_york = timezone(timedelta(hours=-4))
    assert helsinki_day(datetime(2026, 6, 30, 18, 0, tzinfo=new_york)) == date(2026, 7, 1)


def test_helsinki_now_is_aware_and_in_helsinki():
    assert helsinki_now().tzinfo is HELSINKI


def test_helsinki_day_refuses_a_plain_date():
    with pytest.raises(PeriodError, match="datetime"):
        helsinki_day(date(2026, 1, 1))


@pytest.mark.parametrize(
    "text",
    [
        "2026-13",
        "2026-00",
        "2026-Q5",
        "2026-Q0",
        "2026-T4",
        "abc",
        "",
        "1999",
        "2101-01",
        "2026-3",
        "2026-W12",
        "26-03",
        " 2026-Q1x",
    ],
)
def test_malformed_periods_are_refused_with_a_message_naming_the_text(text):
    with pytest.raises(PeriodError, match="is not a period"):
        parse_period(text)


def test_period_error_is_a_value_error_and_parse_period_refuses_non_text():
    assert issubclass(PeriodError, ValueError)
    with pytest.raises(PeriodError):
        parse_period(202603)


def test_parse_period_accepts_lower_case_letters_and_surrounding_space():
    assert parse_period(" 2026-q2 ") == Period("quarter", 2026, 2)
    assert parse_period("2026-t3") == Period("tertial", 2026, 3)


def test_periods_of_one_granularity_sort_chronologically():
    labels = ["2026-03", "2025-12", "2026-01", "2025-11"]
    assert [p.label for p in sorted(map(parse_period, labels))] == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-03",
    ]


def test_periods_back_lists_the_periods_ending_with_the_given_one_oldest_first():
    assert [p.label for p in periods_back(parse_period("2026-02"), 4)] == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    with pytest.raises(PeriodError):
        periods_back(parse_period("2026-02"), 0)


def test_bucket_days_gives_each_day_its_period_ordinal_and_the_distinct_periods():
    buckets = bucket_days(
        np.array(["2025-12-31", "2026-01-01", "2026-04-30", "2026-05-01"], dtype="datetime64[D]"),
        "tertial",
    )
    assert [p.label for p in buckets.periods] == ["2025-T3", "2026-T1", "2026-T2"]
    assert buckets.ordinals.tolist() == [
        p.ordinal for p in map(parse_period, ["2025-T3", "2026-T1", "2026-T1", "2026-T2"])
    ]


@pytest.mark.parametrize("bad", [["2026-01-01", "NaT"], ["1999-12-31"], ["2101-01-01"]])
def test_bucket_days_refuses_missing_days_and_years_out_of_range(bad):
    with pytest.raises(PeriodError):
        bucket_days(np.array(bad, dtype="datetime64[D]"), "month")


def test_unknown_granularity_is_refused():
    with pytest.raises(PeriodError, match="granularity"):
        period_of(date(2026, 1, 1), "week")


@settings(max_examples=100, deadline=None)
@given(days, granularities)
def test_every_day_lies_in_its_period_and_bucketing_agrees(day, granularity):
    period = period_of(day, granularity)
    assert period.contains(day) and period.start <= day < period.end
    assert (
        bucket_days(np.array([day], dtype="datetime64[D]"), granularity).ordinals[0]
        == period.ordinal
    )


@settings(max_examples=100, deadline=None)
@given(days, granularities)
def test_consecutive_periods_meet_without_gap_and_labels_round_trip(day, granularity):
    period = period_of(day, granularity)
    assert parse_period(period.label) == period
    if period.year > 2000:
        assert period.previous().end == period.start
