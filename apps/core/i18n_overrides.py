"""Django's own messages whose Simplified Chinese translation Django 5.2 lacks (its catalogue still has an
older wording). Listed here so that ``makemessages`` keeps them in our catalogue, which translates them."""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
