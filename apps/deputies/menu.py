"""The roster's entry in the main menu (``apps.core.registry``)."""

from django.utils.translation import gettext_lazy as _

from apps.core.access import sees_roster
from apps.core.registry import MenuEntry

ENTRIES = [
    MenuEntry(_("Roster"), "nav-roster", "deputies", 10, sees_roster, url_name="deputies:roster_list"),
]
