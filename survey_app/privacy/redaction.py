"""Comment redaction: remove what could identify a person before a comment is stored.

What is replaced, and by which fixed, language-neutral placeholder:

- ``[ID]``    Finnish personal identity codes (henkilötunnus), valid or not (see below).
- ``[PHONE]`` phone numbers: ``+358``/``00358`` and other international forms, and Finnish
  0-prefixed national numbers, with spaces, hyphens or parentheses.
- ``[EMAIL]`` e-mail addresses.

Where the line is drawn for identity codes. Redacted:

- ``DDMMYY`` + century sign + ``NNN`` + optional checksum character, whatever the checksum is
  and in any letter case: ``131052-308T``, ``131052-308X`` (wrong checksum), ``131052a308t``,
  ``131052 - 308T`` (spaces around the sign), ``131052-308`` (checksum missing). Century signs are
  ``+`` (1800s), ``- Y X W V U`` (1900s) and ``A B C D E F`` (2000s), the last ten from the 2023
  reform. The day must be 01–31 and the month 01–12; nothing else about the date is checked.
  Such a code is redacted even when glued to other letters or digits (``hetu131052-308T``).
- ``DDMMYYNNNQ`` without a sign when it stands alone and its checksum character ``Q`` is a letter
  or a checksum-valid digit (``131052308T``): people do drop the sign.
- Looser spellings when they stand alone and end in a check character that is a letter or a
  checksum-valid digit: ``/``, ``.`` or ``_`` in place of the sign or around it, a tab or two
  spaces around the sign (``131052/308T``, ``131052 _ 308T``, ``131052\t-\t308T``), a date
  written with separators (``13.10.52-308T``, ``13/10/52-308T``) and the letter O for a zero
  (``13105O-3O8T``). Without the check character these are too close to order numbers and
  date ranges to tell apart, and are kept.

Not redacted: dates (``13.10.1952``, ``2026-03-15``), six-digit numbers alone (``131052``),
plain digit runs without a sign whose last digit is not a valid checksum, times, scores.

Phone numbers need a leading ``+``, ``00`` or a national ``0`` followed by a non-zero digit, and
7–12 digits in all for national numbers (8–15 after the country code for international ones), so
"5 minutes", "2026", "klo 8-16" or "0-10" stay. A number written like a date with hyphens
(``01-02-2026``) is left alone. National numbers may also be grouped with dots or a slash
(``040.123.4567``, ``040/1234567``, ``09/123 4567``) when the group after the prefix has at least
three digits, so dates (``05.10.2025``, ``05/2026``) and prices (``0.50``) stay.

E-mail addresses are also caught with the ``@`` written as ``(at)``, ``[at]``, ``(a)`` or ``(ät)``
(``matti(at)esimerkki.fi``, with or without spaces) and as a spoken `` at `` or a ``dot`` word
(``matti.virtanen at esimerkki.fi``, ``matti at esimerkki dot fi``). A plain `` at `` before a
web address ("I booked it at omakanta.fi") is ordinary English, so the spoken form needs a
local part that looks like an address (a dot, ``_``, ``+``, ``-`` or a digit in it), a domain with
a sub-domain (``sote.kainuu.fi``) or a ``dot`` word.

Matching is done on a folded shadow copy of the text in which every Unicode decimal digit becomes
its ASCII digit, dash-like characters become ``-`` and space separators become `` ``, so
``040 123 4567`` in Arabic-Indic or full-width digits, or with no-break spaces, is caught too.
The original characters outside the matches are kept.

Spelled-out digits and names are not detected.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ID_PLACEHOLDER = "[ID]"
PHONE_PLACEHOLDER = "[PHONE]"
EMAIL_PLACEHOLDER = "[EMAIL]"

DEFAULT_MAX_LENGTH = 2000

#: Check characters of the identity code, indexed by int(DDMMYYNNN) % 31.
HETU_CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"

# Invisible characters that can split a number so that it no longer matches, or visually reorder
# the text shown to a report reader (bidi overrides and isolates); removed outright.
_INVISIBLE = {
    "\u200b", "\u2060", "\ufeff",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069",
}
_LINE_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"})
_SHADOW_PUNCTUATION = {
    "\uff0b": "+", "\uff20": "@", "\uff08": "(", "\uff09": ")",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
}

_DAY = r"(?:0[1-9]|[12][0-9]|3[01])"
_MONTH = r"(?:0[1-9]|1[0-2])"
_HETU = re.compile(
    _DAY + _MONTH + r"[0-9]{2}"
    r"[ ]?[-+ABCDEFYXWVU][ ]?"
    r"[0-9]{3}"
    r"[0-9A-Z]?",
    re.IGNORECASE,
)
_HETU_SIGNLESS = re.compile(
    r"(?<![0-9])(" + _DAY + _MONTH + r"[0-9]{2}[0-9]{3})([0-9A-Z])(?![0-9A-Z])",
    re.IGNORECASE,
)
# The looser identity-code spellings (see the module docstring); _is_loose_hetu decides.
_O_DIGIT = r"[0-9Oo]"
_LOOSE_GAP = r"[ \t_./]{0,2}"
_HETU_LOOSE = re.compile(
    r"(?<![0-9A-Za-z])"
    r"((?:[0Oo][1-9]|[12][0-9Oo]|3[01Oo])[./ ]?(?:[0Oo][1-9]|1[0-2Oo])[./ ]?" + _O_DIGIT + "{2})"
    r"(" + _LOOSE_GAP + r"[-+ABCDEFYXWVU]" + _LOOSE_GAP + r"|[ \t]{0,2}[_./][ \t]{0,2})"
    r"(" + _O_DIGIT + r"{3})([0-9A-Z])(?![0-9A-Za-z])",
    re.IGNORECASE,
)
_EMAIL = re.compile(
    r"(?<![\w.!#$%&'*+/=?^`{|}~-])"
    # Repeated dots are invalid in an address but a typo still identifies its owner.
    r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.+[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"[ ]?@[ ]?"
    r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}(?![\w-])"
)
_EMAIL_LOCAL = r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.+[\w!#$%&'*+/=?^`{|}~-]+)*"
_DOT_WORD = r"(?:\.|[ ]?[(\[{][ ]?dot[ ]?[)\]}][ ]?|[ ]dot[ ])"
_EMAIL_DOMAIN = (r"(?P<domain>(?:[^\W_](?:[\w-]*[^\W_])?" + _DOT_WORD + r")+[^\W\d_]{2,})"
                 r"(?![\w-])")
#: ``@`` written out: ``(at)``, ``[at]``, ``{at}``, ``(a)``, ``(ät)`` or a spoken `` at ``.
_EMAIL_SPELLED = re.compile(
    r"(?<![\w.!#$%&'*+/=?^`{|}~-])(?P<local>" + _EMAIL_LOCAL + r")"
    r"(?:[ ]?[(\[{][ ]?(?:at|a|ät)[ ]?[)\]}][ ]?|(?P<spoken>[ ]at[ ]))" + _EMAIL_DOMAIN,
    re.IGNORECASE,
)
_PHONE_GROUPED = re.compile(
    r"(?<![\w+\-./])"
    r"(?P<prefix>0[1-9][0-9]{0,2})(?P<sep>[./])(?P<second>[0-9]{3,8})"
    r"(?:(?:(?P=sep)|[ ]?)(?P<third>[0-9]{3,4}))?"
    r"(?![0-9]|[./][0-9])"
)
_PHONE = re.compile(
    r"(?<![\w+\-])"
    r"(?:"
    r"(?P<intl>(?:\+|00)[ ]?[1-9][0-9]{0,2}(?:[ ]?\(0\))?(?:[ ()-]{0,2}[0-9]){6,13})"
    r"|(?P<national>\(?0[1-9](?:[ ()-]{0,2}[0-9]){5,10})"
    r")"
    r"(?![0-9])"
)
_DATE_LIKE = re.compile(r"\(?[0-9]{1,2}-[0-9]{1,2}-[0-9]{2,4}")


@dataclass(frozen=True, slots=True)
class RedactionResult:
    """Redacted text and how many of each kind were replaced (never the originals)."""

    text: str
    ids: int = 0
    phones: int = 0
    emails: int = 0
    truncated: bool = False

    @property
    def redacted(self) -> int:
        """Total number of replaced items."""
        return self.ids + self.phones + self.emails


def hetu_check_char(birth_date: str, individual_number: str) -> str:
    """Return the check character for ``DDMMYY`` and ``NNN`` (both digit strings)."""
    return HETU_CHECK_CHARS[int(birth_date + individual_number) % 31]


def redact_comment(text: str, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """Return ``text`` cleaned, redacted and capped at ``max_length`` characters."""
    return redact(text, max_length).text


def redact(text: str, max_length: int = DEFAULT_MAX_LENGTH) -> RedactionResult:
    """Clean, redact and cap ``text``; see the module docstring for what is replaced.

    Steps: drop control characters except newline and tab (CR and Unicode line separators become
    newlines) and invisible splitters, normalise to NFC, redact, cap at ``max_length`` characters,
    strip surrounding whitespace. Redacting the result again changes nothing.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1:
        raise ValueError(f"max_length must be a positive integer, got {max_length!r}")
    # The form rejects long input; this bound only keeps the regular expressions cheap.
    clean = unicodedata.normalize("NFC", _clean(text[: 4 * max_length + 256]))
    counts = [0, 0, 0]
    clean = _redact_all(clean, counts)
    truncated = len(clean) > max_length
    for _ in range(8):
        if len(clean) <= max_length:
            break
        # A cut can leave a digit run that now looks like a phone number: redact again.
        clean = _redact_all(clean[:max_length], counts)
    clean = clean[:max_length].strip()
    return RedactionResult(clean, *counts, truncated=truncated)


