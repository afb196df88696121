"""An attacker's tools against the staff round: a round answered by 100+ people, ways to
pair people with answers, and the binomial bound that "no better than chance" means.

The attacker holds the mail-merge links file (every person's token, in file order) and
whatever the test hands over (tables with xmin and ctid, a dump, the WAL). A pairing names
one answer per person; it is scored against the truth the test kept (each answer carries a
comment unique to its sender). Under "nothing links", a pairing is a random matching, whose
number of correct pairs is about Binomial(n, 1/m) for m candidate answers; the tests
assert the attacker stays below that distribution's 1 − ALPHA quantile.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scipy.stats import binom

from survey_app.services import pulse
from tests.pulse_support import answer_form

#: Chance that a design linking no one fails the bound anyway (a false alarm): 1 in 10,000.
ALPHA = 1e-4
ROUND = "linkage"


def chance_bound(persons: int, candidates: int) -> int:
    """Most correct pairs a random matching of ``persons`` among ``candidates`` answers
    reaches with probability 1 − ALPHA."""
    return int(binom.ppf(1 - ALPHA, persons, 1 / candidates))


def marker(person: int) -> str:
    """A comment unique to a person, letters only (the redactor leaves it alone)."""
    return "merkki " + "".join("abcdefghij"[int(digit)] for digit in f"{person:06d}")


def person_of(comment: str) -> int:
    """The person whose marker this comment is."""
    return int("".join(str("abcdefghij".index(c)) for c in comment.removeprefix("merkki ")))


@dataclass
class AnsweredRound:
    """A round as the test made it: tokens in links-file order, who answered in what order."""

    survey_id: int
    unit_codes: list[str]
    #: (unit code, token) per person, in the order of the links file.
    links: list[tuple[str, str]]
    #: Person indices in the order they sent their answers.
    submitted: list[int]
    closes_at: datetime


def answered_round(app, session, make_unit, make_survey, out: Path, sizes: dict[str, int],
                   answering: dict[str, int], seed: int = 13) -> AnsweredRound:
    """Invite ``sizes[unit]`` people per unit, let ``answering[unit]`` of them answer (in a
    random order across units) through the HTTP client, each with their marker."""
    county = make_unit("KAI-L")
    for code in sizes:
        make_unit(code, parent=county, kind="staff")
    closes_at = datetime.now(UTC) + timedelta(days=1)
    survey = make_survey(county, kind="pulse", code=ROUND, closes_at=closes_at)
    with app.app_context():
        pulse.create_invitations(session, ROUND, sizes, out, "http://x", now=datetime.now(UTC))
    with out.open(encoding="utf-8", newline="") as handle:
        links = [(row["unit_code"], row["link"].rsplit("/", 1)[1])
                 for row in csv.DictReader(handle)]
    rng = random.Random(seed)
    chosen = []
    for code, count in answering.items():
        chosen += rng.sample([i for i, (unit, _t) in enumerate(links) if unit == code], count)
    rng.shuffle(chosen)
    client = app.test_client()
    for person in chosen:
        posted = client.post(f"/fi/p/{links[person][1]}",
                             data=answer_form(score=str(person % 11), comment=marker(person)))
        assert posted.status_code == 303
    return AnsweredRound(survey.id, list(sizes), links, chosen, closes_at)


def correct_pairs(guess: dict[int, int]) -> int:
    """How many persons a pairing {person: person whose answer was named} gets right."""
    return sum(person == answer for person, answer in guess.items())


def pair_in_order(persons: list[int], answers: list[int]) -> dict[int, int]:
    """The order attack: the i-th person (in the attacker's order) wrote the i-th answer."""
    return dict(zip(persons, answers, strict=False))


def ctid_key(ctid: str) -> tuple[int, int]:
    """'(block,offset)' → (block, offset), for sorting by storage position."""
    block, offset = ctid.strip("()").split(",")
    return int(block), int(offset)
