"""Comment labels in words: languages by name (Babel), score groups, survey kinds."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask_babel import get_locale, lazy_gettext

#: Language variants Babel has no name for (private-use subtags).
VARIANT_NAMES = {"fi-x-selko": lazy_gettext("Plain Finnish (selkosuomi)")}
GROUP_NAMES = {
    "detractor": lazy_gettext("Detractors (0–6)"),
    "passive": lazy_gettext("Passives (7–8)"),
    "promoter": lazy_gettext("Promoters (9–10)"),
}
KIND_NAMES = {"resident": lazy_gettext("Residents"), "pulse": lazy_gettext("Staff")}
OTHER_LANGUAGE_NAME = lazy_gettext("Other or not shown")


def language_name(code: str | None) -> str:
    """``sv`` → "Swedish" (in the page's language); ``fi-x-selko`` → "Plain Finnish …"."""
    if not code or code == "other":
        return str(OTHER_LANGUAGE_NAME)
    if code in VARIANT_NAMES:
        return str(VARIANT_NAMES[code])
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(get_locale())
    except (ValueError, UnknownLocaleError):
        return code
    return (name[:1].upper() + name[1:]) if name else code


def group_name(group: str | None) -> str:
    """The score group in words; empty for a comment whose group is not shown."""
    return str(GROUP_NAMES[group]) if group in GROUP_NAMES else ""


def kind_name(kind: str) -> str:
    """Residents or Staff."""
    return str(KIND_NAMES.get(kind, kind))
