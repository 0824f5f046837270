"""Starting a batch: the batch and its job are written in one transaction (the outbox), refused with a
message for a scope outside the user's, a bad year or a batch of the same scope still running."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.models import OutboxMessage
from apps.deputies.models import Level
from apps.reports import services
from apps.reports.models import ReportBatch
from tests.reliability.support import broker_down
from tests.scoring.factories import YEAR


def test_starting_a_batch_writes_it_and_its_job_in_the_outbox(staff_user, county, media,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch = services.batch_start(user=staff_user, year=YEAR, jurisdiction=county, level=Level.COUNTY)
    assert (batch.status, batch.year, batch.jurisdiction, batch.level, batch.requested_by) == (
        ReportBatch.Status.QUEUED, YEAR, county, Level.COUNTY, staff_user)
    message = OutboxMessage.objects.get()
    assert (message.task, message.args, message.dedup_key) == ("reports.run_batch", [batch.pk],
                                                                f"reports:batch:{batch.pk}:start")
    assert message.dispatched_at is None and len(callbacks) == 1  # sent after the commit


def test_a_rolled_back_start_leaves_neither_batch_nor_job(staff_user, city, media):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.batch_start(user=staff_user, year=YEAR, jurisdiction=city)
        raise RuntimeError
    assert not ReportBatch.objects.exists() and not OutboxMessage.objects.exists()


def test_a_batch_started_while_the_broker_is_down_waits_in_the_outbox(staff_user, city, media, settings,
                                                                      django_capture_on_commit_callbacks):
    from apps.reports import selectors

    with broker_down(settings), django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_start(user=staff_user, year=YEAR, jurisdiction=city)
    message = OutboxMessage.objects.get()
    assert message.dispatched_at is None and message.attempts == 1
    assert selectors.waits_in_outbox(batch)
    assert selectors.with_outbox_state(ReportBatch.objects.all()).get().waiting_for_queue


@pytest.mark.parametrize("year", [1999, 2100])
def test_a_year_outside_the_range_is_refused(staff_user, city, year):
    with pytest.raises(ValidationError) as exc:
        services.batch_start(user=staff_user, year=year, jurisdiction=city)
    assert "year" in exc.value.message_dict
    assert not ReportBatch.objects.exists() and not OutboxMessage.objects.exists()


def test_a_jurisdiction_outside_the_users_is_refused(county_staff_user, city, other_county):
    for jurisdiction in (city, other_county):
        with pytest.raises(ValidationError) as exc:
            services.batch_start(user=county_staff_user, year=YEAR, jurisdiction=jurisdiction)
        assert "jurisdiction" in exc.value.message_dict
    assert not ReportBatch.objects.exists()


def test_a_second_batch_of_the_same_scope_waits_for_the_first(staff_user, city, media):
    first = services.batch_start(user=staff_user, year=YEAR, jurisdiction=city, level=Level.MUNICIPAL)
    with pytest.raises(ValidationError) as exc:
        services.batch_start(user=staff_user, year=YEAR, jurisdiction=city, level=Level.MUNICIPAL)
    assert str(first.pk) in exc.value.messages[0]
    # Another level, or the same scope once the first is done, is fine.
    services.batch_start(user=staff_user, year=YEAR, jurisdiction=city, level=Level.COUNTY)
    ReportBatch.objects.filter(pk=first.pk).update(status=ReportBatch.Status.DONE)
    services.batch_start(user=staff_user, year=YEAR, jurisdiction=city, level=Level.MUNICIPAL)
    assert ReportBatch.objects.count() == 3


def test_only_a_failed_batch_is_started_again(staff_user, city, media):
    batch = services.batch_start(user=staff_user, year=YEAR, jurisdiction=city)
    with pytest.raises(ValidationError):
        services.batch_restart(user=staff_user, batch=batch)
    ReportBatch.objects.filter(pk=batch.pk).update(status=ReportBatch.Status.FAILED, error="boom")
    services.batch_restart(user=staff_user, batch=batch)
    batch.refresh_from_db()
    assert (batch.status, batch.error) == (ReportBatch.Status.QUEUED, "")
    assert OutboxMessage.objects.filter(task="reports.run_batch").count() == 2


def test_the_periodic_check_resumes_only_batches_without_progress_for_a_while(staff_user, city, media):
    import datetime

    import time_machine

    batch = services.batch_start(user=staff_user, year=YEAR, jurisdiction=city)
    OutboxMessage.objects.update(dispatched_at=batch.created_at)  # sent, then lost with its worker
    assert services.batches_resume() == []  # just started
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=services.STALLED_AFTER_SECONDS + 5)
    with time_machine.travel(later, tick=False):
        assert services.batches_resume() == [batch.pk]
        # Its new run waits in the outbox: not resumed twice.
        assert services.batches_resume() == []


def test_the_periodic_check_is_installed_every_five_minutes(db):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_periodic_tasks", verbosity=0)
    task = PeriodicTask.objects.get(task="reports.resume_batches")
    assert task.enabled and task.crontab.minute == "*/5"


def test_a_starting_worker_resumes_at_once_the_batches_nobody_works_on(staff_user, city, media):
    from apps.reports.tasks import resume_batches_on_start

    batch = services.batch_start(user=staff_user, year=YEAR, jurisdiction=city)
    resume_batches_on_start()
    assert OutboxMessage.objects.count() == 1  # its job still waits to be sent: the dispatcher sends it
    OutboxMessage.objects.update(dispatched_at=batch.created_at)  # sent, then lost with a killed worker
    resume_batches_on_start()
    assert OutboxMessage.objects.filter(dedup_key__startswith=f"reports:batch:{batch.pk}:resume:").count() == 1
