"""Base form: every form in the app subclasses it (CSRF is global)."""

from __future__ import annotations

from flask_wtf import FlaskForm


class BaseForm(FlaskForm):
    """Flask-WTF form whose validation messages go through Flask-Babel (see i18n)."""

    class Meta:
        """WTForms picks up Flask-Babel's translations for its built-in messages."""

        def get_translations(self, form):
            from flask_babel import get_translations

            return get_translations()
