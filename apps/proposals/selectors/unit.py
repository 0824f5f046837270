"""Reads of the handling unit's pages (承办单位): its inbox of assignments and one assignment's page.

A unit user reads items only through ``access.unit_assignments`` / ``access.assignment_for_unit``: another
unit's assignment is a 404. On an item the unit sees the deputies' material, its own assignments with their
deadlines, communications and extension requests; the lead unit (主办) also sees the co-units' opinions, its
replies with their ratings by round and its follow-ups. Other units' internal records are never read here.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    Case, CharField, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.access import is_pk
from apps.core import calendar
from apps.proposals import access
from apps.proposals.selectors.office import number_or_title_filter
from apps.proposals.models import (
    Assignment, Communication, Deadline, ExtensionRequest, FollowUp, HandlingRule, Proposal, ProposalAttachment,
    Rating, Reply, Signature,
)

PS = Proposal.State
AS = Assignment.State

# The inbox groups, in the order the page shows them.
TO_SIGN = "to_sign"
CO_OPINION = "co_opinion"
HANDLING = "handling"
REPLIED = "replied"
FOLLOW_UP = "follow_up"
CLOSED = "closed"
RETURNED = "returned"
GROUPS = [
    (TO_SIGN, _("To sign for")),
    (CO_OPINION, _("Co-unit opinions to send")),
    (HANDLING, _("Being handled")),
    (REPLIED, _("Replied, awaiting rating")),
    (FOLLOW_UP, _("Follow-ups due")),
    (CLOSED, _("Closed")),
    (RETURNED, _("Returned or cancelled")),
]
GROUP_LABELS = dict(GROUPS)
_GROUP_POSITION = {key: index for index, (key, _label) in enumerate(GROUPS)}

ACTIVE_ITEM_STATES = (PS.ASSIGNED, PS.HANDLING, PS.REHANDLING)


# ----------------------------------------------------------------------------------------------------------
# Working days left (one calendar query for a whole page)

@dataclass
class DueInfo:
    """A date something is due, seen from ``today``: working days left, or overdue."""

    due_on: datetime.date
    days_left: int = 0
    overdue: bool = False
    overdue_days: int = 0

    @property
    def due_today(self) -> bool:
        return not self.overdue and self.days_left == 0


def due_infos(dates, today: datetime.date) -> dict[datetime.date, DueInfo]:
    """``DueInfo`` for each of ``dates`` (None skipped), reading the calendar once."""
    dates = {d for d in dates if d is not None}
    if not dates:
        return {}
    infos = {}
    with calendar.preloaded():  # one calendar query for the page
        for due in dates:
            if due >= today:
                infos[due] = DueInfo(due_on=due, days_left=calendar.working_days_between(today, due))
            else:
                infos[due] = DueInfo(due_on=due, overdue=True, overdue_days=calendar.working_days_between(due, today))
    return infos


# ----------------------------------------------------------------------------------------------------------
# The inbox

def _open_deadline(*kinds, proposal_level=False):
    if proposal_level:
        qs = Deadline.objects.filter(proposal=OuterRef("proposal"), round=OuterRef("proposal__round"),
                                     assignment__isnull=True)
    else:
        qs = Deadline.objects.filter(assignment=OuterRef("pk"))
    return Subquery(qs.filter(kind__in=kinds, is_open=True).order_by("due_on").values("due_on")[:1])


def _pending_follow_ups():
    return FollowUp.objects.filter(proposal=OuterRef("proposal"), reported_at__isnull=True, closed_at__isnull=True,
                                   reply__assignment__unit=OuterRef("unit"))


def inbox_assignments(user) -> QuerySet[Assignment]:
    """The unit's assignments (the latest of each item), each annotated with its ``group`` (see
    ``GROUPS``), ``group_position`` and the ``due_on`` of what the unit has to do next."""
    # A unit reassigned the same item (a later round, or again after a return) sees only its latest row.
    later = Assignment.objects.filter(proposal=OuterRef("proposal"), unit=OuterRef("unit"), pk__gt=OuterRef("pk"))
    group = Case(
        When(state__in=(AS.RETURNED, AS.CANCELLED), then=Value(RETURNED)),
        When(state=AS.PENDING, then=Value(TO_SIGN)),
        When(role=Assignment.Role.CO, opinion_at__isnull=True, proposal__state__in=ACTIVE_ITEM_STATES,
             then=Value(CO_OPINION)),
        When(proposal__state__in=ACTIVE_ITEM_STATES, then=Value(HANDLING)),
        When(proposal__state=PS.REPLIED, then=Value(REPLIED)),
        When(has_follow_up=True, then=Value(FOLLOW_UP)),
        default=Value(CLOSED), output_field=CharField(),
    )
    position = Case(*[When(group=key, then=Value(index)) for key, index in _GROUP_POSITION.items()],
                    output_field=IntegerField())
    due = Case(
        When(group=TO_SIGN, then=F("sign_due")),
        When(group=CO_OPINION, then=F("opinion_due")),
        When(group=HANDLING, role=Assignment.Role.LEAD, then=F("reply_due")),
        When(group=REPLIED, then=F("rating_due")),
        When(group=FOLLOW_UP, then=F("follow_up_due")),
        default=Value(None),
    )
    return (access.unit_assignments(user)
            .exclude(Exists(later))
            .select_related("proposal", "proposal__category")
            .annotate(
                has_follow_up=Exists(_pending_follow_ups()),
                sign_due=_open_deadline(Deadline.Kind.SIGN),
                opinion_due=_open_deadline(Deadline.Kind.CO_OPINION),
                reply_due=_open_deadline(Deadline.Kind.REPLY, Deadline.Kind.REHANDLING),
                rating_due=_open_deadline(Deadline.Kind.RATING, proposal_level=True),
                follow_up_due=Subquery(_pending_follow_ups().order_by("due_on").values("due_on")[:1]),
            )
            .annotate(group=group)
            .annotate(group_position=position, due_on=due))


def inbox_summary(qs: QuerySet[Assignment]) -> list[tuple[int, str, int]]:
    """(year, group, number of assignments) of the unit's inbox, in one query: the years offered by the filter
    and the count of each group come from it."""
    return list(qs.order_by().values_list("proposal__year", "group").annotate(n=Count("pk"))
                .values_list("proposal__year", "group", "n"))


def summary_years(summary) -> list[int]:
    return sorted({year for year, _group, _n in summary}, reverse=True)


def group_counts(summary, *, year=None) -> list[dict]:
    """Each group with the number of the unit's assignments in it (zeros included), in page order."""
    counts: dict[str, int] = {}
    for row_year, group, n in summary:
        if year is None or row_year == year:
            counts[group] = counts.get(group, 0) + n
    return [{"key": key, "label": label, "count": counts.get(key, 0)} for key, label in GROUPS]


