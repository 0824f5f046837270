"""Activities (履职活动): the year's activities by month and type, and by type; then the outcomes of theme
practice activities (主题实践活动: suggestions raised, households and people helped, funds) by month.

The base is the activities list's own selector, ``visible_activities``, narrowed to activities starting in the
year and by the page's filters. An outcome is the sum of a participation's field over the participations of
those activities whose type records outcomes, as the activities' totals page sums them (``period_totals``);
a value opens the participations it sums.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.activities.models import Activity, Participation
from apps.activities.selectors.activities import visible_activities
from apps.analytics.charts import Chart, Context, Field, Total
from apps.analytics.sections import Column, Section

MONTHS = [(month, _("Month %(month)s") % {"month": month}) for month in range(1, 13)]


def outcomes_of_year(context: Context) -> QuerySet[Participation]:
    """The participations of the year's practice activities (those whose type records outcomes)."""
    return Participation.objects.filter(
        activity__in=activities_of_year(context).filter(type__has_outcomes=True).values("pk"))


def participation_rows(qs: QuerySet[Participation]) -> QuerySet[Participation]:
    return qs.select_related("activity", "person").order_by("-activity__start_date", "activity_id", "pk")


PARTICIPATION_COLUMNS = [
    Column(_("Date"), lambda p: p.activity.start_date),
    Column(_("Activity"), lambda p: p.activity.title,
           lambda p: reverse("activities:activity_detail", args=[p.activity_id])),
    Column(_("Deputy"), lambda p: p.person.name),
    Column(_("Suggestions raised"), lambda p: p.suggestions_raised),
    Column(_("Households helped"), lambda p: p.households_helped),
    Column(_("People helped"), lambda p: p.people_helped),
    Column(_("Funds (yuan)"), lambda p: p.funds_donated),
]

# (name, field, title, value title): one bar chart by month per outcome.
OUTCOMES = [
    ("suggestions", "suggestions_raised", _("Suggestions raised in practice activities by month"),
     _("Suggestions raised")),
    ("households", "households_helped", _("Households helped in practice activities by month"),
     _("Households helped")),
    ("people", "people_helped", _("People helped in practice activities by month"), _("People helped")),
    ("funds", "funds_donated", _("Funds of practice activities by month"), _("Funds (yuan)")),
]


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
    *(Chart(f"outcome-{name}", title, "bar", outcomes_of_year,
            Field(ExtractMonth("activity__start_date"), choices=MONTHS), _("Month"), value_title=value_title,
            measure=Total(field), rows=participation_rows, columns=PARTICIPATION_COLUMNS,
            help=_("The sum over the participations of theme practice activities starting in the month; a value "
                   "opens the participations it adds up."))
      for name, field, title, value_title in OUTCOMES),
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
