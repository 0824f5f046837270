"""The work of a report batch, as the Celery tasks run it: plan, make the deputies' PDFs in chunks, finish.

- ``batch_run`` (task ``reports.run_batch``) plans: under the batch's exclusive lock it lists the deputies in
  scope, drops those whose PDF is already recorded, and queues the rest as chunk tasks (through the outbox)
  under a new *round*; with nothing left it finishes at once. A finished batch returns at once: a second run
  does nothing.
- ``chunk_run`` (task ``reports.run_chunk``) makes the PDFs of one chunk under a shared lock (the chunks of a
  batch run side by side, one per worker process). A chunk of an older round does nothing. Each PDF is written
  to a temporary name and moved onto its deterministic path (``reports/batch-<id>/deputy-<mandate>.pdf``)
  before its ``ReportFile`` row is inserted, so a killed worker leaves no half file counted; progress
  (``done``, the count of recorded PDFs) is written every ``PROGRESS_EVERY`` files.
- The chunk that finds every PDF recorded and no other chunk running takes the exclusive lock and finishes:
  the Excel summary, the covenant notice (Excel and PDF), then the zip, and marks the batch done.

The lock is a PostgreSQL session advisory lock on the batch: exclusive for planning and finishing, shared for
chunks. A worker that dies loses its connection and with it its lock, so ``orphaned`` (asked when a worker
starts and every few minutes) tells a batch nobody works on from one in progress; ``services.batches_resume``
plans it again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
import zipfile
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import outbox
from apps.deputies.models import Mandate
from apps.reports import selectors
from apps.reports.models import ReportBatch, ReportFile
from apps.reports.tasks import run_chunk

logger = logging.getLogger(__name__)

CHUNK_SIZE = 50  # deputies per chunk task
PROGRESS_EVERY = 20  # files between two progress writes
LOCK_NAMESPACE = "reports.batch"
TEMP_SUFFIX = ".tmp"

Kind = ReportFile.Kind
Status = ReportBatch.Status


# --- what a file is made of (the other apps' exports) ------------------------------------------------------------

def deputy_records(persons, year: int) -> dict:
    """The performance records of the year of these persons (by person id), read together in the record's ten
    queries: the same records the /me/ page shows."""
    from apps.scoring.selectors.record import performance_records

    return performance_records(persons, year)


def recompute_scores(batch: ReportBatch) -> dict[str, int]:
    """Recompute the scores the batch's reports show before any is rendered (the stored ones may predate the
    latest records: a report must not show a count that contradicts its own list). A failure fails the batch
    with the reason; no report is made from stale scores."""
    from apps.scoring.services.scores import scores_recompute_scope

    try:
        return scores_recompute_scope(year=batch.year, jurisdiction=batch.jurisdiction, level=batch.level or None)
    except Exception as exc:
        raise ScoresNotRecomputed(_("The scores of %(year)s could not be recomputed before the reports were made "
                                    "(%(error)s); no report was made: start the batch again.")
                                  % {"year": batch.year, "error": exc}) from exc


class ScoresNotRecomputed(RuntimeError):
    """The scores could not be brought up to date before the reports (the batch fails with this message)."""


def deputy_pdf(record) -> bytes:
    """A deputy's performance record as a PDF."""
    from apps.scoring.pdf import render_record_pdf

    return render_record_pdf(record)


def summary_xlsx(batch: ReportBatch) -> bytes:
    from apps.scoring.exports import summary_xlsx as export

    return export(batch.jurisdiction, batch.year, batch.level or None)


def notice_xlsx(batch: ReportBatch) -> bytes:
    from apps.covenant.exports import notice_xlsx as export

    return export(batch.jurisdiction, batch.year)


def notice_pdf(batch: ReportBatch) -> bytes:
    from apps.covenant.exports import notice_pdf as export

    return export(batch.jurisdiction, batch.year)


BATCH_EXPORTS = [(Kind.SUMMARY_XLSX, "summary.xlsx", summary_xlsx), (Kind.NOTICE_XLSX, "notice.xlsx", notice_xlsx),
                 (Kind.NOTICE_PDF, "notice.pdf", notice_pdf)]


# --- the lock ----------------------------------------------------------------------------------------------------

@contextlib.contextmanager
def batch_lock(batch_id: int, *, shared: bool = False, wait: bool = False):
    """Hold the batch's session advisory lock (exclusive, or shared by chunks) for the block; yields whether
    it was obtained (``wait`` blocks until it is). Released on exit, or by the database if the process dies."""
    mode = "_shared" if shared else ""
    function = f"pg_advisory_lock{mode}" if wait else f"pg_try_advisory_lock{mode}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(hashtext(%s), %s)", [LOCK_NAMESPACE, batch_id])
        held = True if wait else bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT pg_advisory_unlock{mode}(hashtext(%s), %s)", [LOCK_NAMESPACE, batch_id])


