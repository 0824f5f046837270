from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "apps.scoring"
    verbose_name = _("Scoring and performance records")

    def ready(self):
        from apps.scoring import signals

        signals.connect()  # scores follow the records they count
