"""A committee meeting's printed sign-in sheet (签到表): its code opens the meeting's attendance grid
(``apps.core.paper``); the sheet lists the members in the grid's order (``selectors.attendance_grid``), with a
signature column for each day of the meeting."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from apps.core.paper import Sheet, SheetTable, dates_text, heads
from apps.core.registry import PaperKind
from apps.covenant import access, selectors
from apps.covenant.models import CommitteeMeeting

KIND = "committee_meeting"


def entry_url(user, object_id: int) -> str | None:
    """The attendance grid for staff who record it; the meeting's page for the rest of the office; both only in
    the user's scope."""
    if not access.is_office(user) or not access.office_meetings(user).filter(pk=object_id).exists():
        return None
    if access.can_write(user, "meetingattendance"):
        return reverse("covenant:meeting_attendance", args=[object_id])
    return reverse("covenant:meeting_detail", args=[object_id])


def sign_in_sheet(meeting: CommitteeMeeting) -> Sheet:
    h = heads()
    grid = selectors.attendance_grid(meeting)
    days = meeting.dates
    several = len(days) > 1
    width = 2.2 if len(days) <= 2 else 1.5
    day_columns = [(pgettext("paper form", "Signature, %(day)s") % {"day": formats.date_format(day, "MONTH_DAY_FORMAT")}
                    if several else h.signature, width) for day in days]
    rows = [[str(number), row.member.person.name, row.member.get_post_display(),
             *("" if served else "—" for _day, _record, served in row.cells), ""]
            for number, row in enumerate(grid, start=1)]
    table = SheetTable(
        heading=_("Members (%(count)s)") % {"count": len(grid)},
        columns=[(h.number, 0.6), (h.name, 1.5), (_("Post"), 1.4), *day_columns, (h.leave, 2.0)],
        rows=rows, empty_note=_("No member of this term serves on the meeting's days."))
    facts = [(_("Term"), meeting.term.name), (_("Dates"), dates_text(meeting.start_date, meeting.end_date)),
             (_("Jurisdiction"), meeting.jurisdiction.name)]
    return Sheet(title=_("%(title)s: sign-in sheet") % {"title": meeting.title}, facts=facts, tables=[table],
                 notes=[_("Sign for each day you attend; if you are on leave, write the reason. “—”: not serving "
                          "on that day.")],
                 landscape=len(days) > 2)


KINDS = [PaperKind(KIND, gettext_lazy("Committee meeting"), entry_url)]