def is_locked(batch_id: int) -> bool:
    """Whether some process holds the batch's lock (plans, finishes or makes a chunk) right now."""
    with batch_lock(batch_id) as held:
        return not held


def orphaned(batch: ReportBatch) -> bool:
    """An unfinished batch that no process works on: no job of it waits in the outbox and nobody holds its lock
    (its chunks may still wait in the broker's queue: they then find a newer round and do nothing)."""
    return (batch.status in (Status.QUEUED, Status.RUNNING) and not selectors.waits_in_outbox(batch)
            and not is_locked(batch.pk))


# --- files on disk -----------------------------------------------------------------------------------------------

def _path(name: str) -> Path:
    return Path(default_storage.path(name))


def write_atomically(name: str, content: bytes) -> int:
    """Write ``content`` to the storage path ``name`` through a temporary file moved into place; its size."""
    path = _path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}{TEMP_SUFFIX}")
    try:
        with open(temp, "wb") as handle:
            handle.write(content)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return len(content)


def remove_temp_files(batch: ReportBatch) -> int:
    """Delete half-written files a killed process left in the batch's directory (only under the exclusive
    lock: no process of the batch is writing)."""
    directory = _path(batch.directory)
    removed = 0
    if directory.is_dir():
        for temp in directory.glob(f".*{TEMP_SUFFIX}"):
            temp.unlink(missing_ok=True)
            removed += 1
    return removed


def _record(batch: ReportBatch, kind: str, name: str, size: int, *, mandate_id=None, person_name="") -> None:
    """The file's row, once it is complete on disk (a second insert of the same file is ignored)."""
    ReportFile.objects.bulk_create(
        [ReportFile(batch=batch, kind=kind, mandate_id=mandate_id, person_name=person_name, file=name, size=size)],
        ignore_conflicts=True)


def _progress(batch_id: int) -> tuple[str, int] | None:
    """Write ``done`` as the count of recorded PDFs; the batch's status and round now (None if it is gone)."""
    recorded = (ReportFile.objects.filter(batch=OuterRef("pk"), kind=Kind.DEPUTY_PDF).order_by()
                .values("batch").annotate(n=Count("pk")).values("n"))
    ReportBatch.objects.filter(pk=batch_id).update(done=Coalesce(Subquery(recorded), 0),
                                                   progress_at=timezone.now())
    return ReportBatch.objects.filter(pk=batch_id).values_list("status", "round").first()


def _fail(batch_id: int, exc: BaseException) -> None:
    logger.exception("reports: batch %s failed", batch_id)
    ReportBatch.objects.filter(pk=batch_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
        status=Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000], finished_at=timezone.now())


# --- the three steps -------------------------------------------------------------------------------------------

def batch_run(batch_id: int, *, wait: bool = True) -> str:
    """Plan the batch's remaining work (or finish it); what happened, as a word for the task's result.

    While chunks of the batch run elsewhere (a resumed batch whose old round is still being worked on) the
    planning waits for them to let go of the lock (``wait``), then plans what they left; new chunks wait
    behind it and then find the newer round."""
    batch = ReportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    if batch.status in (Status.DONE, Status.FAILED):
        return batch.status
    with batch_lock(batch_id, wait=wait) as held:
        if not held:
            return "busy"
        batch.refresh_from_db()
        if batch.status in (Status.DONE, Status.FAILED):
            return batch.status
        try:
            return _plan(batch)
        except Exception as exc:
            _fail(batch_id, exc)
            raise


def _plan(batch: ReportBatch) -> str:
    remove_temp_files(batch)
    recompute_scores(batch)
    deputies = list(selectors.batch_deputies(batch))  # representative mandate ids, one per person
    rows = list(batch.files.filter(kind=Kind.DEPUTY_PDF).values_list("mandate_id", flat=True))
    recorded = {pk for pk in rows if pk is not None}  # (a deleted mandate's PDF keeps its row, without it)
    remaining = [pk for pk in deputies if pk not in recorded]
    with transaction.atomic():
        now = timezone.now()
        batch.round += 1
        batch.status = Status.RUNNING
        batch.started_at = batch.started_at or now
        batch.progress_at = now
        batch.total = len(recorded | set(deputies)) + rows.count(None)
        batch.done = len(rows)
        batch.error = ""
        # A queryset update: the worker's bookkeeping is not a change anyone made (no audit entry).
        ReportBatch.objects.filter(pk=batch.pk).update(**{field: getattr(batch, field) for field in (
            "round", "status", "started_at", "progress_at", "total", "done", "error")})
        for index, start in enumerate(range(0, len(remaining), CHUNK_SIZE)):
            outbox.enqueue(run_chunk, batch.pk, batch.round, remaining[start:start + CHUNK_SIZE],
                           dedup_key=f"reports:chunk:{batch.pk}:{batch.round}:{index}")
    if not remaining:
        _finish(batch)
        return "done"
    return f"planned {len(remaining)} in round {batch.round}"


