from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    """The standing committee's composition (常委会组成人员): its members, their posts and the special committees.

    Liaison, proposals and the covenant all use it; it imports only core, accounts and deputies.
    """

    name = "apps.committee"
    label = "committee"
    verbose_name = _("Standing committee composition")
