"""The notices' entries in the main menu (``apps.core.registry``).

The inbox is a link on the bar for the roles whose menus are short (deputies, units, administrators), and an
entry of 联系 for the roles that already have that drop-down (the office and committee members), so that every
role's menu still fits on one line at 1,366 px; the office's notices follow it under 联系."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core import roles
from apps.core.menu import holds_role, scoped
from apps.core.registry import MenuEntry


def _inbox_on_the_bar(user) -> bool:
    return user.has_role(*roles.ALL_ROLES) and not user.has_role(*roles.ROSTER_ROLES)


ENTRIES = [
    MenuEntry(pgettext_lazy("menu", "Notices"), "nav-notices", None, 1, _inbox_on_the_bar,
              url_name="notices:inbox"),
    MenuEntry(_("My notices"), "nav-my-notices", "liaison", 75, holds_role(*roles.ROSTER_ROLES),
              url_name="notices:inbox", divider_before=True),
    MenuEntry(_("Publish notices"), "nav-notices-office", "liaison", 80, scoped("notices.add_notice"),
              url_name="notices:notice_list"),
]