# The inbox's "deadline" filter: what the unit has to do next is past its deadline, or due within 14 days.
DUE_FILTERS = ("overdue", "soon")
DUE_SOON_DAYS = 14


def due_condition(due: str, today: datetime.date) -> Q:
    """The inbox filter: ``due_state`` in SQL."""
    if due == "overdue":
        return Q(due_on__lt=today)
    return Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))


def due_state(due_on: datetime.date | None, today: datetime.date) -> str:
    """"overdue", "soon" or "" for a due date: ``due_condition`` in Python (tested against it at its edges)."""
    if due_on is None:
        return ""
    if due_on < today:
        return "overdue"
    return "soon" if due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS) else ""


# The inbox's "extension" filter: items on which the office decided (granted or refused) an extension request of
# the unit's within the last ``EXTENSION_DECIDED_DAYS`` days.
EXTENSION_DECIDED = "decided"
EXTENSION_DECIDED_DAYS = 30


def extension_decided_condition(now: datetime.datetime) -> Q:
    """An inbox row (the unit's latest assignment of an item) whose item had an extension request of this unit
    decided since ``now`` minus ``EXTENSION_DECIDED_DAYS`` days (an earlier round's request counts too)."""
    return Q(Exists(ExtensionRequest.objects.filter(
        assignment__proposal=OuterRef("proposal"), assignment__unit=OuterRef("unit"),
        state__in=(ExtensionRequest.State.APPROVED, ExtensionRequest.State.REFUSED),
        decided_at__gte=now - datetime.timedelta(days=EXTENSION_DECIDED_DAYS))))


