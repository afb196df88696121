"""The optional ``sms`` column of the unit file: yes/no, default no, absent = unchanged."""

import pytest
from sqlalchemy import select

from survey_app.models import OrgUnit
from survey_app.services.units import UnitImportError, import_units

HEADER = "code,parent_code,name_fi,name_sv,name_en,kind"


def _sms(session) -> dict[str, bool]:
    session.expire_all()
    return {u.code: u.sms for u in session.scalars(select(OrgUnit))}


def test_the_sms_column_sets_the_opt_in_and_empty_means_no(session):
    import_units(session, (f"{HEADER},sms\nA,,a,a,a,resident,yes\nB,,b,b,b,resident,\n"
                           "C,,c,c,c,both,NO\n").encode())
    assert _sms(session) == {"A": True, "B": False, "C": False}


def test_a_file_without_the_column_leaves_the_opt_in_and_new_units_are_off(session):
    import_units(session, f"{HEADER},sms\nA,,a,a,a,resident,yes\n".encode())
    import_units(session, f"{HEADER}\nA,,a,a,a,resident\nB,,b,b,b,resident\n".encode())
    assert _sms(session) == {"A": True, "B": False}


def test_a_bad_sms_value_is_listed_with_its_line_and_nothing_changes(session):
    with pytest.raises(UnitImportError) as refused:
        import_units(session, (f"{HEADER},sms\nA,,a,a,a,resident,yes\n"
                               "B,,b,b,b,resident,maybe\n").encode())
    assert refused.value.problems == [(3, "bad sms value 'maybe': use yes or no")]
    assert _sms(session) == {}
