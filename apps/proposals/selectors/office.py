"""Reads of the committee office's pages (staff and supervisors): the list of items with its filters, the
rows of the Excel export, everything shown on an item's page, the extension requests queue, and the choices
the office's forms offer. Always scoped to the user's jurisdiction and below (``access.office_proposals``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from apps.committee.models import COUNCIL_POSTS, CommitteeMember, SpecialCommittee
from apps.core.access import is_pk
from apps.core.models import AuditEvent, HandlingUnit
from apps.deputies.models import Mandate, Session
from apps.proposals import access
from apps.proposals.models import (
    Assignment, Category, Communication, Deadline, ExtensionRequest, HandlingRule, Proposal, ProposalAttachment,
    Rating, Reply, Signature, Supervision, SupervisionRecord,
)

S = Proposal.State
# States in which items may be merged for handling (registered or docketed, not yet assigned).
MERGEABLE = (S.REGISTERED, S.DOCKETED)
LIVE_ASSIGNMENT = (Assignment.State.PENDING, Assignment.State.ACCEPTED)
# Deadlines a handling unit must meet (the deputy's rating window is not the unit's).
UNIT_DEADLINES = (Deadline.Kind.SIGN, Deadline.Kind.REPLY, Deadline.Kind.CO_OPINION, Deadline.Kind.REHANDLING,
                  Deadline.Kind.FOLLOW_UP)
# "Due soon": an open unit deadline within this many days (the first reminder goes 14 days before).
DUE_SOON_DAYS = 14
PROPOSAL_LABELS = ("proposals.Proposal", "proposals.Motion", "proposals.Suggestion")
_NUMBER_RE = re.compile(r"^第?0*(\d{1,9})号?$")


# --- the list ------------------------------------------------------------------------------------------------

def office_list(user) -> QuerySet[Proposal]:
    """The items of the office's list: the user's jurisdiction and below, drafts left out (a draft is the
    deputy's own until submitted)."""
    return access.office_proposals(user).exclude(state=S.DRAFT)


def _open_unit_deadlines():
    return Deadline.objects.filter(proposal=OuterRef("pk"), is_open=True, kind__in=UNIT_DEADLINES)


def filter_proposals(qs: QuerySet[Proposal], data: dict, *, today: datetime.date | None = None) -> QuerySet[Proposal]:
    """Apply the list's filters (a filter form's cleaned data)."""
    today = today or timezone.localdate()
    if data.get("year"):
        qs = qs.filter(year=data["year"])
    if data.get("session"):
        qs = qs.filter(session_id=data["session"])
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("state"):
        qs = qs.filter(state=data["state"])
    if data.get("category"):
        qs = qs.filter(category_id=data["category"])
    if data.get("unit"):
        qs = qs.filter(Exists(Assignment.objects.filter(proposal=OuterRef("pk"), unit_id=data["unit"],
                                                        state__in=LIVE_ASSIGNMENT)))
    if data.get("key"):
        qs = qs.filter(is_key=True)
    if data.get("overdue"):
        qs = qs.filter(overdue_condition(today))
    if data.get("due_soon"):
        qs = qs.filter(due_soon_condition(today))
    if q := (data.get("q") or "").strip():
        qs = qs.filter(search_filter(q))
    return qs


def overdue_condition(today: datetime.date) -> Q:
    """An item with an open unit deadline already past (the list's "overdue" filter)."""
    return Q(Exists(_open_unit_deadlines().filter(due_on__lt=today)))


def due_soon_condition(today: datetime.date) -> Q:
    """An item with an open unit deadline within ``DUE_SOON_DAYS`` (the list's "due within 14 days" filter)."""
    return Q(Exists(_open_unit_deadlines().filter(
        due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))))


# The office's to-dos (工作台): name → the list filter (``ProposalFilterForm`` data) that shows exactly those items.
QUEUE_FILTERS = {
    "to_register": {"state": S.SUBMITTED},
    "to_review": {"state": S.REGISTERED},
    "to_assign": {"state": S.DOCKETED},
    "overdue": {"overdue": True},
    "due_soon": {"due_soon": True},
    "key_open": {"key": True, "state": S.HANDLING},
}


def _queue_condition(data: dict, today: datetime.date) -> Q:
    condition = Q()
    if data.get("state"):
        condition &= Q(state=data["state"])
    if data.get("key"):
        condition &= Q(is_key=True)
    if data.get("overdue"):
        condition &= overdue_condition(today)
    if data.get("due_soon"):
        condition &= due_soon_condition(today)
    return condition