def _clean(text: str) -> str:
    """Drop control, surrogate and invisible characters; keep newline and tab."""
    text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    return "".join(
        ch for ch in text
        if ch in "\n\t"
        or (ch not in _INVISIBLE and unicodedata.category(ch) not in ("Cc", "Cs"))
    )


def _shadow(text: str) -> str:
    """Fold digits, dashes and spaces to ASCII, one character for one, for matching."""
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
        elif (digit := unicodedata.decimal(ch, None)) is not None:
            out.append(str(digit))
        elif ch in _SHADOW_PUNCTUATION:
            out.append(_SHADOW_PUNCTUATION[ch])
        elif unicodedata.category(ch) == "Zs":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _redact_all(text: str, counts: list[int]) -> str:
    """Apply every pattern until nothing more matches; add the replacements to ``counts``."""
    for _ in range(5):
        before = sum(counts)
        text, n = _replace(text, _EMAIL, EMAIL_PLACEHOLDER)
        counts[2] += n
        text, n = _replace(text, _EMAIL_SPELLED, EMAIL_PLACEHOLDER, _is_spelled_email)
        counts[2] += n
        text, n = _replace(text, _HETU, ID_PLACEHOLDER)
        counts[0] += n
        text, n = _replace(text, _HETU_SIGNLESS, ID_PLACEHOLDER, _is_signless_hetu)
        counts[0] += n
        text, n = _replace(text, _HETU_LOOSE, ID_PLACEHOLDER, _is_loose_hetu)
        counts[0] += n
        text, n = _replace(text, _PHONE, PHONE_PLACEHOLDER, _is_phone)
        counts[1] += n
        text, n = _replace(text, _PHONE_GROUPED, PHONE_PLACEHOLDER, _is_grouped_phone)
        counts[1] += n
        if sum(counts) == before:
            break
    return text


