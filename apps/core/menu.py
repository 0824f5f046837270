"""The main menu's task groups (代表 / 履职 / 议案建议 / 联系 / 考核 / 系统), its own entries, and the tests of who
sees an entry that the apps' ``menu.py`` modules share (see ``apps.core.registry``).

Each entry is shown only to the roles that use it, so that every role's menu fits on one line at 1,366 px; a
group shows only when at least one of its entries does. A new entry goes into its app's ``menu.py``, in its
task's group, with an ``order`` that places it among the others.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core import roles
from apps.core.registry import MenuEntry, MenuGroup


def has_deputy_record(user) -> bool:
    """A deputy's account tied to a person in the roster: the menus of their own record."""
    return user.person_id is not None and user.has_role(roles.DEPUTY)


def scoped(perm: str):
    """Who holds ``perm`` and has a jurisdiction to use it in (the office pages of an app)."""
    return lambda user: bool(user.jurisdiction_id) and user.has_perm(perm)


def holds_role(*names: str):
    return lambda user: user.has_role(*names)


GROUPS = [
    MenuGroup("deputies", pgettext_lazy("menu", "Deputies"), "nav-group-deputies", 20),
    MenuGroup("duties", pgettext_lazy("menu", "Duties"), "nav-group-duties", 30),
    MenuGroup("proposals", _("Motions and suggestions"), "nav-proposals", 40),
    MenuGroup("liaison", pgettext_lazy("menu", "Liaison"), "nav-group-liaison", 50),
    MenuGroup("assessment", pgettext_lazy("menu", "Assessment"), "nav-group-assessment", 60),
    MenuGroup("system", pgettext_lazy("menu", "System"), "nav-group-system", 70),
]

ENTRIES = [
    MenuEntry(_("Home"), "nav-home", None, 0, lambda user: True, url_name="core:home"),
    # The Django admin site is for superusers only.
    MenuEntry(_("Administration"), "nav-admin", "system", 90, lambda user: user.is_superuser,
              url_name="admin:index"),
]
