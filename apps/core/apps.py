from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def ensure_calendar(**kwargs):
    """Keep the working-day calendar filled after every migrate and flush (transactional tests flush)."""
    from apps.core.calendar import sync_from_package
    from apps.core.models import CalendarDay

    if not CalendarDay.objects.exists():
        sync_from_package()


def ensure_cache_tables(using="default", **kwargs):
    """Create the database cache's table after every migrate when the settings use one (no Redis): the shared
    cache of every process, so `migrate` alone prepares a database (createcachetable skips existing tables)."""
    from django.conf import settings
    from django.core.management import call_command

    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from apps.core import audit, roles

        post_migrate.connect(roles.sync_role_groups)
        post_migrate.connect(ensure_calendar, sender=self)
        post_migrate.connect(ensure_cache_tables, sender=self)
        audit.connect()  # an audit entry for every create/update/delete of a business record
