"""Publicity's entry in the main menu (``apps.core.registry``)."""

from django.utils.translation import gettext_lazy as _

from apps.core.menu import scoped
from apps.core.registry import MenuEntry

ENTRIES = [
    MenuEntry(_("Publicity"), "nav-publicity", "duties", 85, scoped("publicity.view_publicityitem"),
              url_name="publicity:item_list"),
]
