"""Motions and suggestions (议案建议): the handling funnel, the items by state, the categories over the years and,
by present lead unit, the board's figures with 办复率 / 满意率 / 初次满意率 / A-class rate.

Every count is the supervisors' board's own: its population (``board_scope`` over the office's items), its
figures (``apps.proposals.selectors.board.FIGURES``, one condition each) and its present lead unit (the live lead
assignment of the highest round, ``present_leads``). The categories over the years count the items raised
(``COUNTED_STATES``, as scores and the covenant count them).
"""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.analytics.charts import Bucket, Buckets, Chart, Context, Field, Rate
from apps.analytics.sections import Column, Section
from apps.proposals.access import office_proposals
from apps.proposals.models import Assignment, Proposal
from apps.proposals.rules import COUNTED_STATES
from apps.proposals.selectors.board import BOARD_STATES, FIGURES, LIVE_ASSIGNMENT, board_scope

YEARS_SHOWN = 5
FUNNEL = ["total", "assigned", "replied", "rated", "satisfied"]
BY_UNIT = ["assigned", "replied", "rated", "satisfied", "first_rated", "first_satisfied", "solved"]


def _narrowed(context: Context, qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    if context.jurisdiction is not None:
        qs = qs.filter(jurisdiction__path__startswith=context.jurisdiction.path)
    if context.level:
        qs = qs.filter(level=context.level)
    return qs


def board_items(context: Context) -> QuerySet[Proposal]:
    """The board's items of the year (drafts never count)."""
    return _narrowed(context, board_scope(office_proposals(context.user), year=context.year))


def raised_items(context: Context) -> QuerySet[Proposal]:
    """Items raised (``COUNTED_STATES``) in the year and the ``YEARS_SHOWN - 1`` before it."""
    return _narrowed(context, office_proposals(context.user).filter(
        state__in=COUNTED_STATES, year__range=(context.year - YEARS_SHOWN + 1, context.year)))


def figures(names):
    def make(context: Context) -> list[Bucket]:
        return [Bucket(name, FIGURES[name].label, FIGURES[name].condition(context.today)) for name in names]

    return make


REPLY_DAYS = [(None, 30), (30, 60), (60, 90), (90, 180), (180, None)]


def reply_times(context: Context) -> list[Bucket]:
    """Days from an item's assignment to its reply (the dates its handling records), in bands."""
    buckets = []
    for low, high in REPLY_DAYS:
        condition = Q(assigned_at__isnull=False, replied_at__isnull=False)
        if low is not None:
            condition &= Q(replied_at__gt=F("assigned_at") + datetime.timedelta(days=low))
        if high is not None:
            condition &= Q(replied_at__lte=F("assigned_at") + datetime.timedelta(days=high))
        if low is None:
            label = _("Within %(days)s days") % {"days": high}
        elif high is None:
            label = _("Over %(days)s days") % {"days": low}
        else:
            label = _("%(low)s–%(high)s days") % {"low": low + 1, "high": high}
        buckets.append(Bucket(f"{low or 0}-{high or ''}", label, condition))
    return buckets


def _present_lead(field: str):
    return Subquery(Assignment.objects.filter(proposal_id=OuterRef("pk"), role=Assignment.Role.LEAD,
                                              state__in=LIVE_ASSIGNMENT)
                    .order_by("-round", "-pk").values(field)[:1])


CHARTS = [
    Chart("funnel", _("Handling funnel"), "funnel", board_items, Buckets(figures(FUNNEL)), _("Stage"),
          value_title=_("Items"),
          help=_("Items of the year, as the supervision board counts them; satisfied: no unsatisfied rating in the latest "
                 "rated round.")),
    Chart("state", _("Items by state"), "bar", board_items,
          Field("state", choices=[(s.value, s.label) for s in BOARD_STATES]), _("State"), value_title=_("Items")),
    Chart("category", _("Categories over the years"), "stacked", raised_items, Field("year"), _("Year"),
          series=Field("category_id", label="category__name", order="category__position",
                       none_label=_("No category")),
          value_title=_("Items")),
    Chart("reply_time", _("Time to reply"), "bar", board_items, Buckets(reply_times), _("Days"),
          value_title=_("Items"), help=_("Items replied to, by the days from their assignment to their reply.")),
    Chart("unit", _("By present lead unit"), "bar", board_items,
          Field(_present_lead("unit_id"), label=_present_lead("unit__name"), none_label=_("No lead unit")),
          _("Lead unit"), series=Buckets(figures(BY_UNIT)), value_title=_("Items"),
          rates=(Rate(_("Reply rate"), "replied", "assigned"),
                 Rate(_("Satisfaction rate"), "satisfied", "rated"),
                 Rate(_("First-round satisfaction rate"), "first_satisfied", "first_rated"),
                 Rate(_("A-class rate"), "solved", "replied"))),
]


def rows(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return qs.select_related("category", "jurisdiction").order_by("-year", "kind", "number", "-pk")


SECTION = Section(
    slug="proposals", title=_("Motions and suggestions"), perm="proposals.view_proposal", charts=CHARTS, areas=("proposals", "roster"),
    rows=rows, record_noun=_("items"),
    columns=[
        Column(_("Year"), lambda p: p.year),
        Column(_("Number"), lambda p: p.number_label),
        Column(_("Title"), lambda p: p.title, lambda p: reverse("proposals:proposal_detail", args=[p.pk])),
        Column(_("Kind"), lambda p: p.get_kind_display()),
        Column(_("State"), lambda p: p.get_state_display()),
        Column(_("Category"), lambda p: p.category.name if p.category_id else ""),
        Column(_("Congress"), lambda p: p.jurisdiction.short_name or p.jurisdiction.name),
    ],
)
