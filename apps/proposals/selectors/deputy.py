"""Reads of the deputy's side: their motions and suggestions, what awaits them, an item's handling progress.

Every read starts from ``access.deputy_proposals`` (items the deputy signed or was invited to sign); an item
outside it is a 404.
"""

from __future__ import annotations

from django.db.models import (
    BooleanField, Case, Count, Exists, ExpressionWrapper, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery,
    Value, When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.core.access import is_pk
from apps.deputies.models import Mandate, Session
from apps.deputies.selectors import search_filter
from apps.proposals import access
from apps.proposals.selectors.office import number_or_title_filter
from apps.proposals.models import (
    Communication, Deadline, FollowUp, Kind, Proposal, Rating, Reply, Signature,
)

S = Proposal.State
FINISHED = (S.CLOSED, S.WITHDRAWN)
# States in which the lead still shapes the item: edit, attach, invite and remove co-signers.
EDITABLE = (S.DRAFT, S.RETURNED)
WITHDRAWABLE = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.REGISTERED)
# States in which an invited co-signer may still confirm.
ANSWERABLE = (S.DRAFT, S.RETURNED, S.SUBMITTED)
# Deadlines the deputy follows on the list: when the reply is due, and when their rating is.
DEPUTY_DEADLINES = (Deadline.Kind.REPLY, Deadline.Kind.REHANDLING, Deadline.Kind.RATING)
SEARCH_LIMIT = 20

# list filter "show" → the rows it keeps
SHOW_FILTERS = {
    "awaiting": Q(awaits_any=True),
    "cosign": Q(awaits_cosign=True),
    "rating": Q(awaits_rating=True),
    "follow_up": Q(awaits_follow_up=True),
    "open": ~Q(state__in=FINISHED),
    "finished": Q(state__in=FINISHED),
}


# --- the deputy's mandates and sessions --------------------------------------------------------------------

def my_mandates(user) -> QuerySet[Mandate]:
    """The deputy's serving mandates: the congresses they may raise an item in."""
    if not access.is_deputy(user):
        return Mandate.objects.none()
    return (Mandate.objects.current().filter(person_id=user.person_id)
            .select_related("term", "jurisdiction").order_by("term__start_date", "pk"))


def sessions_of(term_ids) -> QuerySet[Session]:
    return Session.objects.filter(term_id__in=term_ids).select_related("term").order_by("term_id", "-number")


# --- "my motions and suggestions" ----------------------------------------------------------------------------

def _mine(user):
    return Signature.objects.filter(proposal=OuterRef("pk"), person_id=user.person_id)


def _counting(signatures):
    return signatures.filter(Q(role=Signature.Role.LEAD) | Q(confirmed_at__isnull=False))


