"""A training session may be the record a meeting notice announces (``apps.core.registry``): the notice's
replies pre-fill its attendance, which staff confirm on the session's page."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from apps.core.registry import MeetingTarget
from apps.training.selectors import visible_sessions


KIND = "training_session"


def _describe(session) -> str:
    return f"{formats.date_format(session.date)} {session.program.title} · {session.title}"


TARGETS = [
    MeetingTarget(KIND, _("Training session"), 20, visible_sessions, "date", _describe,
                  lambda pk: reverse("training:session_detail", args=[pk]) + "#attendance",
                  select_related=("program",)),
]
