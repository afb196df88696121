"""Unit CSV import: good files, every kind of bad file, nothing half-imported."""

import pytest
from sqlalchemy import func, select

from survey_app.models import AuditEvent, OrgUnit
from survey_app.services.units import UnitImportError, import_units, list_units, subtree

HEADER = "code,parent_code,name_fi,name_sv,name_en,kind\n"
GOOD = HEADER + (
    "ROOT,,Kainuun hyvinvointialue,Kajanalands välfärdsområde,Kainuu county,both\n"
    "TK,ROOT,Terveysasemat,Hälsostationer,Health centres,resident\n"
    "TK-KUH,TK,Kuhmon terveysasema,Hälsostationen i Kuhmo,Kuhmo health centre,both\n"
    "HAL,ROOT,Hallinto,Förvaltning,Administration,staff\n"
)


def unit_count(session) -> int:
    return session.scalar(select(func.count()).select_from(OrgUnit))


def test_import_creates_the_tree_with_materialised_paths(session):
    report = import_units(session, GOOD.encode())
    assert sorted(report.created) == ["HAL", "ROOT", "TK", "TK-KUH"]
    kuhmo = session.scalar(select(OrgUnit).where(OrgUnit.code == "TK-KUH"))
    assert kuhmo.parent.code == "TK"
    assert kuhmo.path == f"/{kuhmo.parent.parent.id}/{kuhmo.parent.id}/{kuhmo.id}/"
    assert [u.code for u in subtree(session, kuhmo.parent)] == ["TK", "TK-KUH"]


def test_import_is_idempotent_and_reports_updates(session):
    import_units(session, GOOD.encode())
    again = import_units(session, GOOD.encode())
    assert again.created == [] and again.updated == [] and again.unchanged == 4
    moved = GOOD.replace("TK-KUH,TK,", "TK-KUH,HAL,")
    report = import_units(session, moved.encode())
    assert report.updated == ["TK-KUH"]
    session.expire_all()
    kuhmo = session.scalar(select(OrgUnit).where(OrgUnit.code == "TK-KUH"))
    assert kuhmo.path.startswith(session.scalar(select(OrgUnit).where(OrgUnit.code == "HAL")).path)


def test_import_accepts_a_byte_order_mark_and_writes_an_audit_event(session):
    import_units(session, b"\xef\xbb\xbf" + GOOD.encode())
    assert unit_count(session) == 4
    assert session.scalar(select(AuditEvent.action)) == "units.import"


@pytest.mark.parametrize(("body", "line", "reason"), [
    ("X,NOPE,a,b,c,both\n", 2, "unknown parent NOPE"),
    ("A,,a,b,c,both\nA,,a,b,c,both\n", 3, "duplicate code A (first on line 3)"),
    ("A,B,a,b,c,both\nB,A,a,b,c,both\n", 2, "cycle"),
    ("A,A,a,b,c,both\n", 2, "its own parent"),
    ("A,,,b,c,both\n", 2, "empty name in column name_fi"),
    ("A,,a,b,c,visitors\n", 2, "bad kind 'visitors'"),
    ("A B,,a,b,c,both\n", 2, "bad code"),
    ("A,,a,b,c,both,extra\n", 2, "too many fields"),
])
def test_bad_file_is_refused_whole_with_line_and_reason(session, body, line, reason):
    data = (HEADER + "OK,,Fine,Fin,Fine,both\n" + body).encode()
    with pytest.raises(UnitImportError) as caught:
        import_units(session, data)
    assert any(found_line == line + 1 and reason in message
               for found_line, message in caught.value.problems), caught.value.problems
    assert unit_count(session) == 0


def test_every_bad_line_is_listed_not_just_the_first(session):
    data = (HEADER + "A,,,b,c,both\nB,,a,b,c,nope\nC,ZZZ,a,b,c,both\n").encode()
    with pytest.raises(UnitImportError) as caught:
        import_units(session, data)
    assert {line for line, _ in caught.value.problems} == {2, 3, 4}
    assert unit_count(session) == 0


def test_wrong_encoding_is_refused_with_its_line(session):
    data = (HEADER + "A,,Ristijärvi,b,c,both\n").encode("latin-1")
    with pytest.raises(UnitImportError) as caught:
        import_units(session, data)
    assert caught.value.problems[0][0] == 2
    assert "UTF-8" in caught.value.problems[0][1]
    assert unit_count(session) == 0


def test_missing_columns_are_refused(session):
    with pytest.raises(UnitImportError, match="missing columns: kind"):
        import_units(session, b"code,parent_code,name_fi,name_sv,name_en\nA,,a,b,c\n")


def test_a_parent_already_in_the_database_may_be_referenced(session):
    import_units(session, GOOD.encode())
    import_units(session, (HEADER + "TK-RIS,TK,Ristijärvi,Ristijärvi,Ristijärvi,both\n").encode())
    assert [u.code for u in list_units(session)] == ["ROOT", "HAL", "TK", "TK-KUH", "TK-RIS"]
