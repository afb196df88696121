"""Which labels (language, score group) a comment keeps when its batch is released.

A released comment's text is public to report readers; its labels are what filters select on.
A label shown on a few comments would tie those people to a language or a score group, and a
filter would pick them out even where the label is not printed. So a batch keeps labels only
where every class a reader can select holds 0 or at least ``k`` comments:

- every language and every score group kept as a label has at least ``k`` comments;
- every *combination* of the two labels (including "other" / "not given") has 0 or at least
  ``k`` comments, so that "Swedish detractors" or "not Finnish" never names fewer than ``k``
  people and no class can be worked out as the batch minus the classes shown.

While a combination is too small, the smallest kept class (of either label) is merged into
"other" (None). With no label kept the batch is one class, of at least
``PRIVACY_MIN_COMMENTS`` comments. Pure Python: no Flask, no database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

#: Score groups of the 0–10 recommendation (NPS and eNPS).
SCORE_GROUPS = ("detractor", "passive", "promoter")


def score_group(score: int | None) -> str | None:
    """``detractor`` (0–6), ``passive`` (7–8), ``promoter`` (9–10), None when not answered."""
    if score is None:
        return None
    if score <= 6:
        return "detractor"
    return "passive" if score <= 8 else "promoter"


def batch_labels(languages: Sequence[str | None], groups: Sequence[str | None], k: int
                 ) -> tuple[list[str | None], list[str | None]]:
    """The labels each comment of one batch may keep (None = "other" / not shown).

    ``languages`` and ``groups`` are per comment, in the same order. The result satisfies the
    module's rule: every (language, group) class that occurs has at least ``k`` comments,
    unless the whole batch is a single class.
    """
    if len(languages) != len(groups):
        raise ValueError("one language and one score group per comment")
    counts = [Counter(v for v in values if v is not None) for values in (languages, groups)]
    kept = [{v for v, c in count.items() if c >= k} for count in counts]
    while True:
        labels = [[v if v in kept[d] else None for v in values]
                  for d, values in enumerate((languages, groups))]
        cells = Counter(zip(*labels, strict=True))
        if len(cells) <= 1 or min(cells.values()) >= k:
            return labels[0], labels[1]
        # Merge the smallest kept class (either label) into "other"; ties by dimension, name.
        _, d, value = min((counts[d][v], d, v) for d in (0, 1) for v in kept[d])
        kept[d].discard(value)
