"""Data analysis's entry on the main menu bar (``apps.core.registry``): for the office (staff and supervisors)."""

from django.utils.translation import gettext_lazy as _

from apps.core import roles
from apps.core.registry import MenuEntry


def _office(user) -> bool:
    return bool(user.jurisdiction_id) and user.has_role(*roles.OFFICE_ROLES)


ENTRIES = [
    MenuEntry(_("Data analysis"), "nav-analytics", None, 65, _office, url_name="analytics:index"),
]
