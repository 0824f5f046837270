"""Reads of the reports: the deputies a batch covers, the batches a user sees, the files of a batch."""

from __future__ import annotations

import datetime

from django.db.models import CharField, Count, Exists, Min, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from apps.core.models import OutboxMessage
from apps.deputies.models import Mandate, serving_q
from apps.reports.models import ReportBatch, ReportFile
from apps.scoring.models import Score


def scope_mandates(*, jurisdiction, year: int, level: str | None = None) -> QuerySet[Mandate]:
    """Mandates of ``level`` (any level if blank) in ``jurisdiction`` or below that served at some time in the
    year, or that were scored for it. Suspended mandates are included, as in scoring's scope (a report covers
    the year's score of the seat held)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    serving = serving_q(first, last, including_suspended=True)
    scored = Exists(Score.objects.filter(mandate=OuterRef("pk"), year=year))
    queryset = Mandate.objects.filter(jurisdiction__path__startswith=jurisdiction.path)
    if level:
        queryset = queryset.filter(level=level)
    return queryset.filter(serving | scored)


def batch_deputies(batch: ReportBatch) -> list[int]:
    """The deputies of a batch, one per person: the id of each person's first mandate in scope, in order (the
    person's PDF covers all their mandates)."""
    mandates = scope_mandates(jurisdiction=batch.jurisdiction, year=batch.year, level=batch.level or None)
    return list(mandates.order_by().values("person_id").annotate(first=Min("pk")).order_by("first")
                .values_list("first", flat=True))


def _outbox_prefix(batch_pk) -> str:
    return f"reports:batch:{batch_pk}:"


def waits_in_outbox(batch: ReportBatch) -> bool:
    """Whether a job of the batch (its run or a chunk) is still waiting in the outbox (the broker was down)."""
    return OutboxMessage.objects.filter(dispatched_at__isnull=True).filter(
        Q(dedup_key__startswith=_outbox_prefix(batch.pk))
        | Q(dedup_key__startswith=f"reports:chunk:{batch.pk}:{batch.round}:")).exists()


def with_outbox_state(queryset: QuerySet[ReportBatch]) -> QuerySet[ReportBatch]:
    """Batches annotated with ``waiting_for_queue``: their run has not been handed to the broker yet."""
    key = Concat(Value("reports:batch:"), Cast(OuterRef("pk"), CharField()), Value(":"))
    return queryset.annotate(waiting_for_queue=Exists(
        OutboxMessage.objects.filter(dispatched_at__isnull=True, dedup_key__startswith=key)))


# The list's "status" filter (and the workbench's counts): name → the batch states it keeps.
STATUS_FILTERS = {
    "active": (ReportBatch.Status.QUEUED, ReportBatch.Status.RUNNING),
    "failed": (ReportBatch.Status.FAILED,),
}


def filter_status(queryset: QuerySet[ReportBatch], status: str = "") -> QuerySet[ReportBatch]:
    """Keep the batches of ``STATUS_FILTERS[status]``; an unknown or empty filter keeps them all."""
    if status in STATUS_FILTERS:
        return queryset.filter(status__in=STATUS_FILTERS[status])
    return queryset


def status_counts(queryset: QuerySet[ReportBatch]) -> dict[str, int]:
    """How many batches each ``STATUS_FILTERS`` entry keeps, in one query."""
    return queryset.aggregate(**{name: Count("pk", filter=Q(status__in=states))
                                 for name, states in STATUS_FILTERS.items()})


def batch_list(queryset: QuerySet[ReportBatch], *, status: str = "") -> QuerySet[ReportBatch]:
    return with_outbox_state(filter_status(queryset, status).select_related("jurisdiction", "requested_by"))


def batch_files(batch: ReportBatch) -> QuerySet[ReportFile]:
    return batch.files.order_by("kind", "person_name", "mandate_id")
