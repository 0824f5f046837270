from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def ensure_default_activity_types(**kwargs):
    """Keep the default activity types present after every migrate and flush (transactional tests flush)."""
    import importlib

    from apps.activities.models import ActivityType

    if ActivityType.objects.exists():
        return
    module = importlib.import_module("apps.activities.migrations.0002_default_activity_types")
    for position, (code, name, has_outcomes) in enumerate(module.DEFAULTS, start=1):
        ActivityType.objects.get_or_create(code=code, defaults={"name": name, "has_outcomes": has_outcomes,
                                                                "position": position * 10})


class ActivitiesConfig(AppConfig):
    name = "apps.activities"
    verbose_name = _("Activities")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_default_activity_types, sender=self)