def _flag(q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def my_items(user) -> QuerySet[Proposal]:
    """The deputy's items: led, co-signed or invited to, not the invitations they declined (the list "mine")."""
    return access.deputy_proposals(user).exclude(Exists(_mine(user).filter(declined_at__isnull=False)))


def my_proposals(user, *, show: str = "", kind: str = "", q: str = "") -> QuerySet[Proposal]:
    """The deputy's items (led, co-signed or invited to; not the invitations they declined), each with what
    awaits them and the next deadline they follow, in one query; items awaiting them first."""
    mine = _mine(user)
    counting_mine = _counting(mine)
    awaits_cosign = _flag(Exists(mine.filter(role=Signature.Role.COSIGNER, confirmed_at__isnull=True,
                                             declined_at__isnull=True)) & ~Q(state__in=FINISHED))
    my_rating = Rating.objects.filter(proposal=OuterRef("pk"), round=OuterRef("round"),
                                      signature__person_id=user.person_id)
    awaits_rating = _flag(Q(state=S.REPLIED) & Exists(counting_mine) & ~Exists(my_rating))
    awaits_follow_up = _flag(Exists(counting_mine) & Exists(FollowUp.objects.filter(
        proposal=OuterRef("pk"), reported_at__isnull=False, answered_at__isnull=True, closed_at__isnull=True)))
    next_deadline = (Deadline.objects.filter(proposal=OuterRef("pk"), is_open=True, kind__in=DEPUTY_DEADLINES)
                     .order_by("due_on"))
    signers = (_counting(Signature.objects.filter(proposal=OuterRef("pk"))).order_by()
               .values("proposal").annotate(n=Count("pk")).values("n"))
    qs = (my_items(user)
          .annotate(my_role=Subquery(mine.values("role")[:1]),
                    lead_name=Subquery(Signature.objects.filter(proposal=OuterRef("pk"), role=Signature.Role.LEAD)
                                       .values("person__name")[:1]),
                    signer_count=Coalesce(Subquery(signers, output_field=IntegerField()), 0),
                    next_due_on=Subquery(next_deadline.values("due_on")[:1]),
                    next_due_kind=Subquery(next_deadline.values("kind")[:1]),
                    awaits_cosign=awaits_cosign, awaits_rating=awaits_rating, awaits_follow_up=awaits_follow_up)
          .annotate(awaits_any=_flag(Q(awaits_cosign=True) | Q(awaits_rating=True) | Q(awaits_follow_up=True)))
          .select_related("category"))
    if show in SHOW_FILTERS:
        qs = qs.filter(SHOW_FILTERS[show])
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    if q := (q or "").strip():
        qs = qs.filter(number_or_title_filter(q))
    return qs.order_by(Case(When(awaits_any=True, then=Value(0)), default=Value(1)), "-created_at", "-pk")


def awaiting_counts(user) -> dict[str, int]:
    """How many items await the deputy's confirmation as co-signer, rating, or answer to a follow-up."""
    return my_proposals(user).aggregate(
        cosign=Count("pk", filter=Q(awaits_cosign=True)), rating=Count("pk", filter=Q(awaits_rating=True)),
        follow_up=Count("pk", filter=Q(awaits_follow_up=True)))


# --- one item ----------------------------------------------------------------------------------------------------

def lead_proposal(user, pk) -> Proposal:
    """An item the deputy leads (领衔); any other item is a 404 here (the lead's pages)."""
    if not is_pk(pk) or not access.is_deputy(user):
        raise Http404
    return get_object_or_404(
        Proposal.objects.filter(Exists(Signature.objects.filter(proposal=OuterRef("pk"), person_id=user.person_id,
                                                                role=Signature.Role.LEAD)))
        .select_related("jurisdiction", "category", "session"), pk=pk)


def lead_signature(proposal: Proposal) -> Signature | None:
    return (proposal.signatures.filter(role=Signature.Role.LEAD)
            .select_related("mandate__term", "mandate__jurisdiction", "person").first())


def proposal_progress(proposal: Proposal, user) -> dict:
    """What the detail page shows: signers, files, assignments with their communications, deadlines, replies,
    follow-ups and the deputy's own ratings by round. A fixed number of queries."""
    signatures = list(proposal.signatures.select_related("person", "mandate__term").order_by("-role", "invited_at"))
    mine = next((s for s in signatures if s.person_id == user.person_id), None)
    assignments = list(
        proposal.assignments.select_related("unit")
        .prefetch_related(Prefetch("communications", queryset=Communication.objects.order_by("date", "recorded_at")))
        .order_by("round", "role", "assigned_at"))
    replies = list(proposal.replies.select_related("reply_class", "document", "assignment__unit").order_by("round"))
    my_ratings = {r.round: r for r in Rating.objects.filter(proposal=proposal, signature__person_id=user.person_id)}
    for reply in replies:
        reply.my_rating = my_ratings.get(reply.round)
    follow_ups = list(proposal.follow_ups.order_by("due_on"))
    return {
        "signatures": signatures,
        "my_signature": mine,
        "lead": next((s for s in signatures if s.role == Signature.Role.LEAD), None),
        "signer_count": sum(1 for s in signatures if s.counts),
        "attachments": list(proposal.attachments.all()),
        "assignments": assignments,
        "deadlines": list(proposal.deadlines.select_related("assignment__unit").order_by("due_on", "pk")),
        "replies": replies,
        "my_ratings": [my_ratings[k] for k in sorted(my_ratings)],
        "follow_ups": follow_ups,
    }


def current_reply(proposal: Proposal) -> Reply | None:
    """The reply of the item's present round (what a rating is about)."""
    return (proposal.replies.select_related("reply_class", "document", "assignment__unit")
            .filter(round=proposal.round).first())


def has_rated(proposal: Proposal, signature: Signature) -> bool:
    return Rating.objects.filter(signature=signature, round=proposal.round).exists()


def follow_up_of(proposal: Proposal, pk) -> FollowUp:
    if not is_pk(pk):
        raise Http404
    return get_object_or_404(proposal.follow_ups.select_related("reply__reply_class"), pk=pk)


def cosigner_of(proposal: Proposal, pk) -> Signature:
    """A co-signer's signature on the lead's item (404 for the lead's own or another item's)."""
    if not is_pk(pk):
        raise Http404
    return get_object_or_404(proposal.signatures.filter(role=Signature.Role.COSIGNER).select_related("person"),
                             pk=pk)


# --- co-signing -------------------------------------------------------------------------------------------------

def my_invitations(user) -> QuerySet[Signature]:
    """The deputy's co-signatures and invitations to co-sign: awaiting an answer first, then the newest."""
    if not access.is_deputy(user):
        return Signature.objects.none()
    lead_name = Subquery(Signature.objects.filter(proposal=OuterRef("proposal_id"), role=Signature.Role.LEAD)
                         .values("person__name")[:1])
    return (Signature.objects.filter(person_id=user.person_id, role=Signature.Role.COSIGNER)
            .select_related("proposal", "mandate__term").annotate(lead_name=lead_name)
            .annotate(pending=_flag(Q(confirmed_at__isnull=True, declined_at__isnull=True)))
            .order_by("-pending", "-invited_at", "-pk"))


def invitation_for(user, signature_pk) -> Signature:
    """The deputy's own co-signature (an invitation); anyone else's is a 404."""
    if not is_pk(signature_pk) or not access.is_deputy(user):
        raise Http404
    return get_object_or_404(
        Signature.objects.filter(person_id=user.person_id, role=Signature.Role.COSIGNER)
        .select_related("proposal__jurisdiction", "proposal__session", "mandate"), pk=signature_pk)


def cosigner_candidates(proposal: Proposal, q: str, *, limit: int = SEARCH_LIMIT) -> list[Mandate]:
    """Serving deputies of the item's congress (the lead mandate's jurisdiction and level) matching a name,
    pinyin or initials, who are not on the item yet. Never by ID number or phone."""
    q = (q or "").strip()
    lead = proposal.signatures.filter(role=Signature.Role.LEAD).select_related("mandate").first()
    if not q or q.isdigit() or lead is None:
        return []
    on_it = Signature.objects.filter(proposal=proposal).values("person_id")
    return list(Mandate.objects.current().filter(search_filter(q), jurisdiction_id=lead.mandate.jurisdiction_id, level=lead.mandate.level)
                .exclude(person_id__in=on_it).select_related("person", "term")
                .order_by("person__name_pinyin", "pk")[:limit])


def invitable_mandates(proposal: Proposal) -> QuerySet[Mandate]:
    """What the invitation form accepts: serving mandates of the item's congress, not on the item yet."""
    lead = proposal.signatures.filter(role=Signature.Role.LEAD).select_related("mandate").first()
    if lead is None:
        return Mandate.objects.none()
    return (Mandate.objects.current().filter(jurisdiction_id=lead.mandate.jurisdiction_id,
                                   level=lead.mandate.level)
            .exclude(person_id__in=Signature.objects.filter(proposal=proposal).values("person_id"))
            .select_related("person", "term"))

