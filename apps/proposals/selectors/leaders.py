"""Reads for the leaders who lead the supervision of key items (我督办的建议): the list of their items with
units, deadline, overdue flag and last supervision record, and what an item's read-only page shows.

"Overdue" is the board's (``selectors.board``): an open reply or re-handling deadline due before today; the
deadline shown is the earliest open one of those.
"""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from apps.proposals import access
from apps.proposals.models import Assignment, Deadline, Proposal, SupervisionRecord
from apps.proposals.selectors import office as office_selectors
from apps.proposals.selectors.board import HANDLING_DEADLINES, LIVE_ASSIGNMENT


def _next_handling_deadline():
    return (Deadline.objects.filter(proposal=OuterRef("pk"), is_open=True, kind__in=HANDLING_DEADLINES)
            .order_by("due_on", "pk"))


def led_items(user, *, today: datetime.date) -> QuerySet[Proposal]:
    """The items the user leads the supervision of, overdue first, then by deadline. Each row carries
    ``due_on`` (earliest open handling deadline), ``is_overdue``, ``last_record_date``/``last_record_kind``,
    its supervision (and tracking committee) and ``live_assignments`` (units handling it now, lead first)."""
    last_record = (SupervisionRecord.objects.filter(supervision__proposal=OuterRef("pk"))
                   .order_by("-date", "-recorded_at", "-pk"))
    units = (Assignment.objects.filter(state__in=LIVE_ASSIGNMENT).select_related("unit")
             .order_by("-role", "pk"))  # "lead" sorts after "co": lead first
    return (access.leader_proposals(user)
            .select_related("supervision__committee", "category")
            .only("id", "title", "number", "kind", "state", "year", "round", "is_key", "category__name",
                  "supervision__id", "supervision__started_on", "supervision__proposal_id",
                  "supervision__committee__name")
            .annotate(due_on=Subquery(_next_handling_deadline().values("due_on")[:1]),
                      last_record_date=Subquery(last_record.values("date")[:1]),
                      last_record_kind=Subquery(last_record.values("kind")[:1]))
            .annotate(is_overdue=ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField()))
            .prefetch_related(Prefetch("assignments", queryset=units, to_attr="live_assignments"))
            .order_by(F("is_overdue").desc(nulls_last=True), F("due_on").asc(nulls_last=True), "-year", "pk"))


def record_kind_label(kind: str | None) -> str:
    return str(dict(SupervisionRecord.Kind.choices).get(kind, "")) if kind else ""


def leader_page(proposal: Proposal, user) -> dict:
    """What a leader's read-only page of an item shows: the office page's parts, without the staff's (similar
    items and merged items link to items the leader may not see)."""
    data = office_selectors.proposal_page(proposal, user)
    data.pop("similar", None)
    data.pop("merged", None)
    return data
