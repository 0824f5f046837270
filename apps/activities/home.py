"""The workbench's card of activities (``apps.core.registry``): the self-reports waiting for the office's
verification, counted by the selector of the verification queue that the card opens."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.activities.models import SelfReport
from apps.activities.selectors.self_reports import office_self_reports
from apps.core.access import is_office
from apps.core.registry import QUEUE_TEMPLATE, HomeCard, WorkItem, WorkQueue


def self_reports_to_verify(user) -> WorkQueue | None:
    """Pending self-reports (履职登记) of the user's jurisdiction, opening the queue filtered to them."""
    if not is_office(user, "activities.view_selfreport"):
        return None
    pending = SelfReport.Status.PENDING
    url = f"{reverse('activities:self_report_queue')}?status={pending}"
    return WorkQueue("activities-office", _("Deputies' self-reports"), (
        WorkItem("activities-self-reports", _("Self-reports to verify"), url,
                 queryset=office_self_reports(user).filter(status=pending)),))


CARDS = [HomeCard("activities_office", 6, QUEUE_TEMPLATE, self_reports_to_verify)]
