"""Reads of the publicity records: the list in a user's scope, and the yearly counts by kind (专版13期、专题片2部)
computed from the records."""

import datetime

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from apps.core.access import scope_queryset
from apps.publicity.models import PublicityItem

# How each kind is counted in Chinese prose: 专版13期、专题片2部、媒体报道5篇、公众号文章8篇.
_UNITS = {
    PublicityItem.Kind.COLUMN: lambda n: _("%(n)s newspaper column issues") % {"n": n},
    PublicityItem.Kind.FEATURE: lambda n: _("%(n)s television features") % {"n": n},
    PublicityItem.Kind.REPORT: lambda n: _("%(n)s media reports") % {"n": n},
    PublicityItem.Kind.ARTICLE: lambda n: _("%(n)s public-account articles") % {"n": n},
}


def visible_items(user) -> QuerySet:
    return scope_queryset(PublicityItem.objects.all(), user)


def item_rows(qs: QuerySet) -> QuerySet:
    return qs.select_related("jurisdiction").prefetch_related("deputies", "activities").order_by("-date", "-pk")


def item_for_user(user, pk) -> PublicityItem:
    return get_object_or_404(item_rows(visible_items(user)), pk=pk)


def items_of_year(qs: QuerySet, year: int) -> QuerySet:
    """The records of ``qs`` dated in ``year``: what the yearly counts count, on this app's page and in the
    analysis' publicity section (apps/analytics/sections/publicity.py), so the two cannot disagree."""
    return qs.filter(date__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))


def yearly_counts(qs: QuerySet, year: int) -> list[tuple[str, str, int]]:
    """(kind, label, count) of each kind in ``year``, in the kinds' order, zeros included (one query)."""
    counts = dict(items_of_year(qs, year).values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return [(kind, label, counts.get(kind, 0)) for kind, label in PublicityItem.Kind.choices]


def counts_text(counts) -> str:
    """The counts as prose, kinds with none left out: "专版13期、专题片2部"."""
    return _(", ").join(_UNITS[kind](n) for kind, _label, n in counts if n)


def person_publicity(person_id: int, year: int) -> dict:
    """The publicity featuring one deputy in ``year``: the items and their counts by kind (a record section)."""
    qs = PublicityItem.objects.filter(deputies=person_id, date__year=year)
    items = list(qs.order_by("-date", "-pk"))
    counts = [(kind, label, sum(1 for i in items if i.kind == kind)) for kind, label in PublicityItem.Kind.choices]
    return {"items": items, "counts": counts, "text": counts_text(counts)}
