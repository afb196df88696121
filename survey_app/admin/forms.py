"""Admin forms. Every message is given here (lazily translated), WTForms' own included."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from survey_app.forms import BaseForm
from survey_app.i18n import LANGUAGES, NATIVE_NAMES
from survey_app.services.pulse.invitations import MAX_PER_BATCH
from survey_app.services.survey.posters import POSTER_LANGUAGES
from survey_app.services.users import MIN_PASSWORD_LENGTH

REQUIRED = _l("This field is required.")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
BAD_DATE = _l("Give a date as YYYY-MM-DD.")
BAD_CHOICE = _l("Choose one of the options.")
TOO_LONG = _l("Use at most %(max)d characters.")
PASSWORD_LENGTH = _l("Use %(min)d to %(max)d characters.")


def printable(_form, field) -> None:
    """No control characters (NUL cannot even be stored in PostgreSQL text)."""
    if field.data and CONTROL_CHARACTERS.search(field.data):
        raise ValidationError(_l("Remove the control characters (such as tabs or line breaks)."))


def _required():
    return DataRequired(message=REQUIRED)


def _date(label):
    return DateField(label, validators=[Optional()], invalid_value_message=BAD_DATE)


def _select(label, **kwargs):
    kwargs.setdefault("validators", [_required()])
    return SelectField(label, invalid_choice_message=BAD_CHOICE, **kwargs)


class UnitUploadForm(BaseForm):
    """The unit CSV file."""

    file = FileField(_l("Unit file (CSV)"), validators=[FileRequired(message=REQUIRED)])


class ResidentSurveyForm(BaseForm):
    """Open resident feedback for a unit subtree."""

    unit = _select(_l("Unit (with everything below it)"))
    instrument = _select(_l("Questionnaire version"))
    opens = _date(_l("Opens (day, Helsinki time)"))
    closes = _date(_l("Closes after (day, optional)"))


class RoundForm(BaseForm):
    """Create a pulse round."""

    code = StringField(_l("Round code"),
                       validators=[_required(), Length(max=60, message=TOO_LONG), printable])
    title = StringField(_l("Title (optional)"),
                        validators=[Optional(), Length(max=200, message=TOO_LONG), printable])
    unit = _select(_l("Unit (with everything below it)"))
    instrument = _select(_l("Questionnaire version"))
    opens = DateField(_l("Opens (day, Helsinki time)"), validators=[InputRequired(REQUIRED)],
                      invalid_value_message=BAD_DATE)
    closes = DateField(_l("Closes after (day)"), validators=[InputRequired(REQUIRED)],
                       invalid_value_message=BAD_DATE)
    #: Asked for only when the new round overlaps a round not yet closed on some unit.
    confirm_overlap = BooleanField(_l("The rounds overlap: create this round anyway"))


class ReopenForm(BaseForm):
    """Open a round now, optionally until a new day."""

    until = _date(_l("Open until (day, optional)"))


class InvitationBatchForm(BaseForm):
    """A batch of single-use invitation links for one unit of a round."""

    round = _select(_l("Pulse round"))
    unit = _select(_l("Unit"))
    count = IntegerField(
        _l("Number of invitations"), invalid_value_message=_l("Give a whole number."),
        validators=[InputRequired(REQUIRED), NumberRange(
            min=1, max=MAX_PER_BATCH, message=_l("Give a number from %(min)s to %(max)s."))])
    lang = _select(_l("Language of the links"), default="fi",
                   choices=[SelectChoice(code, NATIVE_NAMES[code]) for code in LANGUAGES])
    expires = _date(_l("Valid through (day, optional)"))
    #: Asked for only when the unit would have a single invitation (see the view).
    single_invitee = BooleanField(_l("Create the invitation anyway: I know that whoever "
                                     "answers for this unit can be identified."))


class PosterForm(BaseForm):
    """A printable poster for one unit."""

    unit = _select(_l("Unit"))
    languages = SelectMultipleField(
        _l("Languages on the poster (one to six)"), default=["fi", "sv", "en"],
        choices=[SelectChoice(code, NATIVE_NAMES.get(code) or _l("Plain Finnish"))
                 for code in POSTER_LANGUAGES],
        invalid_choice_message=BAD_CHOICE, validators=[_required()])


class UserForm(BaseForm):
    """A new user."""

    username = StringField(_l("Username"),
                           validators=[_required(), Length(max=80, message=TOO_LONG), printable])
    password = PasswordField(_l("Password"), validators=[
        _required(), Length(min=MIN_PASSWORD_LENGTH, max=200, message=PASSWORD_LENGTH)])
    role = _select(_l("Role"), choices=[
        SelectChoice("admin", _l("Administrator")), SelectChoice("hr", _l("HR (all units)")),
        SelectChoice("manager", _l("Manager (chosen units)"))])
    units = SelectMultipleField(_l("Units a manager sees (with everything below them)"),
                                invalid_choice_message=BAD_CHOICE)


class TokenForm(BaseForm):
    """A new API token for a BI tool (tokens only read, so never admin)."""

    name = StringField(_l("Name (which tool or report uses it)"),
                       validators=[_required(), Length(max=120, message=TOO_LONG), printable])
    role = _select(_l("Reads"), choices=[
        SelectChoice("hr", _l("HR (all units)")),
        SelectChoice("manager", _l("Manager (chosen units)")),
        SelectChoice("visits", _l("Posts visits (patient system)"))])
    units = SelectMultipleField(_l("Units a manager token reads (with everything below them)"),
                                invalid_choice_message=BAD_CHOICE)


class PasswordForm(BaseForm):
    """A new password for a user."""

    password = PasswordField(_l("New password"), validators=[
        _required(), Length(min=MIN_PASSWORD_LENGTH, max=200, message=PASSWORD_LENGTH)])


class ActionForm(BaseForm):
    """A button that changes state: nothing but the CSRF token."""


class MailInvitationForm(BaseForm):
    """Pulse invitations by e-mail from an ``email,unit_code,lang`` file."""

    round = _select(_l("Pulse round"))
    file = FileField(_l("Recipients (CSV: email,unit_code,lang)"),
                     validators=[FileRequired(message=REQUIRED)])


class ReminderForm(BaseForm):
    """A reminder to everyone invited by e-mail, or (opted in) to non-respondents."""

    round = _select(_l("Pulse round"))
    audience = _select(_l("Who gets the reminder"), default="everyone", choices=[
        SelectChoice("everyone", _l("Everyone invited (recommended)")),
        SelectChoice("non-respondents", _l("Only those who have not answered"))])


class SizesUploadForm(BaseForm):
    """Invitation links for many units of a round from one ``unit_code,count`` file."""

    round = _select(_l("Pulse round"))
    file = FileField(_l("Sizes (CSV: unit_code,count)"),
                     validators=[FileRequired(message=REQUIRED)])
    lang = _select(_l("Language of the links"), default="fi",
                   choices=[SelectChoice(code, NATIVE_NAMES[code]) for code in LANGUAGES])
    expires = _date(_l("Valid through (day, optional)"))
