"""The acceptance test of a batch's resumability: a real Celery worker (prefork, 2 processes) is killed with
SIGKILL in the middle of a batch; a new worker starts, resumes it and completes it with exactly one file per
deputy and no half-written file."""

from apps.deputies.models import Level
from apps.reports import generation, services
from apps.reports.models import ReportBatch, ReportFile
from tests.reports.support import assert_one_file_per_deputy, expected_zip_names, make_deputies, zip_names
from tests.reports.worker import report_broker, report_workers, wait_for  # noqa: F401 (fixtures)
from tests.scoring.factories import YEAR

DEPUTIES = 160


def _progress(batch) -> tuple[str, int]:
    return ReportBatch.objects.filter(pk=batch.pk).values_list("status", "done").get()


def test_a_worker_killed_mid_batch_and_a_new_one_complete_it_with_one_file_per_deputy(report_workers, city,
                                                                                      staff_user):
    mandates = make_deputies(city, DEPUTIES)
    first = report_workers()
    batch = services.batch_start(user=staff_user, year=YEAR, jurisdiction=city, level=Level.MUNICIPAL)  # commits

    status, done = wait_for(lambda: (s := _progress(batch))[1] > 0 and s, timeout=120, worker=first)
    first.kill()
    status, done = _progress(batch)
    assert status == ReportBatch.Status.RUNNING and 0 < done < DEPUTIES, first.output()
    made_before = ReportFile.objects.filter(batch=batch).count()

    second = report_workers()  # resumes the batch as it starts: nobody holds its lock any more
    wait_for(lambda: _progress(batch)[0] == ReportBatch.Status.DONE, timeout=240, worker=second)

    batch.refresh_from_db()
    assert (batch.done, batch.total, batch.error) == (DEPUTIES, DEPUTIES, "")
    assert batch.round >= 2  # planned again after the kill
    assert made_before < DEPUTIES
    assert_one_file_per_deputy(batch, mandates)
    assert zip_names(batch) == expected_zip_names(batch)
    assert len(zip_names(batch)) == DEPUTIES + 3

    # Nothing is left to resume, and a second run of the finished batch does nothing.
    assert services.batches_resume(stalled_seconds=None) == []
    assert generation.batch_run(batch.pk) == ReportBatch.Status.DONE
    assert ReportFile.objects.filter(batch=batch).count() == DEPUTIES + 3
