"""Unit file upload in the browser: all or nothing, every bad line shown, sizes bounded."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from survey_app.models import OrgUnit
from tests.web.admin_support import ENGLISH, admin_client_fixture, audit_actions  # noqa: F401

HEADER = "code,parent_code,name_fi,name_sv,name_en,kind\n"
GOOD = HEADER + ("KAI,,Kainuu,Kajanaland,Kainuu,both\n"
                 "KAI-SOS,KAI,Sosiaalipalvelut,Socialtjänster,Social services,resident\n"
                 "KAI-SOS-1,KAI-SOS,Tiimi 1,Team 1,Team 1,staff\n")


def upload(client, data: bytes, name: str = "units.csv"):
    return client.post("/admin/units/upload", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", headers=ENGLISH)


def unit_count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(OrgUnit))


def test_a_good_file_is_imported_and_the_counts_are_shown(admin_client, session):
    response = upload(admin_client, GOOD.encode())
    assert response.status_code == 200
    assert "The units were imported" in response.text
    assert "3: KAI, KAI-SOS, KAI-SOS-1" in response.text
    assert unit_count(session) == 3
    again = upload(admin_client, GOOD.replace("Tiimi 1", "Tiimi yksi").encode())
    assert "<dt>Created</dt><dd>0</dd>" in again.text
    assert "<dt>Updated</dt><dd>1: KAI-SOS-1</dd>" in again.text
    assert "<dt>Unchanged</dt><dd>2</dd>" in again.text
    listing = admin_client.get("/admin/units", headers=ENGLISH)
    assert "Tiimi yksi" not in listing.text and "Team 1" in listing.text
    assert audit_actions(session) == ["user.create", "units.import", "units.import"]


def test_a_bad_file_lists_every_bad_line_and_imports_nothing(admin_client, session):
    bad = GOOD + ("bad code,KAI,Nimi,Namn,Name,staff\n"
                  "KAI-X,NOPE,Nimi,Namn,Name,both\n"
                  "KAI-Y,KAI,,Namn,Name,everyone\n")
    response = upload(admin_client, bad.encode())
    assert response.status_code == 400
    assert "The unit file was not imported; nothing was changed." in response.text
    assert "Line 5: bad code &#39;bad code&#39;" in response.text
    assert "Line 6: unknown parent NOPE" in response.text
    assert "Line 7: empty name in column name_fi" in response.text
    assert "Line 7: bad kind &#39;everyone&#39;" in response.text
    assert unit_count(session) == 0  # the three good lines were not imported either
    assert audit_actions(session)[-1] == "units.import.refused"


def test_problems_are_shown_in_finnish_too(admin_client, session):
    response = admin_client.post(
        "/admin/units/upload", data={"file": (io.BytesIO(b"code\nX\n"), "u.csv")},
        content_type="multipart/form-data", headers={"Accept-Language": "fi"})
    assert response.status_code == 400
    assert 'lang="fi"' in response.text and "Rivi 1:" in response.text
    assert "nothing was changed" not in response.text


def test_a_file_that_is_not_utf8_gets_a_message_not_an_error(admin_client, session):
    response = upload(admin_client, GOOD.replace("Kajanaland", "Kajanaländ").encode("cp1252"))
    assert response.status_code == 400
    assert "not UTF-8 text" in response.text and "Line 2:" in response.text
    assert unit_count(session) == 0


def test_binary_and_empty_files_are_refused_with_messages(admin_client, session):
    assert "NUL characters" in upload(admin_client, b"code\x00\x00\x01").text
    empty = upload(admin_client, b"")
    assert empty.status_code == 400 and "missing columns" in empty.text
    assert unit_count(session) == 0


def test_no_file_at_all_is_a_field_error(admin_client):
    response = admin_client.post("/admin/units/upload", data={}, headers=ENGLISH,
                                 content_type="multipart/form-data")
    assert response.status_code == 400
    assert "This field is required." in response.text and 'href="#file"' in response.text


def test_a_file_larger_than_the_upload_limit_gets_413(admin_client, session):
    # The multipart body is built here: the test client would spool a big file to a
    # temporary file that it leaves open when the app refuses the request.
    boundary = "admin-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"units.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode() \
        + GOOD.encode() + b"x" * (1024 * 1024 + 10) + f"\r\n--{boundary}--\r\n".encode()
    response = admin_client.post("/admin/units/upload", data=body, headers=ENGLISH,
                                 content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "too large" in response.text
    assert unit_count(session) == 0


def test_files_above_the_general_request_limit_are_fine_for_the_unit_upload(admin_client,
                                                                           session):
    lines = [f"U{n:05d},,Yksikkö {n},Enhet {n},Unit {n},both\n" for n in range(1500)]
    data = (HEADER + "".join(lines)).encode()
    assert len(data) > 64 * 1024
    response = upload(admin_client, data)
    assert response.status_code == 200, response.text[:500]
    assert unit_count(session) == 1500


def test_the_unit_list_shows_which_units_use_the_alternative_wording(admin_client, session):
    wording = GOOD.replace("kind\n", "kind,wording\n", 1).replace("both\n", "both,\n") \
        .replace("resident\n", "resident,experience\n").replace("staff\n", "staff,\n")
    assert upload(admin_client, wording.encode()).status_code == 200
    listing = admin_client.get("/admin/units", headers=ENGLISH).text
    assert "<th scope=\"col\">Resident question</th>" in listing
    assert listing.count("alternative wording: experience") == 1
    assert listing.count("<td>recommendation</td>") == 2
