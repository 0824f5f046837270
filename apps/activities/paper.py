"""An activity's printed sign-in sheet (签到表): its code opens the activity's participants grid
(``apps.core.paper``); the sheet lists the participants in the grid's order (``participants_of``)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.activities.models import Activity
from apps.activities.selectors.activities import participants_of, visible_activities
from apps.core.paper import Sheet, SheetTable, dates_text, heads
from apps.core.registry import PaperKind

KIND = "activity"
BLANK_ROWS = 3  # for someone who came unlisted
EMPTY_ROWS = 20  # nobody listed yet: a sheet to sign on


def entry_url(user, object_id: int) -> str | None:
    """The participants grid of an activity in the user's scope (supervisors read it; staff enter it)."""
    if not user.has_perm("activities.view_activity") or not visible_activities(user).filter(pk=object_id).exists():
        return None
    return reverse("activities:activity_detail", args=[object_id]) + "#participants"


def sign_in_sheet(activity: Activity) -> Sheet:
    h = heads()
    participants = list(participants_of(activity))
    facts = [(_("Type"), activity.type.name), (_("Date"), dates_text(activity.start_date, activity.end_date)),
             (_("Place"), activity.place or "—"),
             (_("Organiser"), " · ".join(filter(None, [activity.jurisdiction.name, activity.get_level_display(),
                                                       activity.organiser])))]
    rows = [[str(number), p.person.name,
             f"{p.mandate.jurisdiction.short_name or p.mandate.jurisdiction.name} · {p.mandate.get_level_display()}",
             "", ""] for number, p in enumerate(participants, start=1)]
    table = SheetTable(
        heading=_("Participants (%(count)s)") % {"count": len(participants)},
        columns=[(h.number, 0.6), (h.name, 1.6), (_("Mandate"), 2.0), (h.signature, 2.2),
                 (h.leave, 2.2)],
        rows=rows, blank_rows=BLANK_ROWS if participants else EMPTY_ROWS)
    return Sheet(title=_("%(title)s: sign-in sheet") % {"title": activity.title}, facts=facts, tables=[table],
                 notes=[_("Sign beside your name; if you are on leave, write the reason. Someone not listed signs "
                          "on a blank row.")])


KINDS = [PaperKind(KIND, gettext_lazy("Activity"), entry_url)]
