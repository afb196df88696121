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


# --- optional resident columns (issue 15) ------------------------------------------------

RESIDENT = (
    "code,parent_code,name_fi,name_sv,name_en,kind,name_ar,name_ru,wording,kiosk_lang\n"
    "ROOT,,Kainuun hyvinvointialue,Kajanalands välfärdsområde,Kainuu county,both,,,,\n"
    "PKL,ROOT,Päivystys,Jouren,Emergency,resident,الطوارئ,Дежурная,experience,sv\n"
    "TK,ROOT,Terveysasema,Hälsostation,Health centre,resident,,,,\n"
)


def unit(session, code: str) -> OrgUnit:
    session.expire_all()
    return session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def test_optional_columns_set_names_wording_and_kiosk_language(session):
    import_units(session, RESIDENT.encode())
    emergency = unit(session, "PKL")
    assert emergency.names == {"ar": "الطوارئ", "ru": "Дежурная"}
    assert (emergency.wording, emergency.kiosk_lang) == ("experience", "sv")
    assert emergency.name("ar") == "الطوارئ" and emergency.name("uk") == "Päivystys"
    assert emergency.name_and_language("so") == ("Emergency", "en")     # resident pages
    centre = unit(session, "TK")
    assert (centre.names, centre.wording, centre.kiosk_lang) == (None, None, None)


def test_a_file_without_the_optional_columns_leaves_them_as_they_are(session):
    import_units(session, RESIDENT.encode())
    report = import_units(session, GOOD.replace("TK-KUH", "KUH").encode())
    assert "TK" in report.updated
    assert unit(session, "PKL").wording == "experience"      # not in that file: kept
    cleared = RESIDENT.replace("الطوارئ,Дежурная,experience,sv", ",,,")
    assert "PKL" in import_units(session, cleared.encode()).updated
    emergency = unit(session, "PKL")
    assert (emergency.names, emergency.wording, emergency.kiosk_lang) == (None, None, None)


def test_unknown_wording_and_kiosk_language_are_refused_whole(session):
    bad = RESIDENT.replace("experience,sv", "friends,xx")
    with pytest.raises(UnitImportError) as refused:
        import_units(session, bad.encode())
    reasons = " ".join(reason for _line, reason in refused.value.problems)
    assert "unknown wording 'friends'" in reasons and "experience" in reasons
    assert "unknown kiosk language 'xx'" in reasons
    assert unit_count(session) == 0


def test_reports_mark_the_alternative_wording_and_a_mix(session):
    from survey_app.services.reports.tree import UnitTree

    import_units(session, RESIDENT.encode())
    tree = UnitTree.load(session)
    marks = {unit.code: tree.ref(i, "fi").wording for i, unit in enumerate(tree.units)}
    # The county's NPS mixes both wordings: it says so instead of mixing silently.
    assert marks == {"ROOT": "mixed", "PKL": "experience", "TK": None}
