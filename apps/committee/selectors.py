"""Reads of the standing committee's composition, scoped to the user."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from apps.committee.models import CommitteeMember, SpecialCommittee
from apps.core.access import sees_roster


def visible_members(user) -> QuerySet[CommitteeMember]:
    """Committee members of the standing committees in the user's scope."""
    if not sees_roster(user):
        return CommitteeMember.objects.none()
    return (CommitteeMember.objects.filter(jurisdiction__path__startswith=user.jurisdiction.path)
            .select_related("person", "term", "jurisdiction", "user").prefetch_related("special_committees"))


def member_for_user(user, pk: int) -> CommitteeMember:
    member = visible_members(user).filter(pk=pk).first()
    if member is None:
        raise Http404
    return member


def own_members(user) -> QuerySet[CommitteeMember]:
    """The committee posts linked to the user's account (a member sees their own assignments only)."""
    if not user.is_authenticated:
        return CommitteeMember.objects.none()
    return CommitteeMember.objects.filter(user=user).select_related("person", "jurisdiction")


def visible_special_committees(user) -> QuerySet[SpecialCommittee]:
    if not sees_roster(user):
        return SpecialCommittee.objects.none()
    return (SpecialCommittee.objects.filter(jurisdiction__path__startswith=user.jurisdiction.path)
            .select_related("jurisdiction").annotate(member_count=Count("members")))