def chunk_run(batch_id: int, round_: int, mandate_ids: list[int]) -> int:
    """Make the PDFs of these deputies that are not recorded yet; how many were made. The chunk that completes
    the batch finishes it."""
    current = ReportBatch.objects.filter(pk=batch_id).values_list("status", "round").first()
    if current != (Status.RUNNING, round_):
        return 0
    made = 0
    with batch_lock(batch_id, shared=True, wait=True):
        batch = ReportBatch.objects.select_related("jurisdiction").filter(pk=batch_id).first()
        if batch is None or (batch.status, batch.round) != (Status.RUNNING, round_):
            return 0
        try:
            made = _make_deputy_pdfs(batch, mandate_ids)
        except Exception as exc:
            _fail(batch_id, exc)
            raise
    finish_if_complete(batch_id)
    return made


def _make_deputy_pdfs(batch: ReportBatch, mandate_ids: list[int]) -> int:
    recorded = set(batch.files.filter(kind=Kind.DEPUTY_PDF, mandate_id__in=mandate_ids)
                   .values_list("mandate_id", flat=True))
    todo = [pk for pk in mandate_ids if pk not in recorded]
    mandates = list(Mandate.objects.filter(pk__in=todo).select_related("person").order_by("pk"))
    made = unreported = 0
    records = deputy_records([mandate.person for mandate in mandates], batch.year)
    for mandate in mandates:
        name = f"{batch.directory}/deputy-{mandate.pk}.pdf"
        size = write_atomically(name, deputy_pdf(records[mandate.person_id]))
        _record(batch, Kind.DEPUTY_PDF, name, size, mandate_id=mandate.pk, person_name=mandate.person.name)
        made += 1
        unreported += 1
        if unreported >= PROGRESS_EVERY:
            unreported = 0
            if _progress(batch.pk) != (Status.RUNNING, batch.round):
                return made  # failed, restarted or deleted meanwhile: stop here
    if unreported:
        _progress(batch.pk)
    return made


def finish_if_complete(batch_id: int) -> bool:
    """Finish the batch if every deputy's PDF is recorded and no other process holds its lock (the last chunk
    to let go of its shared lock gets the exclusive one)."""
    batch = ReportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != Status.RUNNING:
        return False
    if batch.files.filter(kind=Kind.DEPUTY_PDF).count() < batch.total:
        return False
    with batch_lock(batch_id) as held:
        if not held:
            return False
        batch.refresh_from_db()
        if batch.status != Status.RUNNING or batch.files.filter(kind=Kind.DEPUTY_PDF).count() < batch.total:
            return False
        try:
            _finish(batch)
        except Exception as exc:
            _fail(batch_id, exc)
            raise
    return True


def _finish(batch: ReportBatch) -> None:
    """The batch's summary, notice and zip (each made only if missing), then done. Under the exclusive lock."""
    remove_temp_files(batch)
    have = set(batch.files.exclude(kind=Kind.DEPUTY_PDF).values_list("kind", flat=True))
    for kind, filename, export in BATCH_EXPORTS:
        if kind not in have:
            name = f"{batch.directory}/{filename}"
            _record(batch, kind, name, write_atomically(name, export(batch)))
    zip_name = f"{batch.directory}/reports-{batch.year}-{batch.pk}.zip"
    build_zip(batch, zip_name)
    done = batch.files.filter(kind=Kind.DEPUTY_PDF).count()
    ReportBatch.objects.filter(pk=batch.pk).update(
        status=Status.DONE, zip_file=zip_name, done=done, total=max(done, batch.total), error="",
        finished_at=timezone.now(), progress_at=timezone.now())


def build_zip(batch: ReportBatch, name: str) -> None:
    """Every recorded file of the batch in one zip, streamed from disk (a temporary file moved into place)."""
    path = _path(name)
    temp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}{TEMP_SUFFIX}")
    files = batch.files.order_by("kind", "person_name", "mandate_id").only(
        "kind", "mandate_id", "person_name", "file")
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
            for row in files.iterator(chunk_size=500):
                archive.write(_path(row.file.name), arcname=row.zip_name)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise

