"""Issue 12's attack class 8, padding, played through the public questionnaire.

A reader who answers many times through a unit's open link, and later sees the unit's figure
appear, knows their own answers and so learns about the few real ones. Thresholds cannot stop
this (README, "Limits"); what the service promises instead is tested here:

- padded answers can never pass for invited ones: only a single-use link spent with the answer
  stores the channel ``invited``, whatever ``?ch=`` an open link is given, so a report that
  reads invited answers apart is not padded;
- how many answers one client can add to a unit is capped by the submission rate limits,
  measured here per window and stated per day in the README.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from limits import parse_many
from sqlalchemy import func, select

from survey_app.models import ResidentDaily, Survey
from survey_app.services.survey.responses import Answers
from survey_app.services.survey.store import INVITED, Target, submit_response
from tests.web.resident_helpers import VALID, count_rows

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def unit(make_unit, make_survey):
    unit = make_unit("PAD")
    make_survey(unit)
    return unit


def _channels(session) -> dict[str, int]:
    session.expire_all()
    return dict(session.execute(select(ResidentDaily.channel, func.sum(ResidentDaily.n))
                                .group_by(ResidentDaily.channel)).all())


@pytest.mark.parametrize("declared", ["sms", "email", "invited", "INVITED", "kiosk"])
def test_attack_8_padding_through_the_open_link_never_counts_as_invited(client, session, unit,
                                                                       declared):
    for _ in range(9):
        assert client.post(f"/fi/s/PAD?ch={declared}", data=VALID).status_code == 303
    channels = _channels(session)
    assert sum(channels.values()) == 9
    assert INVITED not in channels, channels
    # The one real invited answer (a single-use link spent in the same transaction) is the
    # only one counted as invited: a reader's nine are told apart from it.
    target = Target.of(unit, unit_survey(session, unit))
    submit_response(session, target, "fi", "sms", Answers(score=9),
                    spend=lambda _session: None)
    channels = _channels(session)
    assert channels[INVITED] == 1 and sum(channels.values()) == 10


def unit_survey(session, unit):
    return session.scalars(select(Survey).where(Survey.unit_id == unit.id)).one()


def _per_day(limit: str) -> int:
    """The most answers a limit string lets one client store in a day."""
    return min(int(item.amount * timedelta(days=1).total_seconds()
                   // item.get_expiry()) for item in parse_many(limit))


@pytest.mark.parametrize(("path", "key"), [("/fi/s/PAD", "RATELIMIT_SUBMIT"),
                                           ("/fi/k/PAD", "RATELIMIT_KIOSK")])
def test_attack_8_one_client_pads_at_most_what_the_rate_limit_allows(make_app, session, unit,
                                                                    path, key):
    app = make_app(RATELIMIT_ENABLED=True)
    limit = app.config[key]
    first_window = min(parse_many(limit), key=lambda item: item.get_expiry()).amount
    client = app.test_client()
    statuses = [client.post(path, data=VALID).status_code for _ in range(first_window + 3)]
    # Measured: the first window's amount is stored, every further answer refused, none stored.
    assert statuses == [303] * first_window + [429] * 3
    assert count_rows(session) == first_window
    refused = client.post(path, data=VALID)
    assert refused.status_code == 429
    assert "Liian monta yritystä lyhyessä ajassa." in refused.get_data(as_text=True)
    assert count_rows(session) == first_window
    # The README states the day's cap that these limits give one client address.
    day = _per_day(limit)
    stated = re.sub(r"[\s,\u00a0]", "", README.read_text(encoding="utf-8"))
    assert f"{key}" in stated and f"{day}answersaday" in stated, (key, day)
