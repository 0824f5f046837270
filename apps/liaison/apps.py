from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def ensure_default_quota_rules(**kwargs):
    """Keep the default quota rules present after every migrate and flush (they are data, not code: a
    jurisdiction's own rules replace them, and administrators may edit them)."""
    import importlib

    from apps.liaison.models import QuotaRule

    defaults = importlib.import_module("apps.liaison.migrations.0002_default_quota_rules").DEFAULTS
    if QuotaRule.objects.filter(jurisdiction=None).exists():
        return
    for post, target, quantity, collective in defaults:
        QuotaRule.objects.get_or_create(jurisdiction=None, post=post, target=target, collective=collective,
                                        defaults={"quantity": quantity, "contacts_per_year": 4})


class LiaisonConfig(AppConfig):
    name = "apps.liaison"
    verbose_name = _("Liaison and participation")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_default_quota_rules, sender=self)