def _replace(text: str, pattern: re.Pattern[str], token: str, accept=None) -> tuple[str, int]:
    """Replace the matches of ``pattern`` in the shadow of ``text`` that ``accept`` allows."""
    shadow = _shadow(text)
    parts: list[str] = []
    position = count = 0
    for match in pattern.finditer(shadow):
        if accept is not None and not accept(match):
            continue
        parts.append(text[position : match.start()])
        parts.append(token)
        position = match.end()
        count += 1
    if not count:
        return text, 0
    parts.append(text[position:])
    return "".join(parts), count


def _is_signless_hetu(match: re.Match[str]) -> bool:
    """A code without its sign counts when its check character is a letter or is valid."""
    digits, check = match.group(1), match.group(2).upper()
    return check.isalpha() or HETU_CHECK_CHARS[int(digits) % 31] == check


def _is_phone(match: re.Match[str]) -> bool:
    """Check the digit count and leave hyphenated dates alone."""
    digits = sum(ch.isdigit() for ch in match.group())
    if match.group("intl"):
        start = 2 if match.group().startswith("00") else 0
        return 8 <= digits - start <= 15
    return 7 <= digits <= 12 and not _DATE_LIKE.fullmatch(match.group())


def _is_loose_hetu(match: re.Match[str]) -> bool:
    """A loosely written code counts when its check character is a letter or is valid."""
    digits = re.sub(r"[^0-9]", "", (match.group(1) + match.group(3)).replace("O", "0")
                    .replace("o", "0"))
    check = match.group(4).upper()
    return len(digits) == 9 and (check.isalpha() or HETU_CHECK_CHARS[int(digits) % 31] == check)


def _is_spelled_email(match: re.Match[str]) -> bool:
    """``(at)`` always; a spoken `` at `` only with an address-like local part or domain."""
    if not match.group("spoken"):
        return True
    domain = match.group("domain").lower()
    return (any(ch in "._+-" or ch.isdigit() for ch in match.group("local"))
            or domain.count(".") >= 2 or "dot" in domain)


def _is_grouped_phone(match: re.Match[str]) -> bool:
    """7–12 digits, and a two-digit prefix is not a month before a year (``05/2026 123``)."""
    digits = sum(ch.isdigit() for ch in match.group())
    second = match.group("second")
    looks_like_month_year = len(match.group("prefix")) == 2 and len(second) == 4 and \
        second[:2] in ("19", "20")
    return 7 <= digits <= 12 and not looks_like_month_year
