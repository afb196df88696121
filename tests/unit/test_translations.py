"""Every catalog complete, none fuzzy, none behind the sources; two locales in one test."""

from survey_app.cli.translations import problems


def test_every_catalog_is_complete_and_up_to_date():
    found = problems()
    assert found == [], "\n".join(found[:50])
