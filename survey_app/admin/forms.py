"""Admin forms. Every message is given here (lazily translated), WTForms' own included."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from survey_app.forms import BaseForm
from survey_app.i18n import LANGUAGES, NATIVE_NAMES
from survey_app.services.pulse.invitations import MAX_PER_BATCH
from survey_app.services.survey.posters import POSTER_LANGUAGES
from survey_app.services.users import MIN_PASSWORD_LENGTH

#: WTForms raises these itself (bad dates, numbers, choices); listed so that they are
#: extracted into the admin catalog and shown translated through BaseForm's translations.
WTFORMS_MESSAGES = (
    _l("Not a valid date value."),
    _l("Not a valid integer value."),
    _l("Not a valid choice."),
    _l("'%(value)s' is not a valid choice for this field."),
    _l("'%(value)s' are not valid choices for this field."),
    _l("Invalid Choice: could not coerce."),
    _l("Choices cannot be None."),
)
REQUIRED = _l("This field is required.")
ROLE_CHOICES = [("admin", _l("Administrator")), ("hr", _l("HR (all units)")),
                ("manager", _l("Manager (chosen units)"))]


def _required():
    return DataRequired(message=REQUIRED)


class UnitUploadForm(BaseForm):
    """The unit CSV file."""

    file = FileField(_l("Unit file (CSV)"), validators=[FileRequired(message=REQUIRED)])


class ResidentSurveyForm(BaseForm):
    """Open resident feedback for a unit subtree."""

    unit = SelectField(_l("Unit (with everything below it)"), validators=[_required()])
    instrument = SelectField(_l("Questionnaire version"), validators=[_required()])
    opens = DateField(_l("Opens (day, Helsinki time)"), validators=[Optional()])
    closes = DateField(_l("Closes after (day, optional)"), validators=[Optional()])


class RoundForm(BaseForm):
    """Create a pulse round."""

    code = StringField(_l("Round code"), validators=[_required(), Length(max=60)])
    title = StringField(_l("Title (optional)"), validators=[Optional(), Length(max=200)])
    unit = SelectField(_l("Unit (with everything below it)"), validators=[_required()])
    instrument = SelectField(_l("Questionnaire version"), validators=[_required()])
    opens = DateField(_l("Opens (day, Helsinki time)"), validators=[InputRequired(REQUIRED)])
    closes = DateField(_l("Closes after (day)"), validators=[InputRequired(REQUIRED)])


class ReopenForm(BaseForm):
    """Open a round now, optionally until a new day."""

    until = DateField(_l("Open until (day, optional)"), validators=[Optional()])


class InvitationBatchForm(BaseForm):
    """A batch of single-use invitation links for one unit of a round."""

    round = SelectField(_l("Pulse round"), validators=[_required()])
    unit = SelectField(_l("Unit"), validators=[_required()])
    count = IntegerField(_l("Number of invitations"), validators=[
        InputRequired(REQUIRED),
        NumberRange(min=1, max=MAX_PER_BATCH,
                    message=_l("Give a number from %(min)s to %(max)s."))])
    lang = SelectField(_l("Language of the links"), default="fi",
                       choices=[(code, NATIVE_NAMES[code]) for code in LANGUAGES])
    expires = DateField(_l("Valid through (day, optional)"), validators=[Optional()])


class PosterForm(BaseForm):
    """A printable poster for one unit."""

    unit = SelectField(_l("Unit"), validators=[_required()])
    languages = SelectMultipleField(
        _l("Languages on the poster (one to six)"), default=["fi", "sv", "en"],
        choices=[(code, NATIVE_NAMES.get(code, _l("Plain Finnish"))) for code in POSTER_LANGUAGES],
        validators=[_required()])


class UserForm(BaseForm):
    """A new user."""

    username = StringField(_l("Username"), validators=[_required(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[
        _required(), Length(min=MIN_PASSWORD_LENGTH, max=200,
                            message=_l("Use %(min)d to %(max)d characters."))])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, validators=[_required()])
    units = SelectMultipleField(_l("Units a manager sees (with everything below them)"))


class PasswordForm(BaseForm):
    """A new password for a user."""

    password = PasswordField(_l("New password"), validators=[
        _required(), Length(min=MIN_PASSWORD_LENGTH, max=200,
                            message=_l("Use %(min)d to %(max)d characters."))])


class ActionForm(BaseForm):
    """A button that changes state: nothing but the CSRF token."""
