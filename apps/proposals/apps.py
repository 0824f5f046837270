from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def ensure_reference_data(**kwargs):
    """Keep the default categories, reply classes and handling rules present after every migrate and flush
    (transactional tests flush the tables the data migration filled)."""
    from apps.proposals.defaults import ensure_defaults

    ensure_defaults()


class ProposalsConfig(AppConfig):
    name = "apps.proposals"
    verbose_name = _("Motions and suggestions")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_reference_data, sender=self)
