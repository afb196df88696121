"""Helpers of the reach tests: unique numbers, running the worker in-process, table scans."""

from __future__ import annotations

import itertools
import os
import re
from datetime import UTC, datetime

from sqlalchemy import inspect, text

from survey_app.services.reach import outbox
from survey_app.services.reach.gateways import sms_gateway

_counter = itertools.count(1)
LINK = re.compile(r"/r/([a-z2-7]{16})")


def unique_number() -> tuple[str, str]:
    """A valid Finnish mobile number no other test uses: (as written, E.164)."""
    n = (os.getpid() % 9000) * 1000 + next(_counter)
    local = f"050{n:07d}"
    return local, "+358" + local[1:]


def run_worker(app, session, now=None, batch=None) -> outbox.RunReport:
    """``outbox run --once`` in-process with the app's gateway."""
    with app.app_context():
        senders = outbox.Senders(sms_gateway(), None)
        try:
            return outbox.run_until_idle(session, senders, now or (lambda: datetime.now(UTC)),
                                         batch)
        finally:
            senders.close()


def code_of(message_text: str) -> str:
    """The code in an SMS text's link."""
    match = LINK.search(message_text)
    assert match, message_text
    return match.group(1)


def every_text_cell(session) -> list[str]:
    """Every non-null string value of every table (to look for numbers and codes)."""
    cells = []
    bind = session.get_bind()
    for table in inspect(bind).get_table_names():
        for row in session.execute(text(f'SELECT * FROM "{table}"')):
            cells += [str(value) for value in row if value is not None]
    return cells
