"""The home page's way into administration, for administrators (``apps.core.registry``)."""

from apps.core import roles
from apps.core.registry import HomeCard


def administration(user):
    return True if user.has_role(*roles.ADMIN_ROLES) else None


CARDS = [HomeCard("administration", 90, "accounts/fragment_home_administration.html", administration)]
