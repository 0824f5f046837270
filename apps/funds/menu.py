"""The funds' entry in the main menu (``apps.core.registry``)."""

from django.utils.translation import gettext_lazy as _

from apps.core.menu import scoped
from apps.core.registry import MenuEntry

ENTRIES = [
    MenuEntry(_("Activity funds"), "nav-funds", "duties", 80, scoped("funds.view_budget"),
              url_name="funds:budget_list"),
]
