"""Helpers of the reports tests: deputies with scores, a worker's loop over the outbox, the files on disk."""

from __future__ import annotations

import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from apps.core.models import OutboxMessage
from apps.deputies.models import Level
from apps.reports import generation
from apps.reports.models import ReportBatch, ReportFile
from apps.scoring import engine
from tests.factories import MandateFactory, PersonFactory, TermFactory
from tests.scoring.factories import YEAR, typical_rule_set

TASKS = {"reports.run_batch": generation.batch_run, "reports.run_chunk": generation.chunk_run}


def make_deputies(city, count: int, *, term=None) -> list:
    """``count`` municipal deputies of the city serving in ``YEAR``, scored under a published rule set."""
    term = term or TermFactory(jurisdiction=city, level=Level.MUNICIPAL, number=16, name="市第十六届")
    mandates = [MandateFactory(term=term, person=PersonFactory(name=f"代表{i:03d}")) for i in range(count)]
    rule_set = typical_rule_set(city, level=Level.MUNICIPAL, year=YEAR)
    engine.compute(rule_set)
    return mandates


def work_off(*, max_jobs: int | None = None) -> int:
    """Be the broker and a worker for the reports jobs: hand every job of the outbox to the queue as it is
    written (marked sent), and run the queue in order; the number run. A job that raises stops the worker:
    the queue it held is lost (the jobs stay marked sent)."""
    queue: list[OutboxMessage] = []
    ran = 0
    while max_jobs is None or ran < max_jobs:
        sent = list(OutboxMessage.objects.filter(dispatched_at__isnull=True, task__in=list(TASKS)).order_by("pk"))
        OutboxMessage.objects.filter(pk__in=[m.pk for m in sent]).update(dispatched_at=timezone.now())
        queue += sent
        if not queue:
            break
        message = queue.pop(0)
        TASKS[message.task](*message.args, **message.kwargs)
        ran += 1
    return ran


def run_jobs(messages) -> list:
    """Run these (already sent) jobs again, as a broker delivering them a second time would."""
    return [TASKS[m.task](*m.args, **m.kwargs) for m in messages]


def batch_dir(batch: ReportBatch) -> Path:
    return Path(settings.MEDIA_ROOT) / batch.directory


def deputy_files_on_disk(batch: ReportBatch) -> list[str]:
    return sorted(p.name for p in batch_dir(batch).glob("deputy-*.pdf"))


def temp_files(batch: ReportBatch) -> list[str]:
    return sorted(p.name for p in batch_dir(batch).glob(f"*{generation.TEMP_SUFFIX}"))


def mtimes(batch: ReportBatch) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in batch_dir(batch).iterdir()}


def zip_names(batch: ReportBatch) -> list[str]:
    batch.refresh_from_db()
    with zipfile.ZipFile(Path(settings.MEDIA_ROOT) / batch.zip_file.name) as archive:
        assert archive.testzip() is None
        return sorted(archive.namelist())


def expected_zip_names(batch: ReportBatch) -> list[str]:
    return sorted(f.zip_name for f in ReportFile.objects.filter(batch=batch))


def assert_one_file_per_deputy(batch: ReportBatch, mandates) -> None:
    """Exactly one recorded PDF per deputy, each on disk, nothing else and no half-written file."""
    expected = sorted(f"deputy-{m.pk}.pdf" for m in mandates)
    rows = list(ReportFile.objects.filter(batch=batch, kind=ReportFile.Kind.DEPUTY_PDF)
                .values_list("mandate_id", flat=True))
    assert sorted(rows) == sorted(m.pk for m in mandates)  # one row each, no duplicate
    assert deputy_files_on_disk(batch) == expected
    assert temp_files(batch) == []
    for f in ReportFile.objects.filter(batch=batch):
        path = Path(settings.MEDIA_ROOT) / f.file.name
        assert path.stat().st_size == f.size > 0


def finished_batch(*, jurisdiction, mandate, user=None, year: int = YEAR) -> tuple[ReportBatch, ReportFile]:
    """A done batch made by hand (no PDF rendering): one deputy's file, the summary and a zip of both."""
    batch = ReportBatch.objects.create(year=year, jurisdiction=jurisdiction, requested_by=user,
                                       status=ReportBatch.Status.DONE, total=1, done=1,
                                       started_at=timezone.now(), finished_at=timezone.now())
    deputy = f"{batch.directory}/deputy-{mandate.pk}.pdf"
    size = generation.write_atomically(deputy, b"%PDF-1.4 report")
    pdf = ReportFile.objects.create(batch=batch, kind=ReportFile.Kind.DEPUTY_PDF, mandate=mandate,
                                    person_name=mandate.person.name, file=deputy, size=size)
    summary = f"{batch.directory}/summary.xlsx"
    ReportFile.objects.create(batch=batch, kind=ReportFile.Kind.SUMMARY_XLSX, file=summary,
                              size=generation.write_atomically(summary, b"PK workbook"))
    zip_name = f"{batch.directory}/reports.zip"
    generation.build_zip(batch, zip_name)
    batch.zip_file = zip_name
    batch.save(update_fields=["zip_file"])
    return batch, pdf
