"""A reception day's printed form (接待选民登记表): its code opens the visit form of that day, the day and its
deputies on duty filled in (``apps.core.paper``). The form lists the deputies on duty in the visit form's order
(name pinyin), to sign, and blank rows for each voter: name, phone, issue, category, outcome."""

from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.access import is_office
from apps.core.paper import Sheet, SheetTable, dates_text, heads
from apps.core.registry import PaperKind
from apps.stations.models import ReceptionDay, VoterVisit
from apps.stations.selectors import reception_day_for_user

KIND = "reception_day"
VISITOR_ROWS = 10


def entry_url(user, object_id: int) -> str | None:
    """The visit form of the day for staff who log visits; the station's page for the rest of the office; both only
    in the user's scope."""
    if not is_office(user, "stations.view_station"):
        return None
    try:
        day = reception_day_for_user(user, object_id)
    except Http404:
        return None
    if user.has_perm("stations.add_votervisit"):
        return f"{reverse('stations:visit_create')}?{urlencode({'station': day.station_id, 'reception_day': day.pk})}"
    return reverse("stations:station_detail", args=[day.station_id])


def duty_deputies(day: ReceptionDay) -> list:
    """The day's deputies on duty in the visit form's order (``VisitForm``: name pinyin)."""
    return list(day.deputies.order_by("name_pinyin", "pk"))


def reception_form(day: ReceptionDay) -> Sheet:
    h = heads()
    station = day.station
    deputies = duty_deputies(day)
    when = dates_text(day.date)
    if day.start_time:
        when += f" {day.start_time:%H:%M}" + (f"–{day.end_time:%H:%M}" if day.end_time else "")
    facts = [(_("Date"), when), (_("Station"), station.name), (_("Address"), station.address or "—")]
    if day.note:
        facts.append((_("Note"), day.note))
    on_duty = SheetTable(
        heading=_("Deputies on duty (%(count)s)") % {"count": len(deputies)},
        columns=[(h.number, 0.6), (h.name, 2.0), (h.signature, 3.0), (h.leave, 3.0)],
        rows=[[str(number), person.name, "", ""] for number, person in enumerate(deputies, start=1)],
        empty_note=_("No deputy is on duty this day."))
    visitors = SheetTable(
        heading=_("Visitors of the day"),
        columns=[(h.number, 0.8), (_("Visitor's name"), 1.5), (_("Phone"), 1.7), (_("Issue raised"), 4.0),
                 (_("Category"), 1.2), (_("Outcome"), 2.6)],
        rows=[], blank_rows=VISITOR_ROWS, row_height=17)
    categories = "、".join(str(label) for _value, label in VoterVisit.Category.choices)
    return Sheet(title=_("%(station)s: reception form") % {"station": station.name}, facts=facts,
                 tables=[on_duty, visitors],
                 notes=[_("Category: %(categories)s.") % {"categories": categories},
                        _("Outcome: answered on the spot, or to be followed up (by whom).")])


KINDS = [PaperKind(KIND, gettext_lazy("Reception day"), entry_url)]
