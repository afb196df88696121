"""The scoring package and the period module stay pure: no web, database or CLI imports."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import sys
sys.path.insert(0, {root!r})
import survey_app.scoring, survey_app.periods
assert survey_app.scoring.__file__.startswith({root!r}), survey_app.scoring.__file__
forbidden = {{'flask', 'sqlalchemy', 'click', 'werkzeug', 'jinja2', 'pandas'}}
bad = sorted(m for m in sys.modules if m.split('.')[0] in forbidden)
assert not bad, bad
"""


def test_importing_scoring_loads_no_web_or_database_package():
    completed = subprocess.run(
        [sys.executable, "-c", CHECK.format(root=str(ROOT))],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr
