"""The scoring package and the period module stay pure: no web, database or CLI imports."""

import subprocess
import sys


def test_importing_scoring_loads_no_web_or_database_package():
    code = ("import survey_app.scoring, survey_app.periods, sys; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'flask', 'sqlalchemy', 'click', 'werkzeug', 'jinja2', 'pandas'}); "
            "assert not bad, bad")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
