"""Message texts: the default SMS ask in every questionnaire language, overridable per language.

A county sets ``SMS_TEXTS = {"fi": "… {link}"}`` (``SURVEY_SMS_TEXTS`` as JSON) to replace a
language's default; ``{link}`` is where the single-use link goes.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _


def sms_text(language: str, link: str) -> str:
    """The ask in ``language`` with ``link``: the county's own text or the default."""
    custom = (current_app.config.get("SMS_TEXTS") or {}).get(language)
    if custom and "{link}" in custom:
        return custom.replace("{link}", link)
    with force_locale(language):
        return _("Thank you for your visit. Would you recommend us? Answer anonymously in "
                 "a minute: %(link)s", link=link)


def resident_mail(language: str, link: str) -> tuple[str, str]:
    """Subject and body of the ask by e-mail after a visit."""
    with force_locale(language):
        return (_("How was your visit?"),
                _("Thank you for your visit. Would you recommend us? Answer anonymously in "
                  "a minute: %(link)s", link=link) + "\n\n"
                + _("The link works once. Your answer cannot be connected to you."))


def staff_mail(language: str, link: str, round_title: str, closes: str,
               reminder: bool) -> tuple[str, str]:
    """Subject and body of a pulse invitation or reminder (to everyone in the round)."""
    with force_locale(language):
        if reminder:
            subject = _("Reminder: staff pulse survey %(title)s", title=round_title)
            opening = _("If you have already answered, thank you! If not, there is still "
                        "time until %(closes)s.", closes=closes)
        else:
            subject = _("Staff pulse survey %(title)s", title=round_title)
            opening = _("You are invited to answer the staff pulse survey. It is open until "
                        "%(closes)s.", closes=closes)
        body = "\n\n".join([
            opening,
            _("Your personal link (it works once): %(link)s", link=link),
            _("Answers are anonymous: your answer is never connected to this e-mail, and "
              "results are shown only for groups of at least five people."),
        ])
        return subject, body
