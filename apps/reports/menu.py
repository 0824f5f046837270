"""Annual reports' entry in the main menu (``apps.core.registry``), under 考核."""

from django.utils.translation import gettext_lazy as _

from apps.core.menu import scoped
from apps.core.registry import MenuEntry


def _reports_office(user) -> bool:
    # Shown with the performance pages (scoring.view_ruleset), to those who also see the report batches.
    return scoped("scoring.view_ruleset")(user) and user.has_perm("reports.view_reportbatch")


ENTRIES = [
    MenuEntry(_("Annual reports"), "nav-reports", "assessment", 80, _reports_office, url_name="reports:batch_list",
              divider_before=True),
]
