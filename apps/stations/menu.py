"""Work stations' entries in the main menu (``apps.core.registry``)."""

from django.utils.translation import gettext_lazy as _

from apps.core.menu import has_deputy_record, scoped
from apps.core.registry import MenuEntry

ENTRIES = [
    MenuEntry(_("Work stations"), "nav-stations", "deputies", 20, scoped("stations.view_station"),
              url_name="stations:station_list"),
    MenuEntry(_("My reception days"), "nav-my-reception-days", "duties", 50, has_deputy_record,
              url_name="stations:my_reception_days"),
]
