"""Who may see which motions and suggestions: every proposals view reads items through these helpers.

- Office (staff and supervisors holding ``proposals.view_proposal``): items of their jurisdiction and below.
  Staff act (``proposals.handle_proposal``); supervisors read, see the board and add supervision records.
- Deputies: items they signed or were invited to sign (``Signature`` of their person), never others'.
- Unit users: items assigned to their unit (any round, any assignment state), through the assignment.
- Leaders (a 主任会议 member's account, role ``member``): the items whose supervision they lead, read-only,
  adding supervision records; the board's figures of those items.

An item outside these is a 404; a page the role does not open is a 403 (``apps.core.access.role_required``).
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.committee.models import serving_q
from apps.core import access, roles
from apps.core.access import is_pk, jurisdiction_scope
from apps.proposals.models import Assignment, Proposal, Signature, Supervision


OFFICE_PERM = "proposals.view_proposal"


def is_office(user) -> bool:
    return access.is_office(user, OFFICE_PERM)


def is_handler(user) -> bool:
    """Staff who register, review, assign and decide extensions."""
    return bool(is_office(user) and user.has_role(roles.STAFF) and user.has_perm("proposals.handle_proposal"))


def is_deputy(user) -> bool:
    return bool(user.is_authenticated and user.has_role(roles.DEPUTY) and user.person_id is not None)


def is_unit(user) -> bool:
    return bool(user.is_authenticated and user.has_role(roles.UNIT) and user.handling_unit_id is not None)


def office_proposals(user) -> QuerySet[Proposal]:
    if not is_office(user):
        return Proposal.objects.none()
    return Proposal.objects.filter(jurisdiction_scope(user))


def deputy_proposals(user) -> QuerySet[Proposal]:
    if not is_deputy(user):
        return Proposal.objects.none()
    return Proposal.objects.filter(
        Exists(Signature.objects.filter(proposal=OuterRef("pk"), person_id=user.person_id)))


def unit_assignments(user) -> QuerySet[Assignment]:
    if not is_unit(user):
        return Assignment.objects.none()
    return Assignment.objects.filter(unit_id=user.handling_unit_id)


def _get(qs: QuerySet, pk):
    if not is_pk(pk):
        raise Http404
    return get_object_or_404(qs, pk=pk)


def proposal_for_office(user, pk) -> Proposal:
    return _get(office_proposals(user).select_related("jurisdiction", "category", "session", "merge_group"), pk)


def proposal_for_deputy(user, pk) -> Proposal:
    return _get(deputy_proposals(user).select_related("jurisdiction", "category", "session"), pk)


def signature_for_deputy(user, proposal: Proposal) -> Signature | None:
    """The deputy's own signature on ``proposal`` (None if they are not on it)."""
    if not is_deputy(user):
        return None
    return proposal.signatures.filter(person_id=user.person_id).first()


def assignment_for_unit(user, pk) -> Assignment:
    return _get(unit_assignments(user).select_related("proposal", "proposal__category", "unit"), pk)


def proposal_visible_to(user, pk) -> Proposal:
    """The item if the user may see it in any role (office, signer, assigned unit); else 404.
    For pages every party opens (an attachment, a published reply)."""
    if not is_pk(pk):
        raise Http404
    for qs in (office_proposals(user), deputy_proposals(user),
               Proposal.objects.filter(Exists(unit_assignments(user).filter(proposal=OuterRef("pk"))))):
        proposal = qs.filter(pk=pk).first()
        if proposal is not None:
            return proposal
    raise Http404


# --- leaders (主任会议 members) who lead the supervision of key items ---------------------------------------

def is_member(user) -> bool:
    """A committee member's account (the role leaders of the council sign in with)."""
    return bool(user.is_authenticated and user.has_role(roles.MEMBER))


def led_supervisions(user) -> QuerySet[Supervision]:
    """The supervisions the user leads: their account is the leading supervisor's (a 主任会议 member) and the
    post is held today (a leader whose post ended no longer sees the items)."""
    if not is_member(user):
        return Supervision.objects.none()
    today = timezone.localdate()
    return Supervision.objects.filter(serving_q(today, today, "leader__"), leader__user=user)


def leader_proposals(user) -> QuerySet[Proposal]:
    """The items whose supervision the user leads (read-only for them; they add supervision records)."""
    return Proposal.objects.filter(pk__in=led_supervisions(user).values("proposal_id")).exclude(
        state=Proposal.State.DRAFT)


def is_leader(user) -> bool:
    """Whether the user leads the supervision of at least one item."""
    return leader_proposals(user).exists()


def proposal_for_leader(user, pk) -> Proposal:
    """An item the user leads the supervision of; any other item is a 404."""
    return _get(leader_proposals(user).select_related("jurisdiction", "category", "session"), pk)