def filter_inbox(qs: QuerySet[Assignment], *, year=None, group=None, due: str = "", q: str = "",
                 extension: str = "", today: datetime.date | None = None) -> QuerySet[Assignment]:
    if q := (q or "").strip():
        qs = qs.filter(number_or_title_filter(q, prefix="proposal__"))
    if year:
        qs = qs.filter(proposal__year=year)
    if group:
        qs = qs.filter(group=group)
    if due in DUE_FILTERS:
        qs = qs.filter(due_condition(due, today or timezone.localdate()))
    if extension == EXTENSION_DECIDED:
        qs = qs.filter(extension_decided_condition(timezone.now()))
    return qs


def due_counts(qs: QuerySet[Assignment], today: datetime.date) -> dict[str, int]:
    """How many of the inbox's assignments each ``DUE_FILTERS`` entry keeps, in one query. The due dates are read
    once and sorted here: the inbox's ``due_on`` is a CASE over several subqueries, which a conditional aggregate
    would compute again for every comparison (five times slower)."""
    states = Counter(due_state(due_on, today) for due_on in qs.order_by().values_list("due_on", flat=True))
    return {due: states[due] for due in DUE_FILTERS}


def order_inbox(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return qs.order_by("group_position", F("due_on").asc(nulls_last=True), "-proposal__year",
                       "proposal__number", "pk")


def with_due_infos(rows, today: datetime.date):
    """Set ``row.due`` (a ``DueInfo`` or None) on each row of a page, with one calendar query."""
    rows = list(rows)
    infos = due_infos((row.due_on for row in rows), today)
    for row in rows:
        row.due = infos.get(row.due_on)
        row.group_label = GROUP_LABELS.get(row.group, "")
    return rows


# ----------------------------------------------------------------------------------------------------------
# One assignment's page

def rule_text(deadline: Deadline) -> str:
    """The rule that produced a deadline, as shown to people: the rules table's row, its item and value (a
    follow-up's date is the one the unit promised in its reply)."""
    if deadline.rule is None or not deadline.rule_field:
        return ""
    for model in (HandlingRule, Reply):
        try:
            label = model._meta.get_field(deadline.rule_field).verbose_name
            break
        except FieldDoesNotExist:
            continue
    else:
        label = deadline.rule_field
    if deadline.rule_value is None:
        return f"{deadline.rule} · {label}"
    return f"{deadline.rule} · {label}: {deadline.rule_value}"


@dataclass
class AssignmentPage:
    """Everything the unit's page of one assignment shows, read in a fixed number of queries."""

    assignment: Assignment
    proposal: Proposal
    current: Assignment  # the unit's latest live assignment on the item (this one unless reassigned since)
    own_assignments: list = field(default_factory=list)
    signers: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)
    communications: list = field(default_factory=list)
    extensions: list = field(default_factory=list)
    co_assignments: list = field(default_factory=list)
    replies: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    merged_with: list = field(default_factory=list)

    @property
    def is_lead(self) -> bool:
        return self.current.role == Assignment.Role.LEAD and self.current.state in (AS.PENDING, AS.ACCEPTED)

    @property
    def is_co(self) -> bool:
        return self.current.role == Assignment.Role.CO and self.current.state in (AS.PENDING, AS.ACCEPTED)

    @property
    def superseded(self) -> bool:
        return self.current.pk != self.assignment.pk

    @property
    def can_sign(self) -> bool:
        return not self.superseded and self.assignment.state == AS.PENDING

    @property
    def accepted(self) -> bool:
        return not self.superseded and self.assignment.state == AS.ACCEPTED

    @property
    def can_contact(self) -> bool:
        """The unit handling the item (lead or co-unit, signed for, not superseded) reaches the lead deputy:
        communication with the deputy (沟通) is part of handling."""
        return self.accepted and self.lead_signer is not None

    @property
    def lead_signer(self) -> Signature | None:
        for signature in self.signers:
            if signature.role == Signature.Role.LEAD:
                return signature
        return None

    @property
    def can_communicate(self) -> bool:
        return self.accepted and self.proposal.state in (*ACTIVE_ITEM_STATES, PS.REPLIED)

    @property
    def can_send_opinion(self) -> bool:
        return (self.accepted and self.assignment.role == Assignment.Role.CO and self.assignment.opinion_at is None
                and self.proposal.state in ACTIVE_ITEM_STATES)

    @property
    def current_reply(self) -> Reply | None:
        for reply in self.replies:
            if reply.round == self.proposal.round and reply.assignment_id == self.assignment.pk:
                return reply
        return None

    @property
    def can_reply(self) -> bool:
        return (self.accepted and self.assignment.role == Assignment.Role.LEAD
                and self.assignment.round == self.proposal.round
                and self.proposal.state in (PS.HANDLING, PS.REHANDLING) and self.current_reply is None)

    @property
    def editable_reply(self) -> Reply | None:
        reply = self.current_reply
        if reply is not None and self.proposal.state == PS.REPLIED and not reply.rating_list:
            return reply
        return None

    @property
    def reply_deadline(self) -> Deadline | None:
        for deadline in self.deadlines:
            if (deadline.assignment_id == self.assignment.pk and deadline.is_open
                    and deadline.kind in (Deadline.Kind.REPLY, Deadline.Kind.REHANDLING)):
                return deadline
        return None

    @property
    def pending_extension(self) -> ExtensionRequest | None:
        for extension in self.extensions:
            if extension.state == ExtensionRequest.State.PENDING:
                return extension
        return None

    @property
    def can_request_extension(self) -> bool:
        return (self.accepted and self.assignment.role == Assignment.Role.LEAD
                and self.proposal.state in (PS.HANDLING, PS.REHANDLING)
                and self.reply_deadline is not None and self.pending_extension is None)

    @property
    def follow_ups_to_report(self) -> list:
        return [f for f in self.follow_ups if f.reported_at is None and f.closed_at is None]


