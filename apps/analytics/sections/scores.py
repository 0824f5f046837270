"""Scores (履职考核): the year's effective scores by level and grade (the grade bands are the rule sets' data), and
their distribution in ten-point bands.

The base is the score list's own: ``effective_scores`` (the nearest published rule set of each mandate) over the
office's scores (``office_scores``), narrowed by year, level and jurisdiction as ``score_rows`` does.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import NullIf
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.analytics.charts import Bucket, Buckets, Chart, Context, Field
from apps.analytics.sections import Column, Section
from apps.deputies.models import Level
from apps.scoring.access import office_scores
from apps.scoring.models import Grade, Score
from apps.scoring.selectors.scores import effective_scores

TOTAL_BANDS = [(None, 60), (60, 70), (70, 80), (80, 90), (90, None)]


def scores_of_year(context: Context) -> QuerySet[Score]:
    qs = effective_scores(office_scores(context.user).filter(year=context.year))
    if context.level:
        qs = qs.filter(rule_set__level=context.level)
    if context.jurisdiction is not None:
        qs = qs.filter(mandate__jurisdiction__path__startswith=context.jurisdiction.path)
    return qs


def total_bands(context: Context) -> list[Bucket]:
    bands = []
    for low, high in TOTAL_BANDS:
        condition = Q()
        if low is not None:
            condition &= Q(total__gte=Decimal(low))
        if high is not None:
            condition &= Q(total__lt=Decimal(high))
        if low is None:
            label = _("Below %(points)s") % {"points": high}
        elif high is None:
            label = _("%(points)s and above") % {"points": low}
        else:
            label = f"{low}–{high - 1}"
        bands.append(Bucket(f"{low or 0}-{high or ''}", label, condition))
    return bands


CHARTS = [
    Chart("grades", _("Grades by level"), "stacked", scores_of_year, Field("rule_set__level", choices=Level.choices),
          _("Level"), series=Field(NullIf(F("grade"), Value("")), choices=Grade.choices, none_label=_("Not graded")),
          value_title=_("Deputies"),
          help=_("Each deputy's effective score of the year (the nearest published rule set), by its grade band.")),
    Chart("distribution", _("Score distribution"), "bar", scores_of_year, Buckets(total_bands), _("Points"),
          value_title=_("Deputies")),
]


def rows(qs: QuerySet[Score]) -> QuerySet[Score]:
    return qs.select_related("mandate__person", "mandate__jurisdiction", "rule_set").order_by("-total", "pk")


SECTION = Section(
    slug="scores", title=_("Scores"), perm="scoring.view_score", charts=CHARTS, areas=("scoring", "roster"), rows=rows,
    record_noun=_("scores"),
    columns=[
        Column(_("Name"), lambda s: s.mandate.person.name,
               lambda s: reverse("scoring:deputy_record", args=[s.mandate.person_id])),
        Column(_("Level"), lambda s: s.rule_set.get_level_display()),
        Column(_("Jurisdiction"), lambda s: s.mandate.jurisdiction.short_name or s.mandate.jurisdiction.name),
        Column(_("Score"), lambda s: s.total),
        Column(_("Grade"), lambda s: s.get_grade_display()),
    ],
)
