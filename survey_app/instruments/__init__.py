"""Questionnaire instruments as versioned data files (``<key>-v<version>.json``).

An instrument holds the recommendation question (0–10), statements on an agreement scale
with a "cannot say" option, an optional comment, and every text in every language it
declares. A county swaps in its official wordings by adding a new version file; answers
keep the version they were given with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


class InstrumentError(ValueError):
    """An instrument file is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Item:
    """A statement answered on the instrument's scale."""

    id: str
    #: QWL factor key (``safety``, ``belonging``, ``goals``) or None for resident statements.
    factor: str | None
    text: dict[str, str]


@dataclass(frozen=True, slots=True)
class Instrument:
    """A loaded, validated instrument version."""

    key: str
    version: int
    kind: str
    languages: tuple[str, ...]
    items: tuple[Item, ...]
    scale_min: int
    scale_max: int
    data: dict

    def text(self, section: str, lang: str, field: str = "text") -> str:
        """A text in ``lang``: ``title`` and ``intro`` directly, else ``section.field``.

        Falls back to Finnish for a language or variant the instrument does not have.
        """
        texts = self.data[section]
        if section not in ("title", "intro"):
            texts = texts[field]
        return _pick(texts, lang)

    def recommend_text(self, lang: str, field: str = "text", wording: str | None = None) -> str:
        """The recommendation question's ``text``, ``low`` or ``high`` in ``lang``.

        ``wording`` picks an alternative wording of the instrument (``recommend.alternatives``,
        e.g. ``experience`` for services people don't choose); still 0–10 and scored the same.
        An unknown wording, or one this version lacks, gives the usual wording.
        """
        alternatives = self.data["recommend"].get("alternatives", {})
        texts = alternatives.get(wording) if wording else None
        return _pick((texts or self.data["recommend"])[field], lang)

    @property
    def wordings(self) -> tuple[str, ...]:
        """Names of the alternative recommendation wordings this version carries."""
        return tuple(self.data["recommend"].get("alternatives", {}))

    def scale_labels(self, lang: str) -> list[str]:
        """Labels of the scale points, low to high."""
        return _pick(self.data["scale"]["labels"], lang)

    def cannot_say(self, lang: str) -> str:
        """The "cannot say" option's label."""
        return _pick(self.data["scale"]["cannot_say"], lang)

    def item_text(self, item: Item, lang: str) -> str:
        """An item's wording in ``lang``."""
        return _pick(item.text, lang)

    @property
    def factors(self) -> dict[str, tuple[str, ...]]:
        """Item ids per QWL factor, in instrument order."""
        result: dict[str, list[str]] = {}
        for item in self.items:
            if item.factor:
                result.setdefault(item.factor, []).append(item.id)
        return {factor: tuple(ids) for factor, ids in result.items()}


def _pick(texts: dict, lang: str):
    if lang in texts:
        return texts[lang]
    base = lang.split("-")[0]
    return texts.get(base, texts["fi"])


@cache
def load_instrument(key: str, version: int) -> Instrument:
    """Load and validate ``<key>-v<version>.json``; raise InstrumentError if it is bad."""
    path = HERE / f"{key}-v{int(version)}.json"
    if not path.is_file():
        raise InstrumentError(f"No instrument {key} version {version}.")
    data = json.loads(path.read_text(encoding="utf-8"))
    problems = validate(data)
    if problems:
        raise InstrumentError(f"{path.name}: " + "; ".join(problems))
    items = tuple(Item(i["id"], i.get("factor"), i["text"]) for i in data["items"])
    return Instrument(data["key"], data["version"], data["kind"], tuple(data["languages"]),
                      items, data["scale"]["min"], data["scale"]["max"], data)


def available() -> list[tuple[str, int, str]]:
    """(key, version, kind) of every instrument file."""
    result = []
    for path in sorted(HERE.glob("*-v*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        result.append((data["key"], data["version"], data["kind"]))
    return result


def latest(kind: str) -> Instrument:
    """The newest version of the first instrument of this kind."""
    candidates = [(k, v) for k, v, kd in available() if kd == kind]
    if not candidates:
        raise InstrumentError(f"No instrument of kind {kind}.")
    key = sorted(candidates)[0][0]
    return load_instrument(key, max(v for k, v in candidates if k == key))


def resident_wordings() -> frozenset[str]:
    """Every alternative recommendation wording of any resident instrument version."""
    return frozenset(wording for key, version, kind in available() if kind == "resident"
                     for wording in load_instrument(key, version).wordings)


def validate(data: dict) -> list[str]:
    """Every problem with an instrument document (empty list when it is good)."""
    problems = []
    for field in ("key", "version", "kind", "languages", "title", "recommend", "scale", "items"):
        if field not in data:
            problems.append(f"missing {field}")
    if problems:
        return problems
    languages = data["languages"]
    if "fi" not in languages:
        problems.append("Finnish (fi) is required")
    texts = [("title", data["title"]), ("recommend.text", data["recommend"]["text"]),
             ("recommend.low", data["recommend"]["low"]),
             ("recommend.high", data["recommend"]["high"]),
             ("scale.cannot_say", data["scale"]["cannot_say"])]
    for name, alternative in data["recommend"].get("alternatives", {}).items():
        texts += [(f"recommend.alternatives.{name}.{field}", alternative[field])
                  for field in ("text", "low", "high")]
    if "intro" in data:
        texts.append(("intro", data["intro"]))
    if "comment" in data:
        texts.append(("comment.text", data["comment"]["text"]))
    texts += [(f"items.{item['id']}", item["text"]) for item in data["items"]]
    for name, text in texts:
        problems += [f"{name} has no {lang} text" for lang in languages if not text.get(lang)]
    width = data["scale"]["max"] - data["scale"]["min"] + 1
    for lang in languages:
        labels = data["scale"]["labels"].get(lang)
        if not labels or len(labels) != width:
            problems.append(f"scale.labels for {lang} must have {width} labels")
    ids = [item["id"] for item in data["items"]]
    if len(ids) != len(set(ids)):
        problems.append("item ids must be unique")
    return problems
