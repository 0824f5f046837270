"""Activities' entries in the main menu (``apps.core.registry``)."""

from django.utils.translation import gettext_lazy as _

from apps.core.menu import has_deputy_record, scoped
from apps.core.registry import MenuEntry

ENTRIES = [
    MenuEntry(_("Activities"), "nav-activities", "duties", 10, scoped("activities.view_activity"),
              url_name="activities:activity_list"),
    MenuEntry(_("Self-reports"), "nav-self-reports", "duties", 20, scoped("activities.view_selfreport"),
              url_name="activities:self_report_queue"),
    MenuEntry(_("My activities"), "nav-my-activities", "duties", 40, has_deputy_record,
              url_name="activities:my_activities"),
]
