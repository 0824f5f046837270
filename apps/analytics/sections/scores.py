"""Scores (履职考核): the year's effective scores by level and grade (the grade bands are the rule sets' data), and
their distribution in ten-point bands; and the covenant's flags (履职公约) of the committee's members.

The base is the score list's own: ``effective_scores`` (the nearest published rule set of each mandate) over the
office's scores (``office_scores``), narrowed by year, level and jurisdiction as ``score_rows`` does.

The flags are the covenant flags page's own rows (``member_flags`` of the chosen jurisdiction's committee and
year, computed in Python): each kind of flag is a bucket of the members it flags, so a bar opens exactly them.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import NullIf
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.analytics.charts import Bucket, Buckets, Chart, Context, Field
from apps.analytics.sections import Column, Section
from apps.committee.models import CommitteeMember
from apps.covenant.rules import Flag
from apps.covenant.selectors import member_flags, year_members
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


ANY_FLAG = "any"


def _committee(context: Context):
    return context.jurisdiction or context.user.jurisdiction


def members_of_year(context: Context) -> QuerySet[CommitteeMember]:
    """The committee's members serving in the year (the rows of the covenant flags page), of the chosen level."""
    qs = year_members(_committee(context), context.year)
    if context.level:
        qs = qs.filter(term__level=context.level)
    return qs


def flag_buckets(context: Context) -> list[Bucket]:
    """One bucket per kind of flag (and one for members with any flag): the members ``member_flags`` flags."""
    rows = member_flags(_committee(context), context.year, today=context.today)
    if context.level:
        rows = [row for row in rows if row.member.term.level == context.level]
    flagged = {code: [row.member.pk for row in rows if code in row.flags] for code in Flag.values}
    flagged[ANY_FLAG] = [row.member.pk for row in rows if row.flagged]
    # The rows are the base's own members (``year_members`` of the level), so each list's length is its count.
    return [Bucket(code, label, Q(pk__in=flagged[code]), known_count=len(flagged[code]))
            for code, label in [(ANY_FLAG, _("Any flag")), *Flag.choices]]


def member_rows(qs: QuerySet[CommitteeMember]) -> QuerySet[CommitteeMember]:
    return qs.select_related("person", "term").order_by("person__name_pinyin", "pk")


MEMBER_COLUMNS = [
    Column(_("Name"), lambda m: m.person.name),
    Column(_("Post"), lambda m: m.get_post_display()),
    Column(_("Term"), lambda m: str(m.term)),
]

CHARTS = [
    Chart("grades", _("Grades by level"), "stacked", scores_of_year, Field("rule_set__level", choices=Level.choices),
          _("Level"), series=Field(NullIf(F("grade"), Value("")), choices=Grade.choices, none_label=_("Not graded")),
          value_title=_("Deputies"),
          help=_("Each deputy's effective score of the year (the nearest published rule set), by its grade band.")),
    Chart("distribution", _("Score distribution"), "bar", scores_of_year, Buckets(total_bands), _("Points"),
          value_title=_("Deputies")),
    Chart("covenant", _("Covenant flags"), "bar", members_of_year, Buckets(flag_buckets), _("Flag"),
          value_title=_("Committee members"), rows=member_rows, columns=MEMBER_COLUMNS,
          help=_("The standing committee's members of the chosen jurisdiction flagged under the covenant in the "
                 "year, by kind of flag (a member may have several), as on the covenant's flags page.")),
]


def rows(qs: QuerySet[Score]) -> QuerySet[Score]:
    return qs.select_related("mandate__person", "mandate__jurisdiction", "rule_set").order_by("-total", "pk")


SECTION = Section(
    slug="scores", title=_("Scores"), perm="scoring.view_score", charts=CHARTS, areas=("scoring", "roster", "covenant", "proposals"), rows=rows,
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
