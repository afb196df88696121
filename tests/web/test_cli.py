"""The ``survey-app`` commands through Flask's CLI runner."""

import json

from sqlalchemy import select

from survey_app.models import User

UNITS = ("code,parent_code,name_fi,name_sv,name_en,kind\n"
         "ROOT,,Kainuu,Kajanaland,Kainuu,both\n"
         "KUH,ROOT,Kuhmo,Kuhmo,Kuhmo,both\n")


def test_units_import_then_list_as_json(runner, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(UNITS, encoding="utf-8")
    result = runner.invoke(args=["units", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Created 2" in result.output
    listed = runner.invoke(args=["units", "list", "--format", "json"])
    rows = json.loads(listed.output)
    assert [(r["code"], r["parent_code"]) for r in rows] == [("ROOT", None), ("KUH", "ROOT")]


def test_units_import_of_a_bad_file_exits_nonzero_with_every_line(runner, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(UNITS + "X,NOPE,x,x,x,both\nY,,,y,y,both\n", encoding="utf-8")
    result = runner.invoke(args=["units", "import", str(path)])
    assert result.exit_code == 1
    assert "line 4: unknown parent NOPE" in result.output
    assert "line 5: empty name in column name_fi" in result.output
    assert runner.invoke(args=["units", "list", "--format", "json"]).output.strip() == "[]"


def test_units_list_as_a_tree(runner, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(UNITS, encoding="utf-8")
    runner.invoke(args=["units", "import", str(path)])
    output = runner.invoke(args=["units", "list"]).output
    assert output.splitlines() == ["ROOT  Kainuu  [both]", "  KUH  Kuhmo  [both]"]


def test_users_create_list_disable_and_set_password(runner, session, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(UNITS, encoding="utf-8")
    runner.invoke(args=["units", "import", str(path)])
    created = runner.invoke(args=["users", "create", "maija", "--role", "manager", "--unit", "KUH",
                                  "--password", "long enough password"])
    assert created.exit_code == 0, created.output
    assert "maija\tmanager\tKUH\tactive" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "disable", "maija"]).exit_code == 0
    assert "maija\tmanager\tKUH\tdisabled" in runner.invoke(args=["users", "list"]).output
    old_hash = session.scalar(select(User.password_hash))
    changed = runner.invoke(args=["users", "set-password", "maija", "--password",
                                  "another long password"])
    assert changed.exit_code == 0
    session.expire_all()
    assert session.scalar(select(User.password_hash)) != old_hash
    assert old_hash.startswith("$argon2id$")


def test_users_create_refuses_a_short_password_and_a_manager_without_units(runner):
    short = runner.invoke(args=["users", "create", "a", "--role", "hr", "--password", "short"])
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    lonely = runner.invoke(args=["users", "create", "b", "--role", "manager", "--password",
                                 "long enough password"])
    assert lonely.exit_code == 1 and "at least one unit" in lonely.output
