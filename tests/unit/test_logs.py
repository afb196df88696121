"""Request log lines lose addresses, invitation tokens and query strings."""

import logging

from survey_app.logs import ScrubFilter, scrub


def test_scrub_removes_tokens_addresses_and_queries():
    line = ('10.1.2.3 - - [28/Nov/2026] "GET /fi/p/AbC_def-1234567890xyz HTTP/1.1" 200 '
            '"GET /fi/s/TK-KUH?ch=sms" from 2001:db8::1 Bearer abc.def')
    cleaned = scrub(line)
    for secret in ("10.1.2.3", "AbC_def-1234567890xyz", "ch=sms", "2001:db8::1", "abc.def"):
        assert secret not in cleaned
    assert "/fi/p/[token]" in cleaned and "/fi/s/TK-KUH?[query]" in cleaned


def test_scrub_keeps_clock_times():
    assert scrub("[28/Nov/2026 23:01:02] started") == "[28/Nov/2026 23:01:02] started"


def test_filter_rewrites_records_with_arguments():
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1,
                               '%s - "GET %s"', ("192.168.0.7", "/sv/p/secretTOKENvalue123"), None)
    ScrubFilter().filter(record)
    assert record.getMessage() == '[address] - "GET /sv/p/[token]"'
