"""Writes of the standing committee's composition: its members and the special committees. History (who
changed what) is kept by django-simple-history."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.committee.models import CommitteeMember, SpecialCommittee
from apps.core import roles
from apps.core.models import Jurisdiction


def _check_member(member: CommitteeMember, special_committees: Iterable[SpecialCommittee]) -> None:
    errors = {}
    if member.end_date and member.end_date < member.start_date:
        errors["end_date"] = _("The end date is before the start date.")
    if any(c.jurisdiction_id != member.jurisdiction_id for c in special_committees):
        errors["special_committees"] = _("A special committee of another congress was chosen.")
    if member.user_id and not member.user.has_role(roles.MEMBER):
        errors["user"] = _("The linked account must have the committee member role.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def committee_member_create(*, term, person, post: str, start_date: datetime.date,
                            end_date: datetime.date | None = None, user: User | None = None,
                            special_committees: Iterable[SpecialCommittee] = ()) -> CommitteeMember:
    """Add a member of the standing committee of ``term``'s congress; their jurisdiction is the term's."""
    special_committees = list(special_committees)
    member = CommitteeMember(term=term, jurisdiction_id=term.jurisdiction_id, person=person, post=post,
                             start_date=start_date, end_date=end_date, user=user)
    member.full_clean()
    _check_member(member, special_committees)
    member.save()
    member.special_committees.set(special_committees)
    return member


@transaction.atomic
def committee_member_update(*, member: CommitteeMember, data: dict) -> CommitteeMember:
    data = dict(data)
    special_committees = list(data.pop("special_committees", member.special_committees.all()))
    for name, value in data.items():
        setattr(member, name, value)
    member.jurisdiction_id = member.term.jurisdiction_id
    member.full_clean()
    _check_member(member, special_committees)
    member.save()
    member.special_committees.set(special_committees)
    return member


@transaction.atomic
def special_committee_create(*, jurisdiction: Jurisdiction, name: str) -> SpecialCommittee:
    name = (name or "").strip()
    if SpecialCommittee.objects.filter(jurisdiction=jurisdiction, name=name).exists():
        raise ValidationError({"name": _("This special committee already exists.")})
    committee = SpecialCommittee(jurisdiction=jurisdiction, name=name)
    committee.full_clean()
    committee.save()
    return committee
