"""A training session's printed sign-in sheet (签到表): its code opens the session's attendance
(``apps.core.paper``); the sheet lists the recorded people in the attendance table's order (``attendance_rows``)."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.paper import Sheet, SheetTable, dates_text, heads
from apps.core.registry import PaperKind
from apps.training.models import TrainingSession
from apps.training.selectors import attendance_rows, session_for_user

KIND = "training_session"
BLANK_ROWS = 3  # for someone who came unlisted
EMPTY_ROWS = 20  # nobody listed yet: a sheet to sign on


def entry_url(user, object_id: int) -> str | None:
    """The attendance of a session in the user's scope."""
    if not user.has_perm("training.view_trainingsession"):
        return None
    try:
        session_for_user(user, object_id)
    except Http404:
        return None
    return reverse("training:session_detail", args=[object_id]) + "#attendance"


def sign_in_sheet(session: TrainingSession) -> Sheet:
    h = heads()
    rows = list(attendance_rows(session))
    program = session.program
    facts = [(_("Training program"), program.title), (_("Date"), dates_text(session.date)),
             (_("Place"), session.place or "—"), (_("Lecturer"), session.lecturer or "—"),
             (_("Hours"), str(session.hours))]
    table = SheetTable(
        heading=_("Attendance (%(count)s)") % {"count": len(rows)},
        columns=[(h.number, 0.6), (h.name, 1.6), (_("Mandate"), 2.0), (h.signature, 2.2),
                 (h.leave, 2.2)],
        rows=[[str(number), row.person.name,
               f"{row.mandate.jurisdiction.short_name or row.mandate.jurisdiction.name} · "
               f"{row.mandate.get_level_display()}", "", ""] for number, row in enumerate(rows, start=1)],
        blank_rows=BLANK_ROWS if rows else EMPTY_ROWS)
    return Sheet(title=_("%(title)s: sign-in sheet") % {"title": session.title}, facts=facts, tables=[table],
                 notes=[_("Sign beside your name; if you are on leave, write the reason. Someone not listed signs "
                          "on a blank row.")])


KINDS = [PaperKind(KIND, gettext_lazy("Training session"), entry_url)]
