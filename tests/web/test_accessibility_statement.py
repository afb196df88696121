"""The accessibility statement names the supervisory authority in force (since 1 January 2026
the Finnish Supervisory Agency, Lupa- ja valvontavirasto, supervises accessibility), in every
language the pages have."""

from __future__ import annotations

import pytest

from survey_app.i18n import LANGUAGES


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_the_statement_names_the_current_supervisory_authority(client, lang):
    page = client.get(f"/{lang}/accessibility")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Lupa- ja valvontavirasto" in html
    assert "www.saavutettavuusvaatimukset.fi" in html
    for old in ("aluehallintovirasto", "Regionförvaltningsverket", "Regional State Admin"):
        assert old not in html
