"""The covenant's entries in the main menu (``apps.core.registry``), under 考核 after the performance pages."""

from django.utils.translation import gettext_lazy as _

from apps.core import roles
from apps.core.menu import holds_role, scoped
from apps.core.registry import MenuEntry


def _covenant_office(user) -> bool:
    # Shown with the performance pages (scoring.view_ruleset), to those who also keep the covenant.
    return scoped("scoring.view_ruleset")(user) and user.has_perm("covenant.view_committeemeeting")


ENTRIES = [
    MenuEntry(_("Committee members' covenant"), "nav-covenant", "assessment", 70, _covenant_office,
              url_name="covenant:meeting_list", divider_before=True),
    MenuEntry(_("My covenant record"), "nav-my-covenant", "assessment", 90, holds_role(roles.MEMBER),
              url_name="covenant:my_covenant"),
]
