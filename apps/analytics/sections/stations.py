"""Work stations (代表工作站): the year's voter visits (receptions) by month and by station, and the voters'
issues by category and outcome.

The base is the visit log's own selector, ``visible_visits``, narrowed to visits dated in the year and to
stations of the chosen jurisdiction (a station has no level: the level filter does not apply).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from apps.analytics.charts import Chart, Context, Field
from apps.analytics.sections import Column, Section
from apps.analytics.sections.activities import MONTHS
from apps.stations.models import VoterVisit
from apps.stations.selectors import visible_visits


def visits_of_year(context: Context) -> QuerySet[VoterVisit]:
    qs = visible_visits(context.user).filter(date__range=(context.first_day, context.last_day))
    if context.jurisdiction is not None:
        qs = qs.filter(station__jurisdiction__path__startswith=context.jurisdiction.path)
    return qs


CHARTS = [
    Chart("month", _("Voters received by month"), "bar", visits_of_year,
          Field(ExtractMonth("date"), choices=MONTHS), _("Month"), value_title=_("Visits")),
    Chart("station", _("Voters received by station"), "bar", visits_of_year,
          Field("station_id", label="station__name", order="station__name"), _("Station"), value_title=_("Visits")),
    Chart("issues", _("Voters' issues by category and outcome"), "stacked", visits_of_year,
          Field("category", choices=VoterVisit.Category.choices), _("Category"),
          series=Field("status", choices=VoterVisit.Status.choices), value_title=_("Visits")),
]


def rows(qs: QuerySet[VoterVisit]) -> QuerySet[VoterVisit]:
    return qs.select_related("station").order_by("-date", "-pk")


SECTION = Section(
    slug="stations", title=_("Work stations"), perm="stations.view_votervisit", charts=CHARTS, areas=("stations", "roster"), rows=rows,
    record_noun=_("visits"),
    columns=[
        Column(_("Date"), lambda v: v.date, lambda v: reverse("stations:visit_detail", args=[v.pk])),
        Column(_("Station"), lambda v: v.station.name),
        Column(_("Category"), lambda v: v.get_category_display()),
        Column(_("Status"), lambda v: v.get_status_display()),
        Column(_("Issue raised"), lambda v: Truncator(v.issue).chars(40)),
    ],
)
