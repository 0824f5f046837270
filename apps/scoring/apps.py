from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "apps.scoring"
    verbose_name = _("Scoring and performance records")

    def ready(self):
        from apps.core.person_links import register_record
        from apps.scoring import signals
        from apps.scoring.access import is_office

        signals.connect()  # scores follow the records they count
        register_record(url_name="scoring:deputy_record", may_open=is_office)
