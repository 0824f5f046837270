"""The workbench's reports card (``apps.core.registry``): annual report batches still queued or running, and those
that failed, each opening the batch list filtered to them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.registry import QUEUE_TEMPLATE, HomeCard, WorkItem, WorkQueue
from apps.reports import access, selectors

LABELS = {"active": _("Report batches queued or running"), "failed": _("Report batches failed")}


def batches(user) -> WorkQueue | None:
    if not access.is_office(user):
        return None
    counts = selectors.status_counts(access.office_batches(user))
    url = reverse("reports:batch_list")
    return WorkQueue("reports-office", _("Annual performance reports"), tuple(
        WorkItem(f"reports-{name}", LABELS[name], f"{url}?status={name}", count=counts[name])
        for name in selectors.STATUS_FILTERS))


CARDS = [HomeCard("reports_office", 8, QUEUE_TEMPLATE, batches)]
