"""A standing committee meeting may be the record a meeting notice announces (``apps.core.registry``): the
notice's replies pre-fill its attendance grid, which staff confirm by saving it."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from apps.core.registry import MeetingTarget
from apps.covenant.access import office_meetings


KIND = "committee_meeting"


def _describe(meeting) -> str:
    return f"{formats.date_format(meeting.start_date)} {meeting.title}"


TARGETS = [
    MeetingTarget(KIND, _("Committee meeting"), 30, office_meetings, "start_date", _describe,
                  # the meeting's page, which every office role may open; its "record attendance" is for staff
                  lambda pk: reverse("covenant:meeting_detail", args=[pk])),
]
