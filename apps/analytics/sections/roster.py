"""Roster composition (代表结构): the mandates serving in the year by level, sex, age band, party, sector (界别) and
occupation category, and the composition of each term.

The base is the roster's own selector, ``visible_mandates`` (what the roster list shows the user), narrowed to
the mandates serving at some time in the year (``Mandate.objects.serving_during``) and by the page's filters.
"""

from __future__ import annotations

import datetime

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import NullIf
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.analytics.charts import Bucket, Buckets, Chart, Context, Field
from apps.analytics.sections import Column, Section
from apps.deputies.models import Gender, Level, Mandate, Occupation, Party, managed_or_elected_in_q
from apps.deputies.selectors import visible_mandates

AGE_BANDS = [(None, 35), (35, 45), (45, 55), (55, 65), (65, None)]


def _narrowed(context: Context) -> QuerySet[Mandate]:
    qs = visible_mandates(context.user)
    if context.jurisdiction is not None:
        qs = qs.filter(managed_or_elected_in_q(context.jurisdiction.path))
    if context.level:
        qs = qs.filter(level=context.level)
    return qs


def serving_in_year(context: Context) -> QuerySet[Mandate]:
    return _narrowed(context).serving_during(context.first_day, context.last_day)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_bands(context: Context) -> list[Bucket]:
    """Ages on the year's reference day (today, or 31 December of a past year); a birth date not given is its
    own band."""
    day = context.reference_day
    bands = []
    for low, high in AGE_BANDS:
        condition = Q(person__birth_date__isnull=False)
        if low is not None:  # at least ``low`` years old: born on or before the day ``low`` years back
            condition &= Q(person__birth_date__lte=_years_before(day, low))
        if high is not None:  # younger than ``high``: born after the day ``high`` years back
            condition &= Q(person__birth_date__gt=_years_before(day, high))
        if low is None:
            label = _("Under %(age)s") % {"age": high}
        elif high is None:
            label = _("%(age)s and over") % {"age": low}
        else:
            label = _("%(low)s–%(high)s") % {"low": low, "high": high - 1}
        bands.append(Bucket(f"{low or 0}-{high or ''}", label, condition))
    bands.append(Bucket("unknown", _("Birth date not given"), Q(person__birth_date__isnull=True)))
    return bands


NOT_GIVEN = _("Not given")

CHARTS = [
    Chart("level", _("Deputies by level"), "bar", serving_in_year,
          Field("level", choices=Level.choices), _("Level"), value_title=_("Deputies")),
    Chart("gender", _("Deputies by sex"), "pie", serving_in_year,
          Field("person__gender", choices=Gender.choices), _("Sex"), value_title=_("Deputies")),
    Chart("age", _("Deputies by age band"), "bar", serving_in_year,
          Buckets(age_bands), _("Age band"), value_title=_("Deputies")),
    Chart("party", _("Deputies by party"), "pie", serving_in_year,
          Field("person__party", choices=Party.choices), _("Party"), value_title=_("Deputies")),
    Chart("sector", _("Deputies by sector"), "bar", serving_in_year,
          Field(NullIf(F("person__sector"), Value("")), none_label=NOT_GIVEN), _("Sector"),
          value_title=_("Deputies")),
    Chart("occupation", _("Deputies by occupation category"), "bar", serving_in_year,
          Field(NullIf(F("person__occupation"), Value("")), choices=Occupation.choices, none_label=NOT_GIVEN),
          _("Occupation category"), value_title=_("Deputies")),
    Chart("term", _("Composition by term"), "stacked", _narrowed,
          Field("term_id", label="term__name", order="term__start_date"), _("Term"),
          series=Field("person__gender", choices=Gender.choices), value_title=_("Deputies"),
          help=_("Every mandate of each term, whatever the year: how the composition changed from term to term.")),
]


def rows(qs: QuerySet[Mandate]) -> QuerySet[Mandate]:
    return qs.select_related("person", "term", "jurisdiction").order_by("person__name_pinyin", "pk")


SECTION = Section(
    slug="roster", title=_("Roster composition"), perm="deputies.view_person", charts=CHARTS, rows=rows,
    record_noun=_("mandates"),
    columns=[
        Column(_("Name"), lambda m: m.person.name, lambda m: reverse("deputies:person_detail", args=[m.person_id])),
        Column(_("Sex"), lambda m: m.person.get_gender_display()),
        Column(_("Level"), lambda m: m.get_level_display()),
        Column(_("Jurisdiction"), lambda m: m.jurisdiction.short_name or m.jurisdiction.name),
        Column(_("Term"), lambda m: m.term.name),
        Column(_("Party"), lambda m: m.person.get_party_display()),
    ],
)
