"""`survey-app score`: scoring CSV exports through the command, and refusing bad files whole."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from survey_app.cli_score import score_command
from survey_app.scoring import nps_interval


@pytest.fixture
def make_csv(tmp_path):
    """Write CSV text to a file and return its path."""

    def make(text: str, name: str = "export.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


def run(*args):
    """Invoke the command and return the result (stdout and stderr kept apart)."""
    return CliRunner().invoke(score_command, [str(a) for a in args], catch_exceptions=False)


NPS_CSV = """unit,period,score,channel
Kotka,2026-03,10,sms
Kotka,2026-03,9,qr
Kotka,2026-03,3,kiosk
Kotka,2026-03,,kiosk
Hamina,2026-03,7,web
Hamina,2026-04,0,web
"""


def test_score_nps_prints_one_json_row_per_unit_and_period_matching_nps_interval(make_csv):
    result = run("nps", make_csv(NPS_CSV), "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["method"] == "score-cc" and document["confidence"] == 0.95
    rows = {(r["unit"], r["period"]): r for r in document["rows"]}
    assert set(rows) == {("Hamina", "2026-03"), ("Hamina", "2026-04"), ("Kotka", "2026-03")}
    kotka = rows["Kotka", "2026-03"]
    expected = nps_interval(1, 0, 2)
    assert (kotka["n"], kotka["nps"]) == (3, round(expected.value, 2))
    assert (kotka["low"], kotka["high"]) == (round(expected.low, 2), round(expected.high, 2))


def test_an_empty_score_is_a_dont_know_and_left_out_of_n(make_csv):
    rows = json.loads(run("nps", make_csv(NPS_CSV), "--format", "json").stdout)["rows"]
    assert sum(row["n"] for row in rows) == 5


def test_score_enps_by_unit_in_csv_names_the_value_column_enps(make_csv):
    result = run("enps", make_csv(NPS_CSV), "--by", "unit", "--format", "csv", "--method", "wald")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "unit,n,detractors,passives,promoters,enps,low,high"
    assert lines[1].startswith("Hamina,2,1,1,0,-50.0,")


def test_the_default_table_lists_a_header_and_every_group(make_csv):
    result = run("nps", make_csv(NPS_CSV))
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "unit",
        "period",
        "n",
        "detractors",
        "passives",
        "promoters",
        "nps",
        "low",
        "high",
    ]
    assert len(lines) == 4


def test_an_empty_by_gives_one_total_row(make_csv):
    rows = json.loads(run("nps", make_csv(NPS_CSV), "--by", "", "--format", "json").stdout)["rows"]
    assert len(rows) == 1 and rows[0]["n"] == 5 and "unit" not in rows[0]


def test_dates_are_bucketed_in_helsinki_time_to_the_requested_period(make_csv):
    text = (
        "unit,period,score\n"
        "A,2026-03-31T21:30:00Z,10\nA,2026-03-31,0\nA,2026-08-31,9\nA,2026-09-01,9\n"
    )
    rows = json.loads(run("nps", make_csv(text), "--period", "tertial", "--format", "json").stdout)[
        "rows"
    ]
    assert [(r["period"], r["n"]) for r in rows] == [("2026-T1", 2), ("2026-T2", 1), ("2026-T3", 1)]


def test_month_labels_roll_up_into_quarters(make_csv):
    rows = json.loads(
        run(
            "nps", make_csv(NPS_CSV), "--by", "period", "--period", "quarter", "--format", "json"
        ).stdout
    )["rows"]
    assert [(r["period"], r["n"]) for r in rows] == [("2026-Q1", 4), ("2026-Q2", 1)]


def test_semicolon_separated_files_with_a_bom_are_read(make_csv):
    path = make_csv("")
    path.write_bytes("\ufeffunit;period;score\nA;2026-01;9\n".encode())
    rows = json.loads(run("nps", path, "--format", "json").stdout)["rows"]
    assert rows[0]["unit"] == "A" and rows[0]["promoters"] == 1


def test_bad_rows_are_all_reported_with_line_numbers_and_nothing_is_printed(make_csv):
    text = "unit,period,score\nA,2026-03,10\nA,2026-13,5\n,2026-03,11\nA,2026-03\nA,2026-03,x\n"
    result = run("nps", make_csv(text))
    assert result.exit_code == 1
    assert result.stdout == ""
    errors = result.stderr.splitlines()
    assert errors[:5] == [
        "line 3: '2026-13' is not a period: a year has no month number 13 (1–12)",
        "line 4: the unit is empty",
        "line 4: score '11' is not a whole number from 0 to 10",
        "line 5: expected 3 fields, found 2",
        "line 6: score 'x' is not a whole number from 0 to 10",
    ]
    assert "nothing was scored" in errors[-1]


def test_a_missing_column_is_reported_against_the_header(make_csv):
    result = run("nps", make_csv("unit,when,score\nA,2026-03,10\n"))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("line 1: missing column(s) period")


def test_mixed_period_kinds_need_a_granularity(make_csv):
    result = run("nps", make_csv("unit,period,score\nA,2026-03,10\nA,2026-Q2,5\n"))
    assert result.exit_code == 1 and "--period" not in result.stdout
    assert "mixes periods" in result.stderr
    assert (
        run(
            "nps", make_csv("unit,period,score\nA,2026-03,10\nA,2026-Q2,5\n"), "--period", "year"
        ).exit_code
        == 0
    )


def test_a_period_that_does_not_nest_in_the_granularity_is_a_bad_row(make_csv):
    result = run("nps", make_csv("unit,period,score\nA,2026-Q2,10\n"), "--period", "tertial")
    assert (
        result.exit_code == 1
        and "line 2: period 2026-Q2 does not fit in a single tertial" in result.stderr
    )


QWL_CSV = """unit,period,safety_1,safety_2,belonging_1,belonging_2,goals_1,goals_2
Ward 3,2026-T1,5,4,4,4,3,3
Ward 3,2026-T1,3,3,3,3,3,3
Ward 3,2026-T1,4,4,5,5,4,4
Ward 5,2026-T1,1,2,,2,1,1
"""


def test_score_qwl_gives_the_mean_index_with_a_t_interval_and_factor_means(make_csv):
    result = run("qwl", make_csv(QWL_CSV), "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    ward3, ward5 = rows
    assert ward3["n"] == 3 and ward3["low"] < ward3["qwl"] < ward3["high"]
    assert ward3["safety"] == pytest.approx((87.5 + 50 + 75) / 3, abs=0.01)
    assert (ward5["n"], ward5["low"], ward5["high"]) == (1, None, None)


def test_qwl_answers_off_the_scale_are_bad_rows(make_csv):
    result = run("qwl", make_csv(QWL_CSV), "--scale", "2-5")
    assert result.exit_code == 1 and result.stdout == ""
    assert "line 5: safety_1 '1' is not an answer from 2 to 5" in result.stderr


def test_qwl_needs_item_columns_for_all_three_factors(make_csv):
    result = run("qwl", make_csv("unit,period,safety_1\nA,2026,3\n"))
    assert result.exit_code == 1 and "belonging_competence, goals_creativity" in result.stderr


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["--by", "ward"], "--by"),
        (["--confidence", "1.5"], "--confidence"),
        (["--method", "exact"], "--method"),
        (["--scale", "five"], "--scale"),
    ],
)
def test_bad_options_are_usage_errors(make_csv, args, hint):
    result = run("nps", make_csv(NPS_CSV), *args)
    assert result.exit_code == 2 and hint in result.stderr
