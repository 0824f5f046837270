"""Activities (履职活动): the year's activities by month and type, and by type.

The base is the activities list's own selector, ``visible_activities``, narrowed to activities starting in the
year and by the page's filters.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.activities.models import Activity
from apps.activities.selectors.activities import visible_activities
from apps.analytics.charts import Chart, Context, Field
from apps.analytics.sections import Column, Section

MONTHS = [(month, _("Month %(month)s") % {"month": month}) for month in range(1, 13)]


def activities_of_year(context: Context) -> QuerySet[Activity]:
    qs = visible_activities(context.user).filter(start_date__range=(context.first_day, context.last_day))
    if context.jurisdiction is not None:
        qs = qs.filter(jurisdiction__path__startswith=context.jurisdiction.path)
    if context.level:
        qs = qs.filter(level=context.level)
    return qs


TYPE = Field("type_id", label="type__name", order="type__position")

CHARTS = [
    Chart("month", _("Activities by month and type"), "stacked", activities_of_year,
          Field(ExtractMonth("start_date"), choices=MONTHS), _("Month"), series=TYPE, value_title=_("Activities")),
    Chart("type", _("Activities by type"), "pie", activities_of_year, TYPE, _("Type"),
          value_title=_("Activities")),
]


def rows(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.select_related("type", "jurisdiction").order_by("-start_date", "-pk")


SECTION = Section(
    slug="activities", title=_("Activities"), perm="activities.view_activity", charts=CHARTS, areas=("activities", "roster"), rows=rows,
    record_noun=_("activities"),
    columns=[
        Column(_("Date"), lambda a: a.start_date),
        Column(_("Title"), lambda a: a.title, lambda a: reverse("activities:activity_detail", args=[a.pk])),
        Column(_("Type"), lambda a: a.type.name),
        Column(_("Jurisdiction"), lambda a: a.jurisdiction.short_name or a.jurisdiction.name),
        Column(_("Level"), lambda a: a.get_level_display()),
    ],
)
