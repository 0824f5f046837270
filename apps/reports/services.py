"""Writes of the reports: starting a batch, starting a failed one again, resuming those nobody works on.

Each service checks the user's scope and the domain rule, raises ``ValidationError`` with a message saying
what is wrong and writes nothing then. The batch's work is queued through the outbox in the same transaction
as the write that asks for it (``apps.core.outbox``): it runs exactly when the write commits, also after a
broker outage. The work itself is ``apps.reports.generation``.
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import outbox
from apps.core.models import Jurisdiction
from apps.deputies.models import Level
from apps.reports import generation
from apps.reports.models import ReportBatch
from apps.reports.tasks import run_batch

logger = logging.getLogger(__name__)

MIN_YEAR = 2000
# A batch without progress for this long, and nobody holding its lock, is planned again by the periodic check.
STALLED_AFTER_SECONDS = 10 * 60


def _enqueue_run(batch: ReportBatch, purpose: str) -> None:
    key = f"reports:batch:{batch.pk}:{purpose}"
    if purpose != "start":
        key += f":{uuid.uuid4().hex[:12]}"
    outbox.enqueue(run_batch, batch.pk, dedup_key=key)


@transaction.atomic
def batch_start(*, user, year: int, jurisdiction: Jurisdiction, level: str | None = None) -> ReportBatch:
    """A batch of the annual reports of ``year`` for the deputies of ``level`` (all levels if blank) in
    ``jurisdiction`` and below, queued to run."""
    own = getattr(user, "jurisdiction", None)
    if own is None or jurisdiction is None or not jurisdiction.path.startswith(own.path):
        raise ValidationError({"jurisdiction": _("Choose your own jurisdiction or one below it.")})
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not MIN_YEAR <= year <= this_year:
        raise ValidationError({"year": _("Choose a year from %(first)s to %(last)s.")
                               % {"first": MIN_YEAR, "last": this_year}})
    level = level or ""
    if level and level not in Level.values:
        raise ValidationError({"level": _("Choose a level, or leave it blank for every level.")})
    unfinished = ReportBatch.objects.select_for_update().filter(
        year=year, jurisdiction=jurisdiction, level=level,
        status__in=[ReportBatch.Status.QUEUED, ReportBatch.Status.RUNNING]).first()
    if unfinished is not None:
        raise ValidationError(_("Reports of this year and scope are already being made (batch %(pk)s): wait "
                                "for it to finish.") % {"pk": unfinished.pk}, code="unfinished")
    try:
        with transaction.atomic():
            batch = ReportBatch.objects.create(year=year, jurisdiction=jurisdiction, level=level,
                                               requested_by=user)
    except IntegrityError:  # another request started the same batch at this moment
        raise ValidationError(_("Reports of this year and scope are already being made: wait for them to "
                                "finish."), code="unfinished") from None
    _enqueue_run(batch, "start")
    return batch


@transaction.atomic
def batch_restart(*, user, batch: ReportBatch) -> ReportBatch:
    """Run a failed batch again: the files it made are kept, the missing ones are made."""
    batch = ReportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ReportBatch.Status.FAILED:
        raise ValidationError(_("Only a failed batch can be started again."), code="not_failed")
    own = getattr(user, "jurisdiction", None)
    if own is None or not batch.jurisdiction.path.startswith(own.path):
        raise ValidationError(_("This batch is outside your jurisdiction."), code="forbidden")
    batch.status = ReportBatch.Status.QUEUED
    batch.error = ""
    batch.finished_at = None
    batch.save(update_fields=["status", "error", "finished_at"])
    _enqueue_run(batch, "restart")
    return batch


def batches_resume(*, stalled_seconds: int | None = STALLED_AFTER_SECONDS) -> list[int]:
    """Queue again the run of every unfinished batch nobody works on (a worker was killed, its job lost): with
    ``stalled_seconds``, only those without progress for that long. Their run plans what is still missing.
    The ids of the batches queued again."""
    unfinished = ReportBatch.objects.filter(status__in=[ReportBatch.Status.QUEUED, ReportBatch.Status.RUNNING])
    if stalled_seconds:
        cutoff = timezone.now() - datetime.timedelta(seconds=stalled_seconds)
        unfinished = unfinished.exclude(progress_at__gte=cutoff).exclude(progress_at=None, created_at__gte=cutoff)
    resumed = []
    for batch in unfinished.order_by("pk"):
        if generation.orphaned(batch):
            with transaction.atomic():
                _enqueue_run(batch, "resume")
            resumed.append(batch.pk)
    if resumed:
        logger.warning("reports: resumed batches %s", resumed)
    return resumed
