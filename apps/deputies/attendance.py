"""Attendance values (出席 / 请假 / 缺席), shared by every record of who came: activities, training sessions and
the standing committee's meetings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Attendance(models.TextChoices):
    """Attendance at an activity, a training session or a meeting (出席 / 请假 / 缺席)."""

    PRESENT = "present", _("Present")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")
