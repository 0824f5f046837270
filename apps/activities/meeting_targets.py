"""An activity may be the record a meeting notice announces (``apps.core.registry``): the notice's replies
pre-fill its participants, which staff confirm on the activity's page."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from apps.activities.selectors.activities import visible_activities
from apps.core.registry import MeetingTarget


KIND = "activity"


def _describe(activity) -> str:
    return f"{formats.date_format(activity.start_date)} {activity.title}"


TARGETS = [
    MeetingTarget(KIND, _("Activity"), 10, visible_activities, "start_date", _describe,
                  lambda pk: reverse("activities:activity_detail", args=[pk]) + "#participants"),
]
