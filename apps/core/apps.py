from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from apps.core import audit, roles

        post_migrate.connect(roles.sync_role_groups)
        audit.connect()  # an audit entry for every create/update/delete of a business record