def office_queue_counts(user, *, today: datetime.date | None = None) -> dict[str, int]:
    """How many of the office list's items each to-do of ``QUEUE_FILTERS`` holds, in one query: each count is
    the total of the list filtered by ``QUEUE_FILTERS[name]``."""
    today = today or timezone.localdate()
    return office_list(user).aggregate(
        **{name: Count("pk", filter=_queue_condition(data, today)) for name, data in QUEUE_FILTERS.items()})


def number_or_title_filter(q: str, prefix: str = "") -> Q:
    """A number (12, 0012, 第0012号) or words of the title; ``prefix`` reaches the item from another model
    (``"proposal__"`` from an assignment)."""
    condition = Q(**{f"{prefix}title__icontains": q})
    if match := _NUMBER_RE.match(q.replace(" ", "")):
        condition |= Q(**{f"{prefix}number": int(match.group(1))})
    return condition


def search_filter(q: str) -> Q:
    """A number (12, 0012, 第0012号), words of the title, or a signer's name (or its pinyin)."""
    from apps.deputies.selectors import search_filter as person_filter

    condition = number_or_title_filter(q)
    if not q.isdigit():
        condition |= Exists(Signature.objects.filter(proposal=OuterRef("pk"), declined_at__isnull=True)
                            .filter(person_filter(q)))
    return condition


