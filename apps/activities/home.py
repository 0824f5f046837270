"""The workbench's cards of activities (``apps.core.registry``): the self-reports waiting for the office's
verification, counted by the selector of the verification queue that the card opens, and the activities held
this year."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.activities.models import SelfReport
from apps.activities.selectors.activities import filter_activities, visible_activities
from apps.activities.selectors.self_reports import office_self_reports
from apps.core.access import is_office
from apps.core.registry import QUEUE_TEMPLATE, YEAR_FIGURES, HomeCard, WorkItem, WorkQueue


def self_reports_to_verify(user) -> WorkQueue | None:
    """Pending self-reports (履职登记) of the user's jurisdiction, opening the queue filtered to them."""
    if not is_office(user, "activities.view_selfreport"):
        return None
    pending = SelfReport.Status.PENDING
    url = f"{reverse('activities:self_report_queue')}?status={pending}"
    return WorkQueue("activities-office", _("Deputies' self-reports"), (
        WorkItem("activities-self-reports", _("Self-reports to verify"), url,
                 queryset=office_self_reports(user).filter(status=pending)),))


def year_figures(user) -> WorkQueue | None:
    """The office's figure of the year: the activities held this year in its scope (the activity list's dates)."""
    if not is_office(user, "activities.view_activity"):
        return None
    year = timezone.localdate().year
    dates = {"date_from": datetime.date(year, 1, 1), "date_to": datetime.date(year, 12, 31)}
    url = f"{reverse('activities:activity_list')}?{urlencode({k: v.isoformat() for k, v in dates.items()})}"
    return WorkQueue(YEAR_FIGURES, _("This year in your jurisdiction"), (
        WorkItem("year-activities", _("Activities held"), url,
                 queryset=filter_activities(visible_activities(user), dates)),))


CARDS = [
    HomeCard("activities_office", 6, QUEUE_TEMPLATE, self_reports_to_verify),
    HomeCard("activities_year", 12, QUEUE_TEMPLATE, year_figures),
]
