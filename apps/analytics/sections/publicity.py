"""Publicity (宣传): the year's newspaper columns, television features, media reports and public-account articles
by kind (专版13期、专题片2部) and by month.

The base is the publicity app's own selectors: the records of the user's scope (``visible_items``) dated in the
year (``items_of_year``), the same definition as the yearly counts of the publicity page; narrowed to the chosen
jurisdiction (a record has no level: the level filter does not apply). A value opens the records it counts.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.analytics.charts import Chart, Context, Field
from apps.analytics.sections import Column, Section
from apps.analytics.sections.activities import MONTHS
from apps.publicity.models import PublicityItem
from apps.publicity.selectors import items_of_year, visible_items

KIND = Field("kind", choices=PublicityItem.Kind.choices)


def publicity_of_year(context: Context) -> QuerySet[PublicityItem]:
    qs = items_of_year(visible_items(context.user), context.year)
    if context.jurisdiction is not None:
        qs = qs.filter(jurisdiction__path__startswith=context.jurisdiction.path)
    return qs


CHARTS = [
    Chart("kind", _("Publicity of the year by kind"), "bar", publicity_of_year, KIND, _("Kind"),
          value_title=_("Publicity records"),
          help=_("The records of the publicity page dated in the year, as its yearly counts count them; a value "
                 "opens the records it counts.")),
    Chart("month", _("Publicity by month and kind"), "stacked", publicity_of_year,
          Field(ExtractMonth("date"), choices=MONTHS), _("Month"), series=KIND, value_title=_("Publicity records")),
]


def rows(qs: QuerySet[PublicityItem]) -> QuerySet[PublicityItem]:
    return qs.select_related("jurisdiction").order_by("-date", "-pk")


SECTION = Section(
    slug="publicity", title=_("Publicity"), perm="publicity.view_publicityitem", charts=CHARTS,
    areas=("publicity",), rows=rows, record_noun=_("publicity records"),
    columns=[
        Column(_("Date"), lambda i: i.date),
        Column(_("Title"), lambda i: i.title, lambda i: reverse("publicity:item_detail", args=[i.pk])),
        Column(_("Kind"), lambda i: i.get_kind_display()),
        Column(_("Issue number"), lambda i: i.issue_number),
        Column(_("Outlet"), lambda i: i.outlet),
        Column(_("Jurisdiction"), lambda i: i.jurisdiction.short_name or i.jurisdiction.name),
    ],
)