def proposal_rows(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """A row of the list and of the export: the lead deputy, the number of counting signers, the live lead
    unit and the next open unit deadline as subqueries (run for the page's rows only: the cost does not grow
    with the number of items)."""
    lead = Signature.objects.filter(proposal=OuterRef("pk"), role=Signature.Role.LEAD)
    signers = (Signature.objects.filter(proposal=OuterRef("pk"))
               .filter(Q(role=Signature.Role.LEAD) | Q(confirmed_at__isnull=False))
               .order_by().values("proposal").annotate(n=Count("*")).values("n"))
    lead_unit = (Assignment.objects.filter(proposal=OuterRef("pk"), role=Assignment.Role.LEAD,
                                           state__in=LIVE_ASSIGNMENT).order_by("-round", "-assigned_at"))
    co_units = (Assignment.objects.filter(proposal=OuterRef("pk"), role=Assignment.Role.CO,
                                          state__in=LIVE_ASSIGNMENT, round=OuterRef("round"))
                .order_by().values("proposal").annotate(n=Count("*")).values("n"))
    next_due = _open_unit_deadlines().order_by("due_on")
    last_reply = Reply.objects.filter(proposal=OuterRef("pk")).order_by("-round")
    return (qs.select_related("category", "session", "jurisdiction")
            .defer("content", "grounds", "plan", "draft_text", "return_reason", "withdraw_reason", "docket_reason")
            .annotate(lead_name=Subquery(lead.values("person__name")[:1]),
                      signer_count=Coalesce(Subquery(signers, output_field=IntegerField()), Value(0)),
                      lead_unit_name=Subquery(lead_unit.values("unit__name")[:1]),
                      co_unit_count=Coalesce(Subquery(co_units, output_field=IntegerField()), Value(0)),
                      next_due_on=Subquery(next_due.values("due_on")[:1]),
                      next_due_kind=Subquery(next_due.values("kind")[:1]),
                      reply_class_code=Subquery(last_reply.values("reply_class__code")[:1]))
            .order_by("-year", F("number").asc(nulls_first=True), "-submitted_at", "-pk"))


def year_choices(user) -> list[int]:
    this_year = timezone.localdate().year
    years = set(office_list(user).order_by().values_list("year", flat=True).distinct())
    return sorted(years | {this_year}, reverse=True)


def session_choices(user) -> QuerySet[Session]:
    if not access.is_office(user):
        return Session.objects.none()
    return (Session.objects.filter(term__jurisdiction__path__startswith=user.jurisdiction.path)
            .only("id", "name", "number", "opens_on")
            .order_by("-opens_on", "pk"))


def category_choices(*, active_only: bool = True) -> QuerySet[Category]:
    qs = Category.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def unit_choices(user) -> QuerySet[HandlingUnit]:
    """Active handling units of the user's jurisdiction and below (the units items are assigned to)."""
    if not access.is_office(user):
        return HandlingUnit.objects.none()
    return (HandlingUnit.objects.filter(jurisdiction__path__startswith=user.jurisdiction.path, is_active=True)
            .only("id", "name").order_by("name"))


def mandate_choices(user) -> QuerySet[Mandate]:
    """Serving mandates of the user's jurisdiction and below (the deputies a paper submission is entered for):
    the record's present status, not a date (see apps.deputies.models.serving_q), as submission checks it."""
    if not access.is_office(user):
        return Mandate.objects.none()
    return (Mandate.objects.current().filter(jurisdiction__path__startswith=user.jurisdiction.path)
            .select_related("person", "jurisdiction")
            .only("id", "level", "person__id", "person__name", "person__name_pinyin", "jurisdiction__id",
                  "jurisdiction__name", "jurisdiction__short_name")
            .order_by("jurisdiction__path", "level", "person__name_pinyin", "pk"))


def leader_choices(proposal: Proposal) -> QuerySet[CommitteeMember]:
    """Members of the council (主任会议: director, vice directors, secretary-general) of the item's congress
    who hold the post today."""
    today = timezone.localdate()
    return (CommitteeMember.objects.filter(jurisdiction=proposal.jurisdiction, post__in=COUNCIL_POSTS)
            .serving(on=today)
            .select_related("person").order_by("post", "person__name_pinyin"))


def committee_choices(proposal: Proposal) -> QuerySet[SpecialCommittee]:
    return SpecialCommittee.objects.filter(jurisdiction=proposal.jurisdiction).order_by("name")


# --- an item's page --------------------------------------------------------------------------------------------

def proposal_for_office(user, pk) -> Proposal:
    """The item for the office's pages; a draft is a 404 (the deputy's own until submitted)."""
    proposal = access.proposal_for_office(user, pk)
    if proposal.state == S.DRAFT:
        raise Http404
    return proposal


@dataclass
class StateChange:
    at: datetime.datetime
    username: str
    action: str
    before: str
    after: str
    note: str
    by: str = ""  # who acted, as people know them: the full name (with the unit of a unit's account)


# "assign: registered → assigned · 市住建局"; an item entered from paper starts with no state before it
# ("entered on paper: → submitted · signatures: 3").
_STATE_DETAIL_RE = re.compile(r"^(?P<action>[^:]+): (?:(?P<before>\w+) )?→ (?P<after>\w+)(?: · (?P<note>.*))?$", re.S)


def _note_part(part: str) -> str:
    """One part of an audited state change's note (the services write them in a fixed English form, which is
    data), in the reader's language; a part that is not one of those forms (a unit's name) stays as it is."""
    from django.utils.translation import gettext

    results = dict(Rating.Result.choices)
    if match := re.fullmatch(r"No\. (\d+)", part):
        return gettext("No. %(number)s") % {"number": f"{int(match[1]):04d}"}
    if match := re.fullmatch(r"suggestion No\. (\d+)", part):
        return gettext("as suggestion No. %(number)s") % {"number": f"{int(match[1]):04d}"}
    if match := re.fullmatch(r"round (\d+)", part):
        return gettext("round %(n)s") % {"n": match[1]}
    if match := re.fullmatch(r"[A-Z]", part):
        return gettext("class %(code)s reply") % {"code": part}
    if match := re.fullmatch(r"round (\d+): all rated", part):
        return gettext("round %(n)s: every signer rated") % {"n": match[1]}
    if match := re.fullmatch(r"round (\d+): unsatisfied → round (\d+)", part):
        return gettext("round %(n)s rated unsatisfied: re-handled in round %(next)s") % {"n": match[1],
                                                                                         "next": match[2]}
    if (match := re.fullmatch(r"round (\d+): (\w+)", part)) and match[2] in results:
        return gettext("round %(n)s: %(result)s") % {"n": match[1], "result": results[match[2]]}
    if match := re.fullmatch(r"round (\d+): rating window ended (\d{4}-\d{2}-\d{2})", part):
        try:
            date = formats.date_format(datetime.date.fromisoformat(match[2]), "DATE_FORMAT")
        except ValueError:
            date = match[2]
        return gettext("round %(n)s: the rating window ended on %(date)s") % {"n": match[1], "date": date}
    if match := re.fullmatch(r"signatures: (\d+)", part):
        return gettext("signers: %(count)s") % {"count": match[1]}
    if match := re.fullmatch(r"follow-ups closed: (\d+)", part):
        return gettext("%(count)s open follow-up(s) of the superseded round closed") % {"count": match[1]}
    return part


def history_note(note: str) -> str:
    """An audited note in the reader's language (its parts are joined by " · ")."""
    if not note:
        return ""
    return " · ".join(_note_part(part) for part in note.split(" · "))


def _operator(username: str, full_name: str | None, unit_name: str | None, action: str, note: str) -> str:
    """Who acted: the account's full name (its username when it has none), after the unit's name for a unit's
    account; an entry with no account is a unit's signing for (named in its note) or the system's."""
    from django.utils.translation import gettext

    name = (full_name or "").strip() or username
    if unit_name:
        return f"{unit_name} {name}".strip()
    if name:
        return name
    if action == "accept" and note:
        return note
    return gettext("System")


def co_assignment_for_office(proposal: Proposal, pk) -> Assignment:
    """A co-unit's assignment of an item the user may see (404 otherwise)."""
    if not is_pk(pk):
        raise Http404
    assignment = (Assignment.objects.filter(pk=pk, proposal=proposal, role=Assignment.Role.CO)
                  .select_related("unit").first())
    if assignment is None:
        raise Http404
    return assignment


def state_history(proposal: Proposal) -> list[StateChange]:
    """The item's state changes, oldest first, from the audit trail (``AuditEvent.Action.PROPOSAL_STATE``),
    in the reader's language, each with who acted by name."""
    from apps.proposals.rules import ACTION_LABELS

    labels = dict(S.choices)
    actions = {**ACTION_LABELS, "entered on paper": _("entered from paper")}
    rows = (AuditEvent.objects.filter(action=AuditEvent.Action.PROPOSAL_STATE, object_type__in=PROPOSAL_LABELS,
                                      object_id=str(proposal.pk))
            .order_by("created_at", "pk")
            .values_list("created_at", "username", "user__full_name", "user__handling_unit__name", "detail"))
    changes = []
    for at, username, full_name, unit_name, detail in rows:
        match = _STATE_DETAIL_RE.match(detail)
        if match is None:
            by = _operator(username, full_name, unit_name, "", "")
            changes.append(StateChange(at, username, "", "", "", history_note(detail), by))
            continue
        note = match["note"] or ""
        by = _operator(username, full_name, unit_name, match["action"], note)
        changes.append(StateChange(at, username, str(actions.get(match["action"], match["action"])),
                                   str(labels.get(match["before"], match["before"])) if match["before"] else "",
                                   str(labels.get(match["after"], match["after"])), history_note(note), by))
    return changes


def _rule_item_labels() -> dict:
    # Deadlines a service dates from something else than a rule's figure (a follow-up at the promised date).
    return {"promised_on": _("at the promised solution date")}


def rule_label(deadline: Deadline) -> str:
    """“长春市 · 建议 · 办理期限（月） 3”: the rule and the rule's item that produced a deadline."""
    if deadline.rule_id is None:
        return ""
    field = deadline.rule_field
    try:
        field = str(HandlingRule._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:  # not a figure of the rule: a date the deadline was set from
        field = str(_rule_item_labels().get(field, ""))
    value = "" if deadline.rule_value is None else f" {deadline.rule_value}"
    return f"{deadline.rule} · {field}{value}" if field else str(deadline.rule)


def proposal_page(proposal: Proposal, user) -> dict:
    """Everything the item's page shows, each part in one query."""
    today = timezone.localdate()
    signatures = list(proposal.signatures.select_related("person", "mandate__jurisdiction")
                      .order_by("-role", "invited_at", "pk"))
    deadlines = Deadline.objects.select_related("rule__jurisdiction").order_by("due_on", "pk")
    assignments = list(
        proposal.assignments.select_related("unit", "assigned_by", "opinion_waived_by")
        .prefetch_related(Prefetch("deadlines", queryset=deadlines),
                          Prefetch("communications", queryset=Communication.objects.select_related("recorded_by")
                                   .order_by("date", "recorded_at")))
        .order_by("round", "-role", "assigned_at", "pk"))
    waitable = proposal.state in (S.ASSIGNED, S.HANDLING, S.REHANDLING)
    for assignment in assignments:
        # A co-unit the lead unit's reply still waits for: the office may waive its opinion.
        assignment.awaited = (waitable and assignment.role == Assignment.Role.CO
                              and assignment.round == proposal.round and assignment.state in LIVE_ASSIGNMENT
                              and assignment.opinion_at is None and assignment.opinion_waived_at is None)
        for deadline in assignment.deadlines.all():
            deadline.rule_text = rule_label(deadline)
            deadline.is_overdue = deadline.is_open and deadline.due_on < today
    other_deadlines = list(proposal.deadlines.filter(assignment__isnull=True).select_related("rule__jurisdiction")
                           .order_by("round", "due_on"))
    for deadline in other_deadlines:
        deadline.rule_text = rule_label(deadline)
        deadline.is_overdue = deadline.is_open and deadline.due_on < today
    replies = list(proposal.replies.select_related("reply_class", "document", "assignment__unit", "replied_by")
                   .prefetch_related(Prefetch("ratings", queryset=Rating.objects.select_related("signature__person")
                                              .order_by("rated_at", "pk")))
                   .order_by("round"))
    counting = [s for s in signatures if s.counts and s.declined_at is None]
    for reply in replies:
        rated = {rating.signature_id for rating in reply.ratings.all()}
        awaiting = proposal.state == S.REPLIED and reply.round == proposal.round
        reply.unrated = [s for s in counting if s.pk not in rated] if awaiting else []
    supervision = (Supervision.objects.filter(proposal=proposal)
                   .select_related("leader__person", "committee", "created_by")
                   .prefetch_related(Prefetch("records", queryset=SupervisionRecord.objects
                                              .select_related("recorded_by").order_by("date", "recorded_at")))
                   .first())
    merged = []
    if proposal.merge_group_id:
        merged = list(access.office_proposals(user).filter(merge_group_id=proposal.merge_group_id)
                      .exclude(pk=proposal.pk).only("id", "title", "number", "kind", "state", "year")
                      .order_by("pk"))
    return {
        "signatures": signatures,
        "counting_signers": len(counting),
        "attachments": list(proposal.attachments.select_related("uploaded_by").order_by("uploaded_at", "pk")),
        "history": state_history(proposal),
        "assignments": assignments,
        "co_assignments": [a for a in assignments if a.role == Assignment.Role.CO],
        "other_deadlines": other_deadlines,
        "replies": replies,
        "follow_ups": list(proposal.follow_ups.select_related("reply__reply_class", "reported_by", "answered_by")
                           .order_by("due_on", "pk")),
        "extensions": list(ExtensionRequest.objects.filter(assignment__proposal=proposal)
                           .select_related("assignment__unit", "deadline", "requested_by", "decided_by")
                           .order_by("-requested_at")),
        "supervision": supervision,
        "merged": merged,
        "similar": similar_items(proposal, user),
    }


def similar_items(proposal: Proposal, user, limit: int = 10) -> list[Proposal]:
    """Items like this one (title and content, pg_trgm) that the user may see, the most similar first; each
    marked ``can_merge`` when it could be merged with this one now."""
    from apps.proposals.selectors.similar import similar_proposals

    found = list(similar_proposals(title=proposal.title, content=proposal.content,
                                   jurisdiction=proposal.jurisdiction, exclude_pk=proposal.pk, limit=limit))
    if not found:
        return []
    visible = {row["pk"]: row for row in access.office_proposals(user).filter(pk__in=[p.pk for p in found])
               .values("pk", "state", "merge_group_id", "jurisdiction_id")}
    items = []
    for item in found:
        row = visible.get(item.pk)
        if row is None:
            continue
        item.can_merge = (row["state"] in MERGEABLE and row["merge_group_id"] is None
                          and row["jurisdiction_id"] == proposal.jurisdiction_id)
        items.append(item)
    return items



def attachment_for(proposal: Proposal, pk) -> ProposalAttachment:
    if not is_pk(pk):
        raise Http404
    attachment = proposal.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    return attachment


# --- extension requests ----------------------------------------------------------------------------------------

def extension_requests(user, *, state: str | None = ExtensionRequest.State.PENDING) -> QuerySet[ExtensionRequest]:
    """Extension requests on the items of the user's scope, the oldest pending first."""
    qs = (ExtensionRequest.objects
          .filter(Exists(access.office_proposals(user).filter(pk=OuterRef("assignment__proposal_id"))))
          .select_related("assignment__unit", "assignment__proposal", "deadline__rule", "requested_by",
                          "decided_by")
          .defer("assignment__proposal__content", "assignment__proposal__grounds", "assignment__proposal__plan",
                 "assignment__proposal__draft_text"))
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("requested_at", "pk") if state == ExtensionRequest.State.PENDING else qs.order_by(
        "-requested_at", "-pk")


def extension_for_office(user, pk) -> ExtensionRequest:
    if not is_pk(pk):
        raise Http404
    extension = (ExtensionRequest.objects
                 .filter(Exists(access.office_proposals(user).filter(pk=OuterRef("assignment__proposal_id"))))
                 .select_related("assignment__unit", "assignment__proposal", "deadline__rule")
                 .filter(pk=pk).first())
    if extension is None:
        raise Http404
    return extension

