"""The workbench's covenant card (``apps.core.registry``): committee meetings begun with no attendance entered,
for the staff who enter it, opening the meeting list filtered to them."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.registry import QUEUE_TEMPLATE, HomeCard, WorkItem, WorkQueue
from apps.covenant import access, selectors


def attendance_to_enter(user) -> WorkQueue | None:
    if not access.can_write(user):
        return None
    meetings = selectors.unrecorded_meetings(access.office_meetings(user), timezone.localdate())
    return WorkQueue("covenant-office", _("Committee members' covenant"), (
        WorkItem("covenant-attendance", _("Meetings with attendance not entered"),
                 f"{reverse('covenant:meeting_list')}?attendance=missing", queryset=meetings),))


CARDS = [HomeCard("covenant_office", 7, QUEUE_TEMPLATE, attendance_to_enter)]
