from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def ensure_calendar(**kwargs):
    """Keep the working-day calendar filled after every migrate and flush (transactional tests flush)."""
    from apps.core.calendar import sync_from_package
    from apps.core.models import CalendarDay

    if not CalendarDay.objects.exists():
        sync_from_package()


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from apps.core import audit, roles

        post_migrate.connect(roles.sync_role_groups)
        post_migrate.connect(ensure_calendar, sender=self)
        audit.connect()  # an audit entry for every create/update/delete of a business record
