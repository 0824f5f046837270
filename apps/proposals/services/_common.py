"""Pieces the proposals services share: who to tell, who may act, the checks every write makes."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import roles
from apps.core.services import notify
from apps.proposals import access
from apps.proposals.models import Proposal, Signature
from apps.proposals.services import transitions


def url(name: str, *args) -> str:
    """The link of a notification (empty while the page's module is not installed)."""
    try:
        return reverse(f"proposals:{name}", args=args)
    except NoReverseMatch:
        return ""


def day(value: datetime.date) -> str:
    """A date as Chinese pages show it (2026年11月26日)."""
    return formats.date_format(value, "DATE_FORMAT")


def deputy_users(person_ids):
    return list(User.objects.filter(person_id__in=list(person_ids), is_active=True))


def unit_users(unit_ids):
    return list(User.objects.filter(handling_unit_id__in=list(unit_ids), is_active=True))


def staff_users(proposal: Proposal):
    """The staff of the item's congress (who register, assign and decide extensions)."""
    return list(User.objects.filter(jurisdiction_id=proposal.jurisdiction_id, groups__name=roles.STAFF,
                                    is_active=True).distinct())


def signer_person_ids(proposal: Proposal, *, counting_only: bool = True) -> list[int]:
    """The lead and (confirmed) co-signers of an item."""
    rows = proposal.signatures.filter(declined_at__isnull=True)
    if counting_only:
        rows = [s for s in rows if s.counts]
    return [s.person_id for s in rows]


def tell_deputies(proposal: Proposal, *, title: str, body: str = "", counting_only: bool = True) -> None:
    users = deputy_users(signer_person_ids(proposal, counting_only=counting_only))
    if users:
        notify(recipients=users, title=title, body=body, url=url("my_proposal_detail", proposal.pk))


def tell_units(assignments, *, title: str, body: str = "") -> None:
    for assignment in assignments:
        users = unit_users([assignment.unit_id])
        if users:
            notify(recipients=users, title=title, body=body, url=url("unit_assignment", assignment.pk))


def tell_staff(proposal: Proposal, *, title: str, body: str = "") -> None:
    users = staff_users(proposal)
    if users:
        notify(recipients=users, title=title, body=body, url=url("proposal_detail", proposal.pk))


def required_text(value, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def check_handler(user, proposal: Proposal) -> None:
    """Staff of the item's congress or above: the office's writes (register, assign, decide ...)."""
    jurisdiction = getattr(user, "jurisdiction", None)
    if not (user is not None and access.is_handler(user) and jurisdiction is not None
            and proposal.jurisdiction.path.startswith(jurisdiction.path)):
        raise ValidationError(_("Only the staff of this congress can do this."), code="forbidden")


def check_lead(user, proposal: Proposal) -> Signature:
    """The lead deputy's own account (or staff of the congress acting on their behalf)."""
    lead = proposal.signatures.filter(role=Signature.Role.LEAD).first()
    if lead is not None and user is not None and getattr(user, "person_id", None) == lead.person_id:
        return lead
    try:
        check_handler(user, proposal)
    except ValidationError:
        raise ValidationError(_("Only the lead deputy of this item can do this."), code="forbidden") from None
    return lead


def check_unit_user(user, assignment) -> None:
    if user is None or getattr(user, "handling_unit_id", None) != assignment.unit_id:
        raise ValidationError(_("Only the users of %(unit)s can act on this assignment.")
                              % {"unit": assignment.unit}, code="forbidden")


def _lock_key(*parts) -> tuple[int, int]:
    digest = hashlib.blake2b("|".join(str(p) for p in parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest[:4], "big", signed=True), int.from_bytes(digest[4:], "big", signed=True)


def next_number(*, jurisdiction_id: int, year: int, session_id: int | None, kind: str) -> int:
    """The next registration number of (congress, year, session, kind), taken under a transaction-level
    advisory lock: two registrations at once get different numbers (the lock is held until commit)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                       _lock_key("proposal_number", jurisdiction_id, year, session_id or 0, kind))
    top = Proposal.objects.filter(jurisdiction_id=jurisdiction_id, year=year, session_id=session_id,
                                  kind=kind).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def lock_with_group(pk: int) -> tuple[Proposal, list[Proposal]]:
    """The item and the other items of its merge group, locked in the order of their ids (two people acting
    on two items of one group at once wait for each other instead of deadlocking)."""
    group_id = Proposal.objects.filter(pk=pk).values_list("merge_group_id", flat=True).get()
    pks = [pk]
    if group_id is not None:
        pks = sorted(set(Proposal.objects.filter(merge_group_id=group_id).values_list("pk", flat=True)) | {pk})
    locked = {item_pk: transitions.lock(item_pk) for item_pk in pks}
    current = locked.pop(pk)
    if current.merge_group_id != group_id:
        raise transitions.ConcurrentChangeError()
    return current, [locked[item_pk] for item_pk in sorted(locked)
                     if locked[item_pk].merge_group_id == group_id]
