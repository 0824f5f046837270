"""The notices' entries in the main menu (``apps.core.registry``): the office's notices under 联系, and every
recipient's inbox on the bar after 首页."""

from django.utils.translation import gettext_lazy as _

from apps.core import roles
from apps.core.menu import holds_role, scoped
from apps.core.registry import MenuEntry

ENTRIES = [
    MenuEntry(_("My notices"), "nav-notices", None, 1, holds_role(*roles.ALL_ROLES), url_name="notices:inbox"),
    MenuEntry(_("Publish notices"), "nav-notices-office", "liaison", 80, scoped("notices.add_notice"),
              url_name="notices:notice_list", divider_before=True),
]
