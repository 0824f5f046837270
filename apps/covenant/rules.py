"""The covenant's rules (履职公约): what a member's year is judged by, in one place.

For one member and one year (the meetings that start in that year, the days already held — on or before
today — while the member served):

- **Meetings missed** (缺席会议): a meeting counts as missed when the member was absent without leave (缺席)
  on at least one of its days. Leave (请假) is not missing a meeting. Flagged at ``MISSED_MEETINGS_FLAG`` (3)
  or more meetings in the year.
- **Days away** (缺席天数过半): the days the member was on leave or absent (请假 + 缺席) against all the meeting
  days held while they served. Flagged when the days away are at least half (``DAYS_AWAY_SHARE``) of those
  days — exactly half is flagged. A day with no attendance recorded is not a day away.
- **Never spoke** (未发言): no speech recorded at any of the year's meetings; only judged when at least one
  meeting day was held while the member served.
- **No motion or suggestion** (未提出议案建议): the member's person leads, or co-signed and confirmed, no motion
  or suggestion of the year to their congress that was submitted (states from ``apps.proposals.rules.COUNTED_STATES``;
  drafts, returned and withdrawn items do not count).
"""

from fractions import Fraction

from django.db import models
from django.utils.translation import gettext, gettext_lazy as _

from apps.deputies.attendance import Attendance

MISSED_MEETINGS_FLAG = 3
DAYS_AWAY_SHARE = Fraction(1, 2)
AWAY_STATUSES = (Attendance.LEAVE, Attendance.ABSENT)


class Flag(models.TextChoices):
    MISSED_MEETINGS = "missed_meetings", _("Missed 3 or more meetings")
    DAYS_AWAY = "days_away", _("Away at least half of the meeting days")
    NO_SPEECH = "no_speech", _("Never spoke")
    NO_PROPOSAL = "no_proposal", _("Raised no motion or suggestion")


def flags_for(*, missed_meetings: int, days_away: int, meeting_days: int, speeches: int,
              proposals: int) -> tuple[str, ...]:
    """The flags a member's year raises, in ``Flag`` order."""
    flags = []
    if missed_meetings >= MISSED_MEETINGS_FLAG:
        flags.append(Flag.MISSED_MEETINGS.value)
    if meeting_days and Fraction(days_away, meeting_days) >= DAYS_AWAY_SHARE:
        flags.append(Flag.DAYS_AWAY.value)
    if meeting_days and not speeches:
        flags.append(Flag.NO_SPEECH.value)
    if not proposals:
        flags.append(Flag.NO_PROPOSAL.value)
    return tuple(flags)


def explanations() -> list[str]:
    """The rules in words, as the flags page, the notice and its exports explain them."""
    return [
        gettext("Meetings missed: a meeting counts as missed when the member was absent without leave on at least "
                "one of its days; flagged at %(n)s or more in the year.") % {"n": MISSED_MEETINGS_FLAG},
        gettext("Days away: days on leave and days absent together, flagged when they are at least half of the "
                "meeting days held while the member served (exactly half is flagged)."),
        gettext("Never spoke: no speech recorded at the year's meetings."),
        gettext("No motion or suggestion: the member led or co-signed none submitted to the congress in the year."),
        gettext("Only meeting days already held count; a day with no attendance recorded is not a day away."),
    ]
