"""A real Celery worker process, on a broker of its own, brings a deputy's stored score up to date after a change
committed in this process: the change's refresh job goes through the outbox to the broker, the worker runs it
when its window is over, and the stored count then equals the records."""

import datetime
import time

import pytest
from django.utils import timezone

from apps.scoring import engine
from apps.scoring.models import ScoreLine, Source, StaleMandate
from apps.scoring.services import records as record_services
from tests.reports.worker import report_broker, report_workers, wait_for  # noqa: F401 (fixtures)
from tests.scoring.factories import item, typical_rule_set

pytestmark = pytest.mark.smoke


def test_a_change_reaches_the_stored_score_through_a_real_worker(report_workers, settings, city, municipal_mandate,
                                                                 staff_user):
    settings.SCORE_REFRESH_DELAY_SECONDS = 1
    year = timezone.localdate().year
    rule_set = typical_rule_set(city, year=year, name=f"{year}年度市人大代表履职考核办法")
    engine.compute(rule_set)
    StaleMandate.objects.all().delete()
    worker = report_workers()
    commendations = item(rule_set, Source.COMMENDATION)

    def stored() -> int:
        line = ScoreLine.objects.filter(score__rule_set=rule_set, score__mandate=municipal_mandate,
                                        item=commendations).first()
        return line.count if line else 0

    assert stored() == 0
    started = time.monotonic()
    record_services.commendation_create(user=staff_user, mandate=municipal_mandate,
                                        date=datetime.date(year, 1, 1), title="优秀人大代表", awarded_by="市人大常委会")
    wait_for(lambda: stored() == 1, timeout=90, interval=0.2, worker=worker)
    assert time.monotonic() - started < 60
    assert stored() == engine.item_records(commendations, municipal_mandate).count()
    assert not StaleMandate.objects.exists()
