"""Password rules of a level-3 system (等保): at least three of the four character classes, not the username.

Length (8), common passwords and similarity to the user's details are Django's own validators, listed with
these in ``AUTH_PASSWORD_VALIDATORS``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (str.islower, str.isupper, str.isdigit)


def _classes(password: str) -> int:
    lower = any(c.islower() for c in password)
    upper = any(c.isupper() for c in password)
    digit = any(c.isdigit() for c in password)
    other = any(not c.isalnum() for c in password)
    return lower + upper + digit + other


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower-case letters, upper-case letters, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if _classes(password) < self.min_classes:
            raise ValidationError(
                _("The password must mix at least %(count)d of: lower-case letters, upper-case letters, digits "
                  "and symbols.") % {"count": self.min_classes},
                code="password_too_simple")

    def get_help_text(self):
        return _("Mix at least %(count)d of: lower-case letters, upper-case letters, digits and symbols.") % {
            "count": self.min_classes}


class NotUsernameValidator:
    """The password is not the username, forwards or backwards, whatever the case."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        if username and password.lower() in (username, username[::-1]):
            raise ValidationError(_("The password cannot be your username."), code="password_is_username")

    def get_help_text(self):
        return _("It cannot be your username.")
