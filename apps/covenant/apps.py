from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CovenantConfig(AppConfig):
    name = "apps.covenant"
    verbose_name = _("Committee members' covenant")
