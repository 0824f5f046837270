"""The report batch's tasks: load by id, call the work (``apps.reports.generation``). Each is idempotent: they
are queued through the outbox (delivered at least once) and acknowledged late (run again after a lost
worker)."""

import logging

from celery import shared_task
from celery.signals import worker_ready

logger = logging.getLogger(__name__)


@shared_task(name="reports.run_batch")
def run_batch(batch_id: int) -> str:
    """Plan the batch's missing files as chunk tasks, or finish it; a finished batch returns at once."""
    from apps.reports.generation import batch_run

    return batch_run(batch_id)


@shared_task(name="reports.run_chunk")
def run_chunk(batch_id: int, round_: int, mandate_ids: list[int]) -> int:
    """Make the PDFs of one chunk of deputies (of the batch's current round); the last chunk finishes."""
    from apps.reports.generation import chunk_run

    return chunk_run(batch_id, round_, mandate_ids)


@shared_task(name="reports.resume_batches")
def resume_batches() -> list[int]:
    """Every few minutes: queue again the batches nobody has worked on for a while (a lost worker's)."""
    from apps.reports.services import batches_resume

    return batches_resume()


@worker_ready.connect
def resume_batches_on_start(sender=None, **kwargs) -> None:
    """A worker that starts resumes at once the batches no process works on (a killed worker's), without
    waiting for the periodic check."""
    from apps.reports.services import batches_resume

    try:
        batches_resume(stalled_seconds=None)
    except Exception:  # noqa: BLE001 - a worker must start even if the database is not reachable yet
        logger.exception("reports: could not look for batches to resume")


PERIODIC_TASKS = [
    {
        "name": "resume report batches",
        "task": "reports.resume_batches",
        "crontab": {"minute": "*/5"},
        "description": "Queue again the annual report batches no worker has worked on for ten minutes.",
    },
]
