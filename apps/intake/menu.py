"""Voters' opinions in the main menu (``apps.core.registry``): the office's inbox and codes under 代表, beside
the work stations; a deputy's under 履职, beside their reception days."""

from django.utils.translation import gettext_lazy as _

from apps.core.menu import has_deputy_record, scoped
from apps.core.registry import MenuEntry

ENTRIES = [
    MenuEntry(_("Voters' opinions"), "nav-intake", "deputies", 21, scoped("stations.view_votervisit"),
              url_name="intake:inbox"),
    MenuEntry(_("Deputies' codes"), "nav-intake-codes", "deputies", 22, scoped("stations.view_station"),
              url_name="intake:code_list"),
    MenuEntry(_("Voters' opinions to me"), "nav-my-intake", "duties", 51, has_deputy_record,
              url_name="intake:inbox"),
    MenuEntry(_("My deputy code"), "nav-my-code", "duties", 52, has_deputy_record, url_name="intake:my_code"),
]