_DEADLINE_ORDER = {kind: index for index, kind in enumerate([
    Deadline.Kind.SIGN, Deadline.Kind.CO_OPINION, Deadline.Kind.REPLY, Deadline.Kind.REHANDLING,
    Deadline.Kind.RATING, Deadline.Kind.FOLLOW_UP])}


def assignment_page(assignment: Assignment, *, today: datetime.date) -> AssignmentPage:
    """The page of ``assignment`` (already read through ``access.assignment_for_unit``)."""
    proposal = assignment.proposal
    own = list(Assignment.objects.filter(proposal=proposal, unit_id=assignment.unit_id).order_by("pk"))
    later = [a for a in own if a.pk > assignment.pk and a.state in (AS.PENDING, AS.ACCEPTED)]
    current = later[-1] if later else assignment
    own_pks = [a.pk for a in own]
    page = AssignmentPage(assignment=assignment, proposal=proposal, current=current, own_assignments=own)

    page.signers = list(Signature.objects.filter(proposal=proposal)
                        .filter(Q(role=Signature.Role.LEAD) | Q(confirmed_at__isnull=False))
                        .select_related("person").order_by("-role", "confirmed_at", "pk"))
    reply_documents = Reply.objects.filter(proposal=proposal, document__isnull=False).values("document_id")
    page.attachments = list(ProposalAttachment.objects.filter(proposal=proposal)
                            .exclude(pk__in=reply_documents))
    leads = any(a.role == Assignment.Role.LEAD and a.state in (AS.PENDING, AS.ACCEPTED) for a in own)
    # The unit's own deadlines; the lead unit also sees the deputies' rating window of its replies.
    own_deadlines = Q(assignment_id__in=own_pks)
    if leads:
        own_deadlines |= Q(proposal=proposal, assignment__isnull=True, kind=Deadline.Kind.RATING)
    deadlines = list(Deadline.objects.filter(own_deadlines).select_related("rule", "rule__jurisdiction"))
    page.communications = list(Communication.objects.filter(assignment_id__in=own_pks)
                               .order_by("-date", "-recorded_at"))
    page.extensions = list(ExtensionRequest.objects.filter(assignment_id__in=own_pks).select_related("deadline"))

    if leads:
        co = (Assignment.objects.filter(proposal=proposal, role=Assignment.Role.CO)
              .select_related("unit")
              .prefetch_related(Prefetch("deadlines", queryset=Deadline.objects.filter(
                  kind=Deadline.Kind.CO_OPINION).order_by("-due_on"), to_attr="opinion_deadlines"))
              .order_by("round", "unit__name"))
        page.co_assignments = list(co)
        replies = (Reply.objects.filter(proposal=proposal, assignment__unit_id=assignment.unit_id)
                   .select_related("reply_class", "document")
                   .prefetch_related(Prefetch("ratings", queryset=Rating.objects.select_related("signature__person")
                                              .order_by("rated_at"), to_attr="rating_list"))
                   .order_by("round"))
        page.replies = list(replies)
        page.follow_ups = list(FollowUp.objects.filter(proposal=proposal, reply__assignment__unit_id=assignment.unit_id)
                               .select_related("reply").order_by("due_on", "pk"))
        if proposal.merge_group_id:
            page.merged_with = list(Proposal.objects.filter(merge_group_id=proposal.merge_group_id)
                                    .exclude(pk=proposal.pk).only("pk", "title", "number", "year", "kind"))

    infos = due_infos([d.due_on for d in deadlines if d.is_open]
                      + [f.due_on for f in page.follow_ups if f.reported_at is None and f.closed_at is None]
                      + [d.due_on for co in page.co_assignments for d in co.opinion_deadlines if d.is_open], today)
    for deadline in deadlines:
        deadline.due = infos.get(deadline.due_on) if deadline.is_open else None
        deadline.rule_text = rule_text(deadline)
    for follow_up in page.follow_ups:
        follow_up.due = infos.get(follow_up.due_on) if follow_up.reported_at is None and follow_up.closed_at is None \
            else None
    for co in page.co_assignments:
        opinion_deadline = co.opinion_deadlines[0] if co.opinion_deadlines else None
        co.opinion_deadline = opinion_deadline
        co.due = infos.get(opinion_deadline.due_on) if opinion_deadline and opinion_deadline.is_open else None
    page.deadlines = sorted(deadlines, key=lambda d: (d.round, _DEADLINE_ORDER.get(d.kind, 99), d.due_on, d.pk))
    return page


def open_reply_deadline(assignment: Assignment) -> Deadline | None:
    """The open reply (or re-handling) deadline of the assignment, the one an extension would move."""
    return (Deadline.objects.filter(assignment=assignment, is_open=True,
                                    kind__in=(Deadline.Kind.REPLY, Deadline.Kind.REHANDLING))
            .order_by("due_on").first())


def reply_for_edit(assignment: Assignment) -> Reply | None:
    """The reply of the assignment's round written through it (None if there is none)."""
    return (Reply.objects.filter(proposal_id=assignment.proposal_id, assignment=assignment, round=assignment.round)
            .select_related("reply_class").first())


def follow_up_for_unit(assignment: Assignment, pk) -> FollowUp | None:
    """A follow-up of a reply the unit wrote on the assignment's item (None when not the unit's)."""
    if not is_pk(pk):
        return None
    return (FollowUp.objects.filter(pk=pk, proposal_id=assignment.proposal_id,
                                    reply__assignment__unit_id=assignment.unit_id)
            .select_related("reply").first())
