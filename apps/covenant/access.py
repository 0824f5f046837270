"""Who may see which covenant records: every covenant view reads through these helpers.

- Office (staff and supervisors with a jurisdiction and ``covenant.view_committeemeeting``): the meetings,
  notices, leave requests and talks of their jurisdiction's committee and the committees below it. Staff
  write (the model's add/change permission); supervisors read.
- Committee members (role ``member``): their own attendance, flags, leave requests and talks
  (``CommitteeMember.user``); they may ask for leave.

A record outside these is a 404; a page the role does not open is a 403.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.committee.models import CommitteeMember
from apps.core import access, roles
from apps.core.access import is_pk, jurisdiction_scope
from apps.core.models import Jurisdiction
from apps.covenant.models import Admonition, CommitteeMeeting, CovenantNotice, LeaveRequest, Speech


OFFICE_PERM = "covenant.view_committeemeeting"
# Staff and supervisors of a jurisdiction (``apps.core.access.is_office``) who see its meetings; 403 for anyone else.
office_required = access.office_required(perm=OFFICE_PERM)


def is_office(user) -> bool:
    return access.is_office(user, OFFICE_PERM)


def can_write(user, model: str = "committeemeeting") -> bool:
    """Staff who add and change covenant records of ``model``."""
    return bool(is_office(user) and user.has_role(roles.STAFF) and user.has_perm(f"covenant.add_{model}")
                and user.has_perm(f"covenant.change_{model}"))


def is_member(user) -> bool:
    return bool(user.is_authenticated and user.has_role(roles.MEMBER)
                and CommitteeMember.objects.filter(user=user).exists())


def writer_required(model: str = "committeemeeting"):
    """Staff who may add and change ``model``; 403 for anyone else (supervisors included)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can_write(request.user, model):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def member_required(view):
    """A committee member with a member row linked to their account; 403 for anyone else."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _get(qs: QuerySet, pk):
    if not is_pk(pk):
        raise Http404
    return get_object_or_404(qs, pk=pk)


# --- scopes ----------------------------------------------------------------------------------------------

def office_jurisdictions(user) -> QuerySet[Jurisdiction]:
    """The jurisdictions whose committees the user works on: their own and those below it that have one."""
    if not is_office(user):
        return Jurisdiction.objects.none()
    has_committee = Exists(CommitteeMember.objects.filter(jurisdiction=OuterRef("pk")))
    below = Q(path__startswith=user.jurisdiction.path) & has_committee
    return Jurisdiction.objects.filter(Q(pk=user.jurisdiction_id) | below).order_by("path")


def office_meetings(user) -> QuerySet[CommitteeMeeting]:
    if not is_office(user):
        return CommitteeMeeting.objects.none()
    return CommitteeMeeting.objects.filter(jurisdiction_scope(user))


def office_members(user) -> QuerySet[CommitteeMember]:
    if not is_office(user):
        return CommitteeMember.objects.none()
    return CommitteeMember.objects.filter(jurisdiction_scope(user))


def own_members(user) -> QuerySet[CommitteeMember]:
    """The member rows of the user's own account (one per term served)."""
    if not (user.is_authenticated and user.has_role(roles.MEMBER)):
        return CommitteeMember.objects.none()
    return CommitteeMember.objects.filter(user=user)


def office_notices(user) -> QuerySet[CovenantNotice]:
    if not is_office(user):
        return CovenantNotice.objects.none()
    return CovenantNotice.objects.filter(jurisdiction_scope(user))


def office_leave_requests(user) -> QuerySet[LeaveRequest]:
    if not is_office(user):
        return LeaveRequest.objects.none()
    return LeaveRequest.objects.filter(jurisdiction_scope(user, "member__jurisdiction"))


def visible_leave_requests(user) -> QuerySet[LeaveRequest]:
    """The office's requests in scope, or a member's own."""
    if is_office(user):
        return office_leave_requests(user)
    return LeaveRequest.objects.filter(member__in=own_members(user))


def office_admonitions(user) -> QuerySet[Admonition]:
    if not is_office(user):
        return Admonition.objects.none()
    return Admonition.objects.filter(jurisdiction_scope(user, "member__jurisdiction"))


# --- single records ------------------------------------------------------------------------------------

def meeting_for_office(user, pk) -> CommitteeMeeting:
    return _get(office_meetings(user).select_related("jurisdiction", "term"), pk)


def speech_for_office(user, pk) -> Speech:
    return _get(Speech.objects.filter(jurisdiction_scope(user, "meeting__jurisdiction") if is_office(user)
                                      else Q(pk__in=[])).select_related("meeting"), pk)


def notice_for_office(user, pk) -> CovenantNotice:
    return _get(office_notices(user).select_related("jurisdiction", "created_by", "published_by"), pk)


def leave_request_for_office(user, pk) -> LeaveRequest:
    return _get(office_leave_requests(user).select_related("member__person", "special_committee", "meeting"), pk)


def admonition_for_office(user, pk) -> Admonition:
    return _get(office_admonitions(user).select_related("member__person"), pk)


def jurisdiction_for_office(user, pk) -> Jurisdiction:
    return _get(office_jurisdictions(user), pk)
