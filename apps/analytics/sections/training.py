"""Training coverage (培训覆盖): the deputies serving in the year and those of them trained, by level and by
jurisdiction, and the trained year on year.

The definitions are the coverage page's (``apps.training.selectors.coverage_table``): a deputy serving at some
time in the year (``serving_during``) whose mandate's jurisdiction lies in the area, counted once per person and
level (their latest such mandate is the record listed); trained: the person has a ``present`` attendance at a
session dated in the year, in any program. The tests check the totals against ``coverage_table``.
"""

from __future__ import annotations

import datetime

from django.db.models import CharField, Count, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.analytics.charts import Bucket, Buckets, Chart, Context, Field, Rate
from apps.analytics.sections import Column, Section
from apps.deputies.attendance import Attendance
from apps.deputies.models import Level, Mandate, serving_q
from apps.training.models import TrainingAttendance

YEARS_SHOWN = 5


def _area(context: Context) -> QuerySet[Mandate]:
    qs = Mandate.objects.filter(jurisdiction__path__startswith=(context.jurisdiction or context.user.jurisdiction).path)
    return qs.filter(level=context.level) if context.level else qs


def _one_per_person(qs: QuerySet[Mandate]) -> Q:
    """One mandate per person and level (the latest): a person counts once in each level."""
    latest = qs.order_by("person_id", "level", "-start_date", "-pk").distinct("person_id", "level").values("pk")
    return Q(pk__in=Subquery(latest))


def _trained(year: int) -> Q:
    """The person attended a session of the year. An ``IN`` (a set PostgreSQL builds once and hashes), not a
    correlated ``EXISTS``: inside a ``COUNT(…) FILTER`` the latter ran once per mandate and chart bar."""
    return Q(person_id__in=TrainingAttendance.objects.filter(
        attendance=Attendance.PRESENT,
        session__date__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31))).values("person_id"))


def serving_in_year(context: Context) -> QuerySet[Mandate]:
    return Mandate.objects.filter(_one_per_person(_area(context).serving_during(context.first_day,
                                                                                 context.last_day)))


def coverage(context: Context) -> list[Bucket]:
    return [Bucket("serving", _("Serving"), Q()), Bucket("trained", _("Trained"), _trained(context.year))]


def area_over_years(context: Context) -> QuerySet[Mandate]:
    return _area(context)


def trained_by_year(context: Context) -> list[Bucket]:
    """One bar per year: the deputies serving in the year (once per person and level) who were trained in it.

    The bars' conditions define their records (the drill-down); their numbers are counted here in one pass over
    the area's mandates, as distinct (person, level) pairs among those serving and trained in the year — the same
    number, since the latest mandate of a pair is trained exactly when the pair's person is — instead of one
    ``DISTINCT ON`` subquery per year (the section's slowest query before)."""
    years = range(context.year - YEARS_SHOWN + 1, context.year + 1)
    pair = Concat(Cast("person_id", CharField()), Value("/"), "level", output_field=CharField())
    spans = {year: (datetime.date(year, 1, 1), datetime.date(year, 12, 31)) for year in years}
    counts = _area(context).order_by().aggregate(**{
        f"y{year}": Count(pair, distinct=True, filter=serving_q(first, last) & _trained(year))
        for year, (first, last) in spans.items()})
    return [Bucket(str(year), str(year),
                   _one_per_person(_area(context).serving_during(first, last)) & _trained(year),
                   known_count=counts[f"y{year}"])
            for year, (first, last) in spans.items()]


RATE = (Rate(_("Coverage rate"), "trained", "serving"),)

CHARTS = [
    Chart("level", _("Training coverage by level"), "bar", serving_in_year, Field("level", choices=Level.choices),
          _("Level"), series=Buckets(coverage), value_title=_("Deputies"), rates=RATE,
          help=_("Deputies serving in the year, once per person and level, as on the training coverage page.")),
    Chart("jurisdiction", _("Training coverage by jurisdiction"), "bar", serving_in_year,
          Field("jurisdiction_id", label="jurisdiction__name", order="jurisdiction__path"), _("Jurisdiction"),
          series=Buckets(coverage), value_title=_("Deputies"), rates=RATE),
    Chart("years", _("Deputies trained, year on year"), "bar", area_over_years, Buckets(trained_by_year),
          _("Year"), value_title=_("Deputies trained")),
]


def rows(qs: QuerySet[Mandate]) -> QuerySet[Mandate]:
    return qs.select_related("person", "term", "jurisdiction").order_by("person__name_pinyin", "pk")


SECTION = Section(
    slug="training", title=_("Training coverage"), perm="training.view_trainingprogram", charts=CHARTS, areas=("training", "roster"), rows=rows,
    record_noun=_("mandates"),
    columns=[
        Column(_("Name"), lambda m: m.person.name, lambda m: reverse("deputies:person_detail", args=[m.person_id])),
        Column(_("Level"), lambda m: m.get_level_display()),
        Column(_("Jurisdiction"), lambda m: m.jurisdiction.short_name or m.jurisdiction.name),
        Column(_("Term"), lambda m: m.term.name),
    ],
)
